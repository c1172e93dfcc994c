"""Storage care in real Chromium: the tablet warns when space runs low, and saves a copy of the
changes not yet sent, each sealed for the server, which holds no child's data in plain text and
which the server alone can open."""

import json

from playwright.sync_api import expect

from app.syncing.sealing import open_sealed
from tests.browser.steps import (
    add_child,
    at_the_rescue_page,
    children_named,
    device_of,
    go_to,
    screen_drawn,
    set_up_tablet,
    status,
    violations,
)

LOW_SPACE = """navigator.storage.estimate = async () => ({ usage: 990e6, quota: 1000e6 });"""


def save_rescue_copy(page, keep_at=None):
    go_to(page, "#/")
    page.get_by_role("link", name="Save a copy of changes not sent").first.click()
    screen_drawn(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Save the copy").click()
    expect(page.locator(".notice")).to_have_text(
        "The copy has been saved. Give it to your supervisor.")
    if keep_at:
        download.value.save_as(keep_at)
    return json.loads(open(download.value.path(), encoding="utf-8").read())


def test_a_saved_copy_is_sealed_for_the_server_alone(tablet, context, app, world, session):
    page = tablet
    context.set_offline(True)
    add_child(page, "Gwenllïan", "Ŵyn")
    add_child(page, "Aled", "Pryce")
    saved = save_rescue_copy(page)

    raw = json.dumps(saved, ensure_ascii=False)
    assert "Gwenllïan" not in raw and "Aled" not in raw
    assert saved["format"] == "adref-sealed" and saved["version"] == 1
    device = str(device_of(session, world.worker).id)
    assert {item["device_id"] for item in saved["items"]} == {device}
    opened = [open_sealed(app.instance_path, item["sealed"], world.org_a.id, device)
              for item in saved["items"]]
    assert [m["mutation_id"] for m in opened] == [item["mutation_id"] for item in saved["items"]]
    assert sorted(m["fields"]["given_name"] for m in opened) == ["Aled", "Gwenllïan"]


def test_the_tablet_warns_when_space_runs_low(live_server, context, page, world):
    page.add_init_script(LOW_SPACE)
    set_up_tablet(page, live_server, world, language="English")
    warning = page.locator("#storage-low")
    expect(warning).to_contain_text("This tablet is running out of space.")
    context.set_offline(True)
    add_child(page, "Aled", "Pryce")
    expect(page.locator("#rescue-link")).to_be_visible()


def test_a_supervisor_imports_the_copy_and_the_tablet_then_sends_nothing_twice(
        tablet, live_server, context, browser, world, session, tmp_path):
    page = tablet
    context.set_offline(True)
    add_child(page, "Gwenllïan", "Ŵyn")
    add_child(page, "Aled", "Pryce")
    save_rescue_copy(page, keep_at=tmp_path / "rescue.json")

    with at_the_rescue_page(browser, live_server, world.supervisor) as desk:
        desk.locator("#file").set_input_files(tmp_path / "rescue.json")
        desk.get_by_role("button", name="Import").click()
        # Into quarantine, as a wiped tablet would hand them in: applied when the supervisor says.
        expect(desk.locator(".notice")).to_have_text(
            "2 changes from the file are waiting below: apply them or discard them.")
        assert violations(desk) == []
        desk.get_by_role("button", name="Apply these changes").click()
        expect(desk.locator("h1")).to_have_text("Sealed changes applied")
        expect(desk.locator("main")).to_contain_text("2 changes applied.")
        # The tablet by the name it was given when set up, never its browser's string.
        expect(desk.locator(".lead")).to_contain_text("the tablet “Will Worker's tablet, ")
        assert violations(desk) == []

    context.set_offline(False)  # the tablet syncs by itself: the server answers "duplicate"
    expect(status(page)).to_contain_text("0 changes waiting to be sent")
    for given in ("Gwenllïan", "Aled"):
        assert len(children_named(session, given)) == 1
