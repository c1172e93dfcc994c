"""No wipe loses unsent work, in real Chromium: each change queued on the tablet is also sealed
with the server's public key, in a store the wipe leaves. After five wrong passcodes, or when a
revoked tablet is told to erase itself, the tablet hands the sealed copies in at the next
contact; a supervisor applies them from the rescue page, and they reach the server exactly
once. The tablet can read none of them, and its storage never shows a child's name."""

import json

from playwright.sync_api import expect
from sqlalchemy import select

from app.cases.models import Child, MissingEpisode
from app.interviews.models import ReturnInterview
from app.syncing.models import SealedCopy
from tests.browser.steps import (
    RAW_STORAGE,
    add_child,
    add_returned_episode,
    at_the_rescue_page,
    children_named,
    device_of,
    record_offer,
    start_interview,
    status,
    try_passcode,
    waiting,
)

NAMES = ("Gwenllïan", "Aled")


def two_interviews_offline(page, context):
    """With no signal: two children, each back from going missing, each with an interview
    offered. None of it sent."""
    context.set_offline(True)
    for given in NAMES:
        add_child(page, given, "Pryce")
        add_returned_episode(page)
        start_interview(page, f"{given} Pryce")
        record_offer(page)
    expect(status(page)).not_to_contain_text(waiting(0))


def interviews_of(session, given) -> list:
    session.expire_all()
    return session.scalars(select(ReturnInterview).join(MissingEpisode).join(Child)
                           .where(Child.given_name == given)).all()


def sealed_waiting(session) -> int:
    session.expire_all()
    return len(session.scalars(select(SealedCopy).where(SealedCopy.state == "waiting")).all())


def supervisor_applies(browser, live_server, world, expected: str):
    """The supervisor, at the rescue page, applies the one tablet's changes waiting there."""
    with at_the_rescue_page(browser, live_server, world.supervisor) as desk:
        tablet = desk.locator("section.sealed")
        expect(tablet).to_have_count(1)
        expect(tablet).to_contain_text("used by Will Worker")
        tablet.get_by_role("button", name="Apply these changes").click()
        expect(desk.locator("h1")).to_have_text("Sealed changes applied")
        expect(desk.locator("main")).to_contain_text(expected)
        desk.get_by_role("link", name="Back to the rescue page").click()
        expect(desk.locator("main")).to_contain_text("None are waiting.")


def handed_in(page, session):
    """Waits (ten seconds at most) until the tablet's sealed copies wait on the server."""
    for _ in range(100):
        if sealed_waiting(session):
            return
        page.wait_for_timeout(100)
    raise AssertionError("the sealed copies never reached the server")


def sealed_on_tablet(page) -> int:
    return page.evaluate("""async () => (await import("/static/app/store.js")).sealedOf(null)
      .then((left) => left.length)""")


def test_five_wrong_passcodes_lose_no_interview(tablet, context, browser, live_server, world,
                                               session, tmp_path):
    page = tablet
    two_interviews_offline(page, context)
    assert not any(name in page.evaluate(RAW_STORAGE) for name in NAMES)

    page.reload()
    for left in (4, 3, 2, 1):
        try_passcode(page, "not the passcode", button="Open")
        expect(page.locator("#passcode-error")).to_contain_text(f"{left} tr")
    try_passcode(page, "not the passcode", button="Open")
    expect(page.locator(".error-summary")).to_contain_text("Too many wrong passcodes")
    left = page.evaluate(RAW_STORAGE)
    assert "wrapped" not in left and not any(name in left for name in NAMES)
    assert sealed_on_tablet(page) > 0
    # With no signal, the copies a wipe left can be saved for the supervisor.
    with page.expect_download() as download:
        page.get_by_role("button", name="Save a copy of changes not sent").click()
    download.value.save_as(tmp_path / "rescue.json")
    saved = (tmp_path / "rescue.json").read_text(encoding="utf-8")
    assert json.loads(saved)["format"] == "adref-sealed"
    assert not any(name in saved for name in NAMES)

    context.set_offline(False)
    page.reload()  # the next contact
    handed_in(page, session)
    for _ in range(50):
        if not sealed_on_tablet(page):
            break
        page.wait_for_timeout(100)
    assert sealed_on_tablet(page) == 0  # deleted once the server took them
    assert children_named(session, "Gwenllïan") == []  # never applied by itself

    supervisor_applies(browser, live_server, world, "changes applied.")
    for given in NAMES:
        assert len(interviews_of(session, given)) == 1
        assert interviews_of(session, given)[0].offered_at is not None

    # The saved copy, imported after: nothing is added twice.
    with at_the_rescue_page(browser, live_server, world.supervisor) as desk:
        desk.locator("#file").set_input_files(tmp_path / "rescue.json")
        desk.get_by_role("button", name="Import").click()
        expect(desk.locator(".notice")).to_have_text(
            "Every change in the file was applied or discarded already.")
    for given in NAMES:
        assert len(children_named(session, given)) == 1
        assert len(interviews_of(session, given)) == 1


def test_a_revoked_tablet_hands_in_its_unsent_work(tablet, context, browser, live_server, world,
                                                   session):
    page = tablet
    context.set_offline(True)
    add_child(page, "Gwenllïan", "Pryce")
    add_returned_episode(page)
    device = device_of(session, world.worker)
    device.revoked_at = device.created_at
    session.commit()

    context.set_offline(False)  # the app syncs by itself, hears it was removed, and erases
    expect(page.locator(".error-summary")).to_contain_text("This tablet was removed from Adref")
    handed_in(page, session)
    assert "Gwenllïan" not in page.evaluate(RAW_STORAGE)
    assert children_named(session, "Gwenllïan") == []

    supervisor_applies(browser, live_server, world, "changes applied.")
    (child,) = children_named(session, "Gwenllïan")
    assert child.assigned_worker_id == world.worker.id
    assert len(session.scalars(select(MissingEpisode).where(
        MissingEpisode.child_id == child.id)).all()) == 1
