"""A supervisor, in Chromium, in Welsh and in English, opens the partner intelligence submission
of an interview: refused with a page saying why before it is approved; once approved, the items
for the police force where the child was found, with the statement that an exploited child is a
victim and not an offender; printed, the submission alone. axe finds nothing on either page."""

import pytest
from playwright.sync_api import expect

from tests.api.helpers import create, create_child, create_episode, create_interview, patch
from tests.browser.steps import assert_only, sign_in, violations

VICTIM = {"en": "This child is a victim of exploitation",
          "cy": "Mae'r plentyn hwn yn ddioddefwr cam-fanteisio"}
NOT_YET = {"en": "Not approved yet", "cy": "Heb ei gymeradwyo eto"}
TITLE = {"en": "Partner intelligence submission", "cy": "Cyflwyniad gwybodaeth gan bartner"}


def an_interview_with_items(worker) -> dict:
    child = create_child(worker, given="Gwenllïan", family="Prŷs", date_of_birth="2011-04-09")
    episode = create_episode(worker, child["id"], reporting_force_code="W15000004")
    interview = create_interview(worker, episode["id"], consent="accepted",
                                 conducted_at="2026-03-03T14:30:00+00:00",
                                 harms=["criminal_exploitation"])
    for item in ({"kind": "person", "nickname": "Jac", "sharing_view": "happy"},
                 {"kind": "vehicle", "vehicle_registration": "cu15 xyz", "sharing_view": "unsure"},
                 {"kind": "phone_number", "phone_number": "07911 123456"}):
        create(worker, "intelligence-items", interview_id=interview["id"], **item)
    return patch(worker, "interviews", interview["id"], status="submitted")


@pytest.mark.parametrize("language", ["cy", "en"])
def test_the_submission_before_and_after_approval(live_server, page, world, as_person,
                                                 language):
    interview = an_interview_with_items(as_person(world.worker))
    address = f"{live_server}/review/interviews/{interview['id']}/intelligence?lang={language}"
    page.goto(f"{live_server}/sign-in?lang={language}")
    sign_in(page, world.supervisor)
    expect(page.locator(".sign-out")).to_be_visible()
    page.goto(address)
    expect(page.locator("h1")).to_have_text(NOT_YET[language])
    assert violations(page) == []

    patch(as_person(world.supervisor), "interviews", interview["id"], status="approved")
    page.goto(address)
    expect(page.locator("h1")).to_have_text(TITLE[language])
    expect(page.locator(".victim-statement")).to_contain_text(VICTIM[language])
    expect(page.locator(".intelligence-item")).to_have_count(3)
    expect(page.get_by_text("CU15XYZ")).to_be_visible()
    assert_only(page, language)

    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".no-print").first).to_be_hidden()
    expect(page.locator(".victim-statement")).to_be_visible()
    assert violations(page) == []
