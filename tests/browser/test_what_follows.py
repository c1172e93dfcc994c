"""What follows an interview, on the tablet with no signal, in real Chromium: the record's
suggestions with their reasons (the same rules as the server's), a referral recorded as made, the
Active Offer of advocacy a looked-after child must have before the interview is submitted, and
the information for the police in its own section; then the network comes back and the server
holds each record once."""

from playwright.sync_api import expect
from sqlalchemy import select

from app.intelligence.models import IntelligenceItem
from app.referrals.models import ActiveOffer, Referral
from tests.browser.steps import (
    CODE_LISTS,
    agree_to_talk_at_the_placement,
    children_named,
    click,
    continue_on,
    go_to,
    interview_of,
    start_an_interview_with_cerys,
    status,
    sync_and_wait,
    violations,
)

RULES_KINDS = {
    "national_referral_mechanism": "National Referral Mechanism",
    "tell_placing_authority": "Tell the placing authority",
}


def harm(code):
    return next(item["en"] for item in CODE_LISTS["harm"]["items"] if item["code"] == code)


def suggestion(page, name):
    return page.locator("li.suggestion", has_text=name)


def test_suggestions_a_referral_and_the_active_offer_offline(tablet, context, session):
    page = tablet
    start_an_interview_with_cerys(page)
    interview = page.url.split("#", 1)[1]
    agree_to_talk_at_the_placement(page)
    context.set_offline(True)
    go_to(page, f"#{interview}/questions/harms")
    page.get_by_label(harm("trafficking_or_modern_slavery"), exact=True).check()
    continue_on(page)
    go_to(page, f"#{interview}")

    # Cerys is looked after and placed out of area; trafficking was recorded.
    expect(page.get_by_text("Not recorded yet: this child is looked after")).to_be_visible()
    nrm = suggestion(page, RULES_KINDS["national_referral_mechanism"])
    expect(nrm).to_contain_text("consent")
    expect(suggestion(page, RULES_KINDS["tell_placing_authority"])).to_be_visible()
    assert violations(page) == []

    nrm.get_by_role("link", name="Record what you did").click()
    expect(page.locator("h1")).to_have_text(RULES_KINDS["national_referral_mechanism"])
    page.get_by_label("Made", exact=True).check()
    page.get_by_label("Made to whom?").fill("Gwent Police, first responder")
    page.get_by_label("Phone", exact=True).check()
    assert violations(page) == []
    click(page, "button", "Save")
    expect(nrm.locator(".badge")).to_have_text("Made")

    click(page, "link", "Record the Active Offer")
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("The return interview worker").check()
    page.get_by_label("They would like an advocate").check()
    assert violations(page) == []
    click(page, "button", "Save")
    expect(page.get_by_text("They would like an advocate.")).to_be_visible()

    click(page, "link", "Check answers and submit")
    click(page, "button", "Submit the interview")
    context.set_offline(False)
    sync_and_wait(page)
    sync_and_wait(page)
    expect(status(page)).to_contain_text("0 changes waiting to be sent")
    expect(page.locator("#attention-link")).to_be_hidden()

    held = interview_of(session, children_named(session, "Cerys")[0])
    assert held.status == "submitted"
    referrals = session.scalars(select(Referral).where(Referral.interview_id == held.id)).all()
    assert [(r.kind, r.status, r.made_to, r.made_how) for r in referrals] == [
        ("national_referral_mechanism", "made", "Gwent Police, first responder", "phone")]
    assert referrals[0].suggested_at <= referrals[0].offered_at <= referrals[0].made_at
    offers = session.scalars(select(ActiveOffer).where(ActiveOffer.interview_id == held.id)).all()
    assert [(o.offered, o.offered_by, o.response) for o in offers] == [(True, "worker", "accepted")]


def test_a_looked_after_childs_interview_is_refused_without_the_active_offer(tablet, session):
    page = tablet
    start_an_interview_with_cerys(page)
    agree_to_talk_at_the_placement(page)
    interview = page.url.split("#", 1)[1].split("/questions", 1)[0]
    sync_and_wait(page)  # the interview on the server, a draft
    go_to(page, f"#{interview}/check")
    click(page, "button", "Submit the interview")
    sync_and_wait(page)
    # The server's words, on the tablet: the interview waits for the worker.
    expect(page.locator("#attention-link")).to_be_visible()
    page.locator("#attention-link").click()
    expect(page.locator("main")).to_contain_text("Active Offer")
    held = interview_of(session, children_named(session, "Cerys")[0])
    assert held.status == "draft"


def test_information_for_the_police_is_kept_in_its_own_section(tablet, context, session):
    page = tablet
    start_an_interview_with_cerys(page)
    interview = page.url.split("#", 1)[1]
    context.set_offline(True)
    click(page, "link", "People, places and vehicles they told you about")
    expect(page.locator("h1")).to_have_text("Information for the police")
    click(page, "link", "A person")
    page.get_by_label("Nickname or street name").fill("Spider")
    page.get_by_label("How does the young person know them? (optional)").fill("Met at the park")
    page.get_by_label("Not sure", exact=True).check()
    assert violations(page) == []
    click(page, "button", "Save")
    click(page, "link", "A vehicle")
    page.get_by_label("Registration number").fill("cu15 xyz")
    click(page, "button", "Save")
    items = page.locator("ul.episodes > li")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("Spider")
    assert violations(page) == []
    go_to(page, f"#{interview}")
    context.set_offline(False)
    sync_and_wait(page)
    expect(status(page)).to_contain_text("0 changes waiting to be sent")
    held = interview_of(session, children_named(session, "Cerys")[0])
    kept = session.scalars(select(IntelligenceItem).where(IntelligenceItem.interview_id == held.id)
                           .order_by(IntelligenceItem.kind)).all()
    assert [(i.kind, i.nickname, i.relationship, i.sharing_view, i.vehicle_registration)
            for i in kept] == [("person", "Spider", "Met at the park", "unsure", None),
                               ("vehicle", None, None, "not_asked", "CU15XYZ")]
    assert "Spider" not in (held.notes or "")
