"""Refusals on the tablet, in real Chromium: an offer or an attempt before the child came back is
refused before it is queued, on its field, in English and in Welsh; a note too long is refused
beside the field it belongs to; a change the server refuses later (made stale by a supervisor's
edit) is listed with its field named, leads to a screen that puts it right, and is sent; and a
refused record is shown as refused, never as waiting, while the status bar counts what waits."""

import uuid

from playwright.sync_api import expect
from sqlalchemy import select

from app.interviews.models import InterviewAttempt, ReturnInterview
from tests.api.helpers import create_episode, create_interview, patch
from tests.browser.steps import (
    children_listed,
    click,
    drawn_after,
    go_to,
    shorten_first_names,
    status,
    sync_and_wait,
    waiting,
)

# Cerys came back on 2 March 2026 at 08:00 (GMT, so the same on a London clock).
BEFORE_THE_RETURN = "2026-03-02T07:30"
AFTER_THE_RETURN = "2026-03-02T09:00"
OFFER_FIRST = {"en": "The offer must be after the child came back.",
               "cy": "Rhaid i'r cynnig fod ar ôl i'r plentyn ddychwelyd."}
ATTEMPT_FIRST = "The attempt must be after the child came back."
NOTE = "Dim ateb. " * 600  # 6,000 characters; the limit is 5,000


def offline_with_an_interview(page, context, world, as_person) -> dict:
    """Cerys's interview made on the web, synced to the tablet, then the signal gone."""
    worker = as_person(world.worker)
    interview = create_interview(worker, create_episode(worker, world.child.id)["id"])
    sync_and_wait(page)
    context.set_offline(True)
    return interview


def offer(page, interview, when):
    go_to(page, f"#/interviews/{interview['id']}/offer")
    page.locator("#offered_at").fill(when)
    save(page)


def save(page):
    drawn_after(page, lambda: page.locator("main form button[type=submit]").click())


def refused_beside(page, field, label, message):
    """The message beside the field (under its label), and in the summary at the top."""
    expect(page.locator(f".field:has(#{field})")).to_contain_text(label)
    expect(page.locator(f"#{field}-error")).to_have_text(message)
    expect(page.locator(".error-summary")).to_contain_text(message)


def add_attempt(page, interview, when, notes=""):
    go_to(page, f"#/interviews/{interview['id']}/attempts/new")
    page.locator("#attempted_at").fill(when)
    page.locator("#method").check()
    page.locator("#outcome").check()
    page.locator("#notes").fill(notes)
    save(page)


def test_an_offer_before_the_return_is_refused_on_the_tablet_in_english_and_welsh(
        tablet, context, world, as_person, session):
    page = tablet
    interview = offline_with_an_interview(page, context, world, as_person)
    offer(page, interview, BEFORE_THE_RETURN)
    refused_beside(page, "offered_at", "When did you offer the interview?", OFFER_FIRST["en"])
    expect(status(page)).to_contain_text(waiting(0))
    drawn_after(page, lambda: page.locator("button.switch").click())
    page.locator("#offered_at").fill(BEFORE_THE_RETURN)
    save(page)
    refused_beside(page, "offered_at", "Pryd", OFFER_FIRST["cy"])

    # At or after the return, it is saved and sent.
    page.locator("#offered_at").fill("2026-03-02T08:00")
    save(page)
    context.set_offline(False)
    sync_and_wait(page)
    session.expire_all()
    offered = session.get(ReturnInterview, uuid.UUID(interview["id"])).offered_at
    assert offered.isoformat().startswith("2026-03-02T08:00")


def test_an_attempt_before_the_return_or_with_a_note_too_long_is_refused_on_its_field(
        tablet, context, world, as_person, session):
    page = tablet
    interview = offline_with_an_interview(page, context, world, as_person)
    add_attempt(page, interview, BEFORE_THE_RETURN)
    refused_beside(page, "attempted_at", "When did you try?", ATTEMPT_FIRST)
    add_attempt(page, interview, AFTER_THE_RETURN, NOTE)
    refused_beside(page, "notes", "Notes", "Use 5000 characters or fewer.")
    expect(status(page)).to_contain_text(waiting(0))

    context.set_offline(False)
    sync_and_wait(page)
    session.expire_all()
    assert session.scalars(select(InterviewAttempt)).all() == []


