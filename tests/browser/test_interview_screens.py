"""An interview on the tablet, in real Chromium: the questions in the interview's language (the
other one tap away, the answers kept), the app's own words in the worker's; where the worker is
in the questions; and every answer given before the questions on "Check your answers"."""

import re

from playwright.sync_api import expect

from tests.browser.steps import (
    CODE_LISTS,
    QUESTIONNAIRE,
    click,
    continue_on,
    go_to,
    start_an_interview_with_cerys,
    violations,
)

SCREENS = {screen["id"]: screen for screen in QUESTIONNAIRE["parts"][0]["screens"]}


def question(screen_id, language):
    return SCREENS[screen_id]["questions"][0]["label"][language]


def push_factor(code, language):
    item = next(i for i in CODE_LISTS["push_factor"]["items"] if i["code"] == code)
    return item[language]


def agree_to_talk_in_welsh(page):
    """On the interview, in an English app: the young person agreed to talk, at their placement,
    in Welsh; the worker's organisation given. Ends on the first question."""
    click(page, "link", "Record their answer")
    page.get_by_label("Yes, they agreed to talk").check()
    continue_on(page)
    page.get_by_label("Placement", exact=True).check()
    page.get_by_label("Cymraeg", exact=True).check()
    continue_on(page)
    page.get_by_label("Your organisation").fill("Gwasanaeth Dychwelyd Adref")
    continue_on(page)


def test_the_questions_follow_the_interviews_language_with_the_other_one_tap_away(tablet):
    page = tablet
    start_an_interview_with_cerys(page)
    interview = page.url.split("#", 1)[1]
    agree_to_talk_in_welsh(page)
    expect(page.get_by_label(question("time_away", "cy"))).to_be_visible()
    expect(page.locator(".question-number")).to_have_text(re.compile(r"^Question 1 of \d+$"))
    expect(page.get_by_role("button", name="Save and continue")).to_be_visible()
    continue_on(page)
    expect(page.locator(".question-number")).to_have_text(re.compile(r"^Question 2 of \d+$"))

    go_to(page, f"#{interview}/questions/push_factors")
    legend = page.locator("legend")
    expect(legend).to_have_text(question("push_factors", "cy"))
    expect(page.locator(".questions")).to_have_attribute("lang", "cy")
    page.get_by_label(push_factor("family_conflict", "cy")).check()
    page.get_by_role("button", name="Show the questions in English").click()
    expect(legend).to_have_text(question("push_factors", "en"))
    expect(page.get_by_label(push_factor("family_conflict", "en"))).to_be_checked()
    assert violations(page) == []
    page.get_by_role("button", name="Show the questions in Welsh").click()
    expect(legend).to_have_text(question("push_factors", "cy"))
    expect(page.get_by_label(push_factor("family_conflict", "cy"))).to_be_checked()

    go_to(page, f"#{interview}/check")
    summary = page.locator(".summary-list")
    for label, value in (("Where?", "Placement"), ("Which language is the interview in?", "Cymraeg"),
                         ("Your organisation", "Gwasanaeth Dychwelyd Adref")):
        expect(summary.locator(".summary-row", has_text=label).locator("dd").first).to_have_text(value)
    # The answers are the worker's record: in the app's language, whatever the interview's.
    expect(summary).to_contain_text(push_factor("family_conflict", "en"))
