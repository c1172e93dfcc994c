"""A flaky network, in real Chromium: changes made with no signal (a child, a missing episode,
an interview with its offer, an attempt and answers) go out when the signal comes back, but the
connection fails at the worst moments. The server applies a batch and the tablet never hears the
answer; a pull is cut off mid-way; the network drops before a push reaches the server. Whatever
happens, the server ends up with exactly one copy of every record and every answer, the tablet's
outbox empties, and the repeated batch is recognised as already applied."""

import re

from playwright.sync_api import expect
from sqlalchemy import select

from app.syncing.models import ResultBatch
from tests.browser.steps import (
    PUSH,
    add_child,
    add_returned_episode,
    agree_to_talk_at_the_placement,
    attempts_of,
    children_listed,
    children_named,
    continue_on,
    device_of,
    episode_of,
    go_to,
    interview_of,
    push_fails,
    record_offer,
    start_interview,
    status,
    sync_and_wait,
    violations,
    waiting,
)

GIVEN, FAMILY = "Heledd", "Prawf"
WHY = "She wanted to see her friends in Cardiff; nobody at home listened."
PULL = "**/api/v1/sync/pull*"


def make_changes_offline(page):
    """Adds a child, a missing episode, and an interview with an offer, an attempt, the young
    person's agreement and two answers, all with no signal."""
    add_child(page, GIVEN, FAMILY)
    add_returned_episode(page)
    start_interview(page, f"{GIVEN} {FAMILY}")
    record_offer(page)
    page.get_by_role("link", name="Add an attempt").click()
    page.get_by_label("In person").check()
    page.get_by_label("Spoke to the young person").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("ul.attempts li")).to_have_count(1)

    agree_to_talk_at_the_placement(page)
    page.get_by_label("In the young person's own words, how long were they away?").fill(
        "One night")
    continue_on(page)
    page.get_by_label("Why did the young person go missing?").fill(WHY)
    continue_on(page)
    expect(page.locator(".caption")).to_have_text("Push factors")


def results_kept(session, device) -> int:
    return sum(len(results) for results in session.scalars(select(ResultBatch.results).where(
        ResultBatch.device_id == device.id)))


def assert_one_copy_of_everything(session, world):
    children = children_named(session, GIVEN)
    assert len(children) == 1
    child = children[0]
    assert child.family_name == FAMILY and child.assigned_worker_id == world.worker.id
    assert episode_of(session, child).return_method is not None  # the one episode
    interview = interview_of(session, child)
    assert interview.consent == "accepted" and interview.offered_at is not None
    assert interview.location == "placement" and interview.duration_account == "One night"
    assert interview.why_missing == WHY and interview.status == "draft"
    attempts = attempts_of(session, interview)
    assert [(a.method, a.outcome) for a in attempts] == [("in_person", "spoke_to_child")]
    # Nothing of Cerys's was touched or copied.
    assert len(children_named(session, "Cerys")) == 1


def test_a_batch_the_server_applied_but_the_tablet_never_heard_is_not_applied_twice(
        tablet, context, world, session):
    page = tablet
    context.set_offline(True)
    make_changes_offline(page)

    reached = []      # push bodies that reached the server, with the server's answers
    network = {"up": False, "pulls": False}

    def push(route):
        if reached and not network["up"]:
            route.abort("internetdisconnected")  # still no signal: nothing reaches the server
            return
        response = route.fetch()
        reached.append((route.request.post_data_json, response.json()))
        if len(reached) == 1:
            route.abort("connectionreset")  # applied on the server; the answer is lost
        else:
            route.fulfill(response=response)

    pulls = []

    def pull(route):
        response = route.fetch()
        pulls.append(response.json())
        if not network["pulls"]:  # cut off mid-way: half a JSON document arrives
            body = response.body()
            route.fulfill(status=200, content_type="application/json",
                          body=body[:len(body) // 2])
        else:
            route.fulfill(response=response)

    page.route(PUSH, push)
    page.route(PULL, pull)
    with push_fails(page):
        context.set_offline(False)  # the app syncs by itself when the network comes back

    first_request, first_answer = reached[0]
    sent_ids = [m["mutation_id"] for m in first_request["mutations"]]
    count = len(sent_ids)
    assert count >= 4 and sent_ids == sorted(sent_ids)
    assert [r["status"] for r in first_answer["results"]] == ["applied"] * count
    # The tablet never heard, so it keeps every change and says the sync did not work...
    expect(status(page)).to_have_text(re.compile(rf"^Offline · {waiting(count)} · Last synced"))
    # ...while the server has applied all of them already.
    device = device_of(session, world.worker)
    assert results_kept(session, device) == count and device.last_mutation_id == sent_ids[-1]
    assert len(children_named(session, GIVEN)) == 1

    # The signal is back, but every pull is cut off half way for now.
    network["up"] = True
    page.locator("#sync-now").click()
    expect(status(page)).to_have_text(re.compile(r"^Offline · 0 changes waiting to be sent"))
    assert len(reached) == 2 and len(pulls) >= 1
    # What was cut off held the new child, but the tablet read none of it.
    assert any(c["record"].get("given_name") == GIVEN for c in pulls[0]["changes"])
    again_request, again_answer = reached[1]
    assert [m["mutation_id"] for m in again_request["mutations"]] == sent_ids
    # Every change sent again was recognised as one the server already had.
    assert [r["status"] for r in again_answer["results"]] == ["duplicate"] * count
    assert [r["original"]["status"] for r in again_answer["results"]] == ["applied"] * count

    network["pulls"] = True
    sync_and_wait(page)
    expect(status(page)).to_have_text(
        re.compile(r"^Online · 0 changes waiting to be sent · Last synced"))
    assert len(reached) == 2 and len(pulls) >= 2
    assert_one_copy_of_everything(session, world)
    assert results_kept(session, device_of(session, world.worker)) == count

    # The tablet shows the server's copy: nothing is marked as waiting any more.
    go_to(page, "#/")
    expect(children_listed(page)).to_have_text([f"{GIVEN} {FAMILY}", "Cerys Test"])
    expect(page.locator("ul.children .badge")).to_have_count(0)
    assert violations(page) == []


def test_changes_dropped_before_they_reach_the_server_are_sent_once_later(
        tablet, context, world, session):
    page = tablet
    context.set_offline(True)
    make_changes_offline(page)

    network = {"up": False}
    reached = []

    def push(route):
        if not network["up"]:
            route.abort("internetdisconnected")  # lost on the way: the server never saw it
            return
        response = route.fetch()
        reached.append((route.request.post_data_json, response.json()))
        route.fulfill(response=response)

    page.route(PUSH, push)
    with push_fails(page):
        context.set_offline(False)
    expect(status(page)).to_have_text(re.compile(r"^Offline · \d+ changes waiting to be sent"))
    waiting_text = status(page).text_content()
    device = device_of(session, world.worker)
    assert results_kept(session, device) == 0 and device.last_mutation_id == 0
    assert children_named(session, GIVEN) == []

    network["up"] = True
    sync_and_wait(page)
    expect(status(page)).to_have_text(
        re.compile(r"^Online · 0 changes waiting to be sent · Last synced"))
    assert len(reached) == 1
    request, answer = reached[0]
    count = len(request["mutations"])
    assert waiting(count) in waiting_text
    assert [r["status"] for r in answer["results"]] == ["applied"] * count
    assert_one_copy_of_everything(session, world)
    assert results_kept(session, device_of(session, world.worker)) == count
