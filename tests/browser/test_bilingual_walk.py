"""The whole worker flow walked in Welsh, from the active offer to a synced interview, and again
in English. On every screen: no string of the other language (checked against every message of
the catalogs and every question and code-list label), and no accessibility violation."""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from app.auth.models import Person
from tests.browser.steps import (
    PASSCODE,
    Walk,
    assert_only,
    children_listed,
    choose_passcode,
    interview_of,
    london_input,
    open_the_app,
    set_up_tablet,
    status,
    sync_and_wait,
    translations,
    without_the_active_offer,
)
from tests.conftest import PASSWORD


@pytest.mark.parametrize("language", ["cy", "en"])
def test_the_whole_flow_in_one_language(live_server, context, page, world, session, language):
    walk = Walk(page, language)
    without_the_active_offer(session, world.child)
    open_the_app(page, live_server)
    page.get_by_role("button", name="Cymraeg" if language == "cy" else "English").click()
    expect(page.locator("h1")).to_have_text(walk.t("Set up this tablet"))
    assert_only(page, language)
    page.get_by_role("link", name=walk.t("Sign in"), exact=True).click()
    page.locator("#email").fill(world.worker.email)
    page.locator("#password").fill(PASSWORD)
    assert_only(page, language)
    page.locator("form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text(walk.t("Choose a passcode"))
    assert_only(page, language)
    choose_passcode(page, PASSCODE)
    expect(children_listed(page)).to_have_text(["Cerys Test"])
    walk.drawn()

    context.set_offline(True)
    page.get_by_role("link", name="Cerys Test").click()
    walk.drawn()
    walk.step("link", "Add a missing episode")
    now = datetime.now(UTC)
    page.locator("#reported_missing_at").fill(london_input(now - timedelta(hours=26)))
    page.locator("#returned_at").fill(london_input(now - timedelta(hours=10)))
    page.get_by_label(walk.code("return_method", "found")).check()
    walk.click("button", "Save")
    expect(page.locator(".notice")).to_have_text(walk.t("Saved"))
    walk.drawn()
    walk.step("button", "Start the return interview")
    walk.step("link", "Record the offer")
    walk.step("button", "Save")
    walk.step("link", "Add an attempt")
    walk.click("button", "Save")
    expect(page.locator(".error-summary")).to_be_visible()
    assert_only(page, language)
    page.get_by_label(walk.code("attempt_method", "in_person")).check()
    page.get_by_label(walk.code("attempt_outcome", "spoke_to_child")).check()
    walk.step("button", "Save")
    walk.step("link", "Record their answer")
    page.get_by_label(walk.t("Yes, they agreed to talk")).check()
    walk.next_screen()
    page.get_by_label(walk.code("interview_location", "home"), exact=True).check()
    walk.next_screen()
    page.get_by_label(walk.code("interviewer_type", "independent_service"), exact=True).check()
    walk.next_screen()
    answer = "Dwy noson ŵ ŷ" if language == "cy" else "Two nights"
    page.get_by_label(walk.question("duration_account")).fill(answer)
    walk.next_screen()
    for _ in range(40):
        if page.locator("h1").text_content() == walk.t("Check your answers"):
            break
        walk.next_screen()
    expect(page.locator(".summary-list")).to_contain_text(answer)
    walk.step("button", "Submit the interview")
    context.set_offline(False)  # back online: the app sends everything by itself
    expect(status(page)).to_contain_text(
        translations(language).ngettext("%(num)d change waiting to be sent",
                                        "%(num)d changes waiting to be sent", 0) % {"num": 0})
    walk.drawn()

    interview = interview_of(session, world.child)
    assert interview.status == "submitted" and interview.duration_account == answer
    assert interview.language == language


def test_switching_language_in_the_app_is_kept_on_the_account(live_server, page, world,
                                                              session):
    set_up_tablet(page, live_server, world)  # in Welsh
    expect(children_listed(page)).to_have_text(["Cerys Test"])
    page.locator(".bar").get_by_role("button", name="English").click()
    expect(page.locator("h1")).to_have_text("Your children")
    assert_only(page, "en")
    expect(status(page)).to_contain_text("Last synced")

    def stored_language():
        session.expire_all()
        return session.get(Person, world.worker.id).preferred_language

    sync_and_wait(page)
    assert stored_language() == "en"
