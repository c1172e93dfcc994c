"""The supervisor's page of referrals and Active Offers waiting, in Chromium, in Welsh and in
English: reached from the interviews, by worker and by child, each linked to its interview; no
string of the other language, and nothing axe objects to."""

import pytest
from playwright.sync_api import expect

from app.auth.models import Person
from tests.api.helpers import create, create_episode, create_interview
from tests.browser.steps import Walk, assert_only, sign_in


@pytest.mark.parametrize("language", ["cy", "en"])
def test_a_supervisor_sees_what_waits_in_their_own_language(live_server, page, world,
                                                            as_person, session, language):
    # The fixture's worker is "Will Worker": a name, but also an English word the check finds.
    session.get(Person, world.worker.id).display_name = "Wil Huws"
    session.commit()
    worker = as_person(world.worker)
    interview = create_interview(worker, create_episode(worker, world.child.id)["id"])
    create(worker, "referrals", interview_id=interview["id"], kind="safeguarding_referral",
           suggested_at="2026-03-03T15:00:00+00:00")
    walk = Walk(page, language)
    page.goto(f"{live_server}/review/?lang={language}")
    sign_in(page, world.supervisor)
    page.get_by_role("link", name=walk.t(
        "Referrals and Active Offers waiting, by worker and by child")).click()
    expect(page.locator("h1")).to_have_text(walk.t("Referrals waiting"))
    expect(page.locator("table.by-worker tbody tr")).to_have_count(1)
    expect(page.locator("table.by-worker tbody tr")).to_contain_text("Wil Huws")
    child = page.locator("section.child-waiting")
    expect(child.locator("h3")).to_have_text("Cerys Test")
    expect(child.locator("li")).to_have_count(2)
    assert_only(page, language)

    child.get_by_role("link", name=walk.t("Looked after: no Active Offer of advocacy recorded"))\
        .click()
    expect(page.locator("h1")).to_contain_text("Cerys Test")