def test_a_change_the_server_refuses_is_named_put_right_and_sent(
        tablet, context, world, as_person, session):
    page = tablet
    interview = offline_with_an_interview(page, context, world, as_person)
    offer(page, interview, AFTER_THE_RETURN)
    add_attempt(page, interview, AFTER_THE_RETURN, "Ffoniais y gofalwr.")
    expect(status(page)).to_contain_text(waiting(2))

    # Meanwhile a supervisor corrects the return: the child came back at 10:00.
    patch(as_person(world.supervisor), "episodes", interview["episode_id"],
          returned_at="2026-03-02T10:00:00+00:00")
    context.set_offline(False)
    sync_and_wait(page)
    expect(status(page)).to_contain_text(waiting(0))
    expect(page.locator("#attention-link")).to_have_text("2 records need attention")

    go_to(page, f"#/interviews/{interview['id']}")
    expect(page.locator("ul.attempts")).to_contain_text("Refused: needs a change")
    click(page, "link", "2 records need attention")
    refused_offer = page.locator(".attention-item", has_text="When did you offer the interview?")
    expect(refused_offer).to_contain_text(
        f"When did you offer the interview?: {OFFER_FIRST['en']}")
    attempt = page.locator(".attention-item", has_text="When did you try?")
    expect(attempt).to_contain_text(f"When did you try?: {ATTEMPT_FIRST}")

    # Each is put right on the screen its link leads to, and sent.
    drawn_after(page, lambda: refused_offer.get_by_role("link", name="Put it right").click())
    expect(page.locator("h1")).to_have_text("Record the offer")
    page.locator("#offered_at").fill("2026-03-02T10:30")
    save(page)
    go_to(page, "#/attention")
    drawn_after(page, lambda: page.locator(".attention-item").get_by_role(
        "link", name="Put it right").click())
    expect(page.locator("h1")).to_have_text("Change the attempt")
    expect(page.locator("#notes")).to_have_value("Ffoniais y gofalwr.")
    page.locator("#attempted_at").fill("2026-03-02T10:15")
    save(page)
    expect(status(page)).to_contain_text(waiting(2))
    expect(page.locator("#attention-link")).to_be_hidden()

    sync_and_wait(page)
    expect(status(page)).to_contain_text(waiting(0))
    expect(page.locator("#attention-link")).to_be_hidden()
    session.expire_all()
    assert session.get(ReturnInterview, uuid.UUID(interview["id"])).offered_at.isoformat().startswith(
        "2026-03-02T10:30")
    (sent,) = session.scalars(select(InterviewAttempt)).all()
    assert sent.attempted_at.isoformat().startswith("2026-03-02T10:15")
    assert sent.notes == "Ffoniais y gofalwr."


def test_a_refused_child_is_shown_refused_and_the_waiting_counts_agree(
        tablet, context, world, monkeypatch):
    page = tablet
    context.set_offline(True)
    go_to(page, "#/children/new")
    page.locator("#given_name").fill("Gwenllïanna")  # eleven characters
    page.locator("#family_name").fill("Jones")
    save(page)
    go_to(page, "#/")
    gwen = page.locator("ul.children li", has_text="Gwenllïanna Jones")
    expect(gwen).to_contain_text("Waiting to be sent")
    expect(status(page)).to_contain_text(waiting(1))

    # The server's limit changed since the tablet last synced: ten characters now.
    shorten_first_names(monkeypatch, 10)
    context.set_offline(False)
    sync_and_wait(page)
    go_to(page, "#/")
    expect(status(page)).to_contain_text(waiting(0))
    expect(children_listed(page)).to_have_count(2)
    expect(gwen).to_contain_text("Refused: needs a change")
    expect(gwen).not_to_contain_text("Waiting to be sent")

    click(page, "link", "1 record needs attention")
    item = page.locator(".attention-item")
    expect(item).to_contain_text("First name: Use from 1 to 10 characters.")
    child_id = page.evaluate("""() => document.querySelector("ul.children") ? null
      : document.querySelector(".attention-item a.action").getAttribute("href")""")
    assert child_id.startswith("#/children/") and child_id.endswith("/edit")
