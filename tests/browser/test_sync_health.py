"""Sync health in real Chromium: the worker's tablet reports how many changes it holds unsent,
and its app version, on every contact, and the server keeps them on its Device row; the board
that shows them (and what needs the supervisor now) has nothing axe objects to, in Welsh and in
English."""

import re
from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect

from app.cases.models import MissingEpisode
from app.pwa.shell import shell_version
from tests.browser.steps import add_child, device_of, sign_in, status, sync_and_wait, violations

PULL = "**/api/v1/sync/pull*"


def test_the_tablet_reports_its_unsent_changes(tablet, context, session, world):
    page = tablet
    context.set_offline(True)
    add_child(page, "Aled", "Pryce")
    expect(status(page)).to_contain_text("waiting to be sent")
    queued = int(re.search(r"(\d+) changes? waiting", status(page).inner_text()).group(1))
    assert queued >= 1
    # The pull after the push is stopped on its way: the push, carrying the count it set out
    # with, is the tablet's last contact. Back online, the app syncs by itself (waited for from
    # before the signal returns, so that the push cannot come first).
    page.route(PULL, lambda route: route.abort())
    with page.expect_response("**/api/v1/sync/push") as pushed:
        context.set_offline(False)
    assert pushed.value.ok
    expect(page.locator("#sync-now")).to_be_enabled()
    device = device_of(session, world.worker)
    assert device.unsent_count == queued
    assert device.app_version == shell_version()
    assert device.reported_at is not None
    page.unroute(PULL)
    sync_and_wait(page)
    expect(status(page)).to_contain_text("Last synced")
    assert device_of(session, world.worker).unsent_count == 0


def test_the_board_in_both_languages(tablet, browser, live_server, session, world):
    device = device_of(session, world.worker)
    device.unsent_count, device.last_seen_at = 3, datetime.now(UTC) - timedelta(hours=50)
    session.add(MissingEpisode(organisation_id=world.org_a.id, child_id=world.child.id,
                               reported_missing_at=datetime.now(UTC) - timedelta(hours=90),
                               returned_at=datetime.now(UTC) - timedelta(hours=65)))
    session.add(MissingEpisode(organisation_id=world.org_a.id, child_id=world.colleague_child.id,
                               reported_missing_at=datetime.now(UTC) - timedelta(hours=130),
                               returned_at=datetime.now(UTC) - timedelta(hours=100)))
    session.commit()
    office = browser.new_context()
    try:
        desk = office.new_page()
        desk.goto(live_server + "/sign-in?lang=en&next=/board")
        sign_in(desk, world.supervisor)
        expect(desk.locator("h1")).to_have_text("What needs you now")
        expect(desk.locator(".at-risk-warning")).to_contain_text("Data at risk: 3 unsent changes")
        for address in ("/board", "/board/open", "/board/overdue"):
            for language in ("en", "cy"):
                desk.goto(f"{live_server}{address}?lang={language}")
                expect(desk.locator("html")).to_have_attribute("lang", language)
                expect(desk.locator("main table").first).to_be_visible()
                assert violations(desk) == [], (address, language)
        desk.set_viewport_size({"width": 768, "height": 1024})  # a tablet held upright
        desk.goto(f"{live_server}/board?lang=en")
        assert violations(desk) == []
    finally:
        office.close()
