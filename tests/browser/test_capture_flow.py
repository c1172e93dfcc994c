"""The whole interview on a tablet with no signal, in real Chromium: a missing episode added
when a referral comes by phone, the offer, an attempt, the young person's answer, the questions
one screen at a time (with a reload in the middle), check answers and submit; then the network
comes back and the server holds exactly one copy of everything, with every answer."""


from playwright.sync_api import expect

from tests.browser.steps import (
    PASSCODE,
    RAW_STORAGE,
    attempts_of,
    continue_on,
    enter_the_return,
    interview_of,
    record_offer,
    start_interview,
    status,
    sync_and_wait,
    try_passcode,
    violations,
    without_the_active_offer,
)

WHY = "Roedd ffrae gartref; teimlodd nad oedd neb yn gwrando. ŵ ŷ â"
# The independence questions answered on "About you" (the last is left unanswered).
INDEPENDENCE = {"Is your organisation independent of the police?": "Yes",
                "Is your organisation independent of the council?": "Yes",
                "Is your organisation independent of the young person's placement or home?": "No"}


def test_a_whole_interview_offline_reaches_the_server_once(tablet, context, world, session):
    page = tablet
    without_the_active_offer(session, world.child)
    context.set_offline(True)

    page.get_by_role("link", name="Cerys Test").click()
    expect(page.locator("h1")).to_have_text("Cerys Test")
    page.get_by_role("link", name="Add a missing episode").click()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#reported_missing_at-error")).to_have_text(
        "Enter when the child was reported missing")
    assert violations(page) == []
    enter_the_return(page)
    assert violations(page) == []

    start_interview(page, "Cerys Test")
    assert violations(page) == []
    record_offer(page)
    page.get_by_role("link", name="Add an attempt").click()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#method-error")).to_have_text("Choose how you tried to make contact")
    assert violations(page) == []
    page.get_by_label("Phone call").check()
    page.get_by_label("Spoke to the young person").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("ul.attempts li")).to_have_count(1)

    page.get_by_role("link", name="Record their answer").click()
    page.get_by_label("Yes, they agreed to talk").check()
    assert violations(page) == []
    continue_on(page)
    expect(page.locator("h1")).to_have_text("About the interview")
    page.get_by_label("Placement", exact=True).check()
    continue_on(page)
    expect(page.locator("h1")).to_have_text("About you")
    page.get_by_label("Independent service").check()
    page.get_by_label("Your organisation").fill("Gwasanaeth Dychwelyd Adref")
    for question, answer in INDEPENDENCE.items():
        page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()
    assert violations(page) == []
    continue_on(page)

    page.get_by_label("In the young person's own words, how long were they away?").fill("Two nights")
    continue_on(page)
    page.get_by_label("Why did the young person go missing?").fill(WHY)
    assert violations(page) == []
    # A reload (or a crash) in the middle: the answer typed is still there after the passcode.
    page.wait_for_timeout(1000)
    page.reload()
    try_passcode(page, PASSCODE, button="Open")
    expect(page.get_by_label("Why did the young person go missing?")).to_have_value(WHY)
    continue_on(page)
    expect(page.locator(".caption")).to_have_text("Push factors")
    page.get_by_label("Not listened to").check()
    page.get_by_label("Other", exact=True).check()
    assert violations(page) == []
    continue_on(page)
    expect(page.locator("h1")).to_have_text("Other push factors")
    page.get_by_role("textbox").fill("Rules about phones")
    continue_on(page)
    for _ in range(30):  # the rest of the questions, left unanswered
        if page.locator("h1").text_content() == "Check your answers":
            break
        continue_on(page)
    expect(page.locator(".summary-list")).to_contain_text(WHY)
    expect(page.locator(".summary-list")).to_contain_text("Not listened to, Other")
    expect(page.locator(".summary-list")).to_contain_text("Independent service")
    assert violations(page) == []
    page.get_by_role("button", name="Submit the interview").click()
    expect(page.locator(".notice")).to_have_text("The interview has been submitted.")
    expect(status(page)).to_contain_text("Offline")
    assert WHY not in page.evaluate(RAW_STORAGE) and "Cerys" not in page.evaluate(RAW_STORAGE)

    context.set_offline(False)
    sync_and_wait(page)
    expect(status(page)).to_contain_text("0 changes waiting to be sent")
    interview = interview_of(session, world.child)  # one episode, one interview
    assert interview.status == "submitted" and interview.consent == "accepted"
    assert interview.why_missing == WHY and interview.duration_account == "Two nights"
    assert interview.push_factors == ["not_listened_to", "other"]
    assert interview.local_answers["push_other_details"] == "Rules about phones"
    assert interview.location == "placement" and interview.offered_at is not None
    assert interview.interviewer_type == "independent_service"
    assert interview.interviewer_organisation == "Gwasanaeth Dychwelyd Adref"
    assert (interview.independent_of_police, interview.independent_of_local_authority,
            interview.independent_of_placement, interview.child_chose_known_adult) == (
        True, True, False, None)
    attempts = attempts_of(session, interview)
    assert [(a.method, a.outcome) for a in attempts] == [("phone", "spoke_to_child")]
