"""The supervisor's intake pages in Chromium, in Welsh and in English: the return notice (and
its refusal of a return time in the future), the possible duplicates, the episode and worker
(and its refusals), and the child's page; axe finds nothing on any of them, and none shows a
string of the other language."""

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from app.auth.models import Person
from app.cases.models import MissingEpisode
from tests.browser.steps import Walk, assert_only, go_to, open_tablet, sign_in
from tests.intake.helpers import local_tomorrow


@pytest.mark.parametrize("language", ["cy", "en"])
def test_every_intake_page_is_accessible_in_each_language(live_server, page, world, session,
                                                          language):
    supervisor = session.get(Person, world.supervisor.id)
    # Their own language, so that each posted form answers in it too; names that are no
    # English words, which the check of the other language's strings would find.
    supervisor.preferred_language = language
    supervisor.display_name = "Siân Huws"
    session.get(Person, world.worker.id).display_name = "Wil Huws"
    session.get(Person, world.colleague.id).display_name = "Cai Morgan"
    session.commit()
    walk = Walk(page, language)
    page.goto(f"{live_server}/sign-in?lang={language}&next=/intake/new")
    sign_in(page, world.supervisor)
    expect(page.locator("h1")).to_have_text(walk.t("A child has returned"))
    assert_only(page, language)

    # The notice, with a return time tomorrow: refused, and said so.
    page.get_by_label(walk.t("The police")).check()
    day, clock = local_tomorrow()
    for prefix in ("notified", "returned"):
        page.locator(f"#{prefix}_date").fill(day)
        page.locator(f"#{prefix}_time").fill(clock)
    page.locator("#search_given_name").fill("cerys")
    page.get_by_role("button", name=walk.t("Look for the child")).click()
    expect(page.locator(".error-summary")).to_contain_text(
        walk.t("The return time cannot be in the future."))
    assert_only(page, language)

    page.locator("#notified_date").fill("2026-03-02")
    page.locator("#notified_time").fill("09:30")
    page.locator("#returned_date").fill("2026-03-02")
    page.locator("#returned_time").fill("08:00")
    page.get_by_role("button", name=walk.t("Look for the child")).click()
    expect(page.locator("h1")).to_have_text(walk.t("Is this child already recorded?"))
    expect(page.locator("table.candidates tbody tr")).to_have_count(1)
    assert_only(page, language)

    page.get_by_role("button", name=walk.t("Continue")).click()  # nothing chosen
    expect(page.locator(".error-summary")).to_be_visible()
    assert_only(page, language)
    page.locator(f"#child-{world.child.id}").check()
    page.get_by_role("button", name=walk.t("Continue")).click()
    expect(page.locator("h1")).to_have_text(walk.t("The missing episode and the worker"))
    expect(page.locator(".last-worker")).to_contain_text("Wil Huws")
    assert_only(page, language)

    page.get_by_role("button", name=walk.t("Save the intake")).click()  # nothing answered
    expect(page.locator(".error-summary")).to_contain_text(
        walk.t("Choose what the child asked about their worker."))
    assert_only(page, language)
    page.locator("#reported_date").fill("2026-03-01")
    page.locator("#reported_time").fill("10:00")
    page.get_by_label(walk.t("A different worker")).check()
    page.locator("#assigned_worker_id").select_option(str(world.colleague.id))
    page.get_by_role("button", name=walk.t("Save the intake")).click()
    expect(page.locator("h1")).to_have_text("Cerys Test")
    expect(page.locator(".assigned-worker")).to_have_text("Cai Morgan")
    expect(page.locator("td.wish")).to_have_text(walk.t("A different worker"))
    assert_only(page, language)

    page.locator("#assigned_worker_id").select_option(str(world.worker.id))
    page.get_by_role("button", name=walk.t("Change the worker")).click()
    expect(page.locator(".assigned-worker")).to_have_text("Wil Huws")
    assert_only(page, language)


def test_the_worker_s_tablet_shows_the_return_notice_and_the_child_s_wish(live_server, page, world,
                                                                         session):
    """What the supervisor recorded at intake reaches the worker's tablet, read-only: who told
    us the child had come back and when, and what the child asked about their worker."""
    session.add(MissingEpisode(
        organisation_id=world.child.organisation_id, child_id=world.child.id,
        reported_missing_at=datetime(2026, 3, 1, 20, 0, tzinfo=UTC),
        returned_at=datetime(2026, 3, 2, 8, 0, tzinfo=UTC), notified_by="police",
        notified_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC), worker_wish="different"))
    session.commit()
    open_tablet(page, live_server, world)
    go_to(page, f"#/children/{world.child.id}")
    episode = page.locator("li.episode").filter(has_text="Missing from Sunday, 1 March 2026")
    expect(episode).to_contain_text("Who told us")
    expect(episode).to_contain_text("The police, Monday, 2 March 2026, 09:30")
    expect(episode).to_contain_text("A different worker")
