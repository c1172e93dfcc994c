"""A conflict as the worker reads it, in real Chromium: whose record and which, the field by the
label of the form that asks for it, and both values written for a person (a date and time in
London, a code list's label), in the app's language."""

from playwright.sync_api import expect

from tests.api.helpers import create_episode, create_interview, patch
from tests.browser.steps import (
    continue_on,
    go_to,
    open_tablet,
    screen_drawn,
    status,
    violations,
)

OFFER = "When did you offer the interview?"


def changed_offline(page, context):
    """With no signal, the worker changes when the interview was offered and where it is held."""
    page.clock.install()
    context.set_offline(True)
    page.get_by_role("link", name="Cerys Test").click()
    page.get_by_role("link", name="Open the return interview").click()
    page.get_by_role("link", name="Change the offer").click()
    page.locator("#offered_at").fill("2026-03-02T11:00")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Go to the questions").click()
    expect(page.locator("h1")).to_have_text("About the interview")
    page.get_by_label("Placement", exact=True).check()
    continue_on(page)
    expect(page.locator("h1")).to_have_text("About you")
    page.clock.run_for(3500)  # the sync planned after the change falls due, with no signal


def test_a_conflict_names_the_child_the_record_the_field_and_both_values(
        live_server, context, page, world, as_person):
    worker = as_person(world.worker)
    episode = create_episode(worker, world.child.id)
    interview = create_interview(worker, episode["id"], offered_at="2026-03-02T09:30:00+00:00",
                                 consent="accepted", conducted_at="2026-03-03T14:30:00+00:00",
                                 location="home")
    open_tablet(page, live_server, world)
    changed_offline(page, context)
    patch(as_person(world.supervisor), "interviews", interview["id"],
          offered_at="2026-03-02T10:15:00+00:00", location="school")
    context.set_offline(False)
    expect(page.locator("#attention-link")).to_have_text("2 records need attention")
    page.locator("#attention-link").click()
    screen_drawn(page)

    offer = page.locator(".attention-item", has_text=OFFER)
    expect(offer.locator("h2")).to_have_text(f"Changed in two places: {OFFER}")
    expect(offer.locator(".which-record")).to_have_text(
        "Cerys Test: Return interview, episode reported Sunday, 1 March 2026")
    expect(offer.locator("dd")).to_have_text(["Monday, 2 March 2026, 11:00",
                                              "Monday, 2 March 2026, 10:15"])
    place = page.locator(".attention-item", has_text="Where?")
    expect(place.locator("dd")).to_have_text(["Placement", "School"])
    assert violations(page) == []

    page.locator(".bar").get_by_role("button", name="Cymraeg").click()
    place = page.locator(".attention-item", has_text="Ble?")
    expect(place.locator("dd")).to_have_text(["Lleoliad gofal", "Ysgol"])
    expect(place.locator(".which-record")).to_have_text(
        "Cerys Test: Cyfweliad dychwelyd adref, cyfnod ar goll a adroddwyd ar "
        "Dydd Sul, 1 Mawrth 2026")


WANTS_TO_TALK = "Does the young person want to talk to someone about what happened?"


def test_a_conflict_on_a_local_answer_shows_the_question_and_both_answers(
        live_server, context, page, world, as_person):
    worker = as_person(world.worker)
    episode = create_episode(worker, world.child.id)
    interview = create_interview(worker, episode["id"], consent="accepted",
                                 conducted_at="2026-03-03T14:30:00+00:00")
    open_tablet(page, live_server, world)
    page.clock.install()
    context.set_offline(True)
    go_to(page, f"#/interviews/{interview['id']}/questions/talk_to_someone")
    page.get_by_label("Yes", exact=True).check()
    expect(status(page)).to_contain_text("1 change waiting to be sent")
    page.clock.run_for(3500)
    patch(as_person(world.supervisor), "interviews", interview["id"],
          local_answers={"wants_to_talk": False})
    context.set_offline(False)
    expect(page.locator("#attention-link")).to_have_text("1 record needs attention")
    page.locator("#attention-link").click()
    screen_drawn(page)
    item = page.locator(".attention-item")
    expect(item.locator("h2")).to_have_text(f"Changed in two places: {WANTS_TO_TALK}")
    expect(item.locator("dd")).to_have_text(["Yes", "No"])
