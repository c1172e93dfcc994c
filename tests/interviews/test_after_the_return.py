"""The offer, each attempt and the interview come after the child came back: refused on their
field, in the reader's language, by the API and by a push (one declared time order, whose
parent may be a parent's parent: an attempt's return is its interview's episode's)."""

import uuid

import pytest

from tests.api.helpers import (
    API,
    RETURNED,
    assert_problem,
    create_attempt,
    create_episode,
    create_interview,
    patch,
    read,
)
from tests.sync.http_helpers import enrol

BEFORE_THE_RETURN = "2026-03-02T07:59:00+00:00"
LATER = "2026-03-02T09:00:00+00:00"
OFFER_FIRST = {"en": "The offer must be after the child came back.",
               "cy": "Rhaid i'r cynnig fod ar ôl i'r plentyn ddychwelyd."}
ATTEMPT_FIRST = {"en": "The attempt must be after the child came back.",
                 "cy": "Rhaid i'r ymgais fod ar ôl i'r plentyn ddychwelyd."}


def reads_in(web, language: str) -> None:
    """The person reads in this language from now on (their account's choice): the API's
    answers and their tablet's pushes are worded in it."""
    me = web.get(f"{API}/me").json
    assert web.patch(f"{API}/people/{me['id']}",
                     json={"preferred_language": language}).status_code == 200


def errors_of(response) -> dict:
    return {error["field"]: error["messages"] for error in response.get_json()["errors"]}


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_api_refuses_an_offer_and_an_attempt_before_the_return_on_their_field(
        world, as_person, language):
    worker = as_person(world.worker)
    reads_in(worker, language)
    interview = create_interview(worker, create_episode(worker, world.child.id)["id"])

    offer = worker.patch(f"{API}/interviews/{interview['id']}",
                         json={"offered_at": BEFORE_THE_RETURN})
    assert_problem(offer, 422, ["offered_at"])
    assert errors_of(offer) == {"offered_at": [OFFER_FIRST[language]]}
    attempt = worker.post(f"{API}/attempts", json={
        "interview_id": interview["id"], "attempted_at": BEFORE_THE_RETURN, "method": "phone",
        "outcome": "no_answer"})
    assert_problem(attempt, 422, ["attempted_at"])
    assert errors_of(attempt) == {"attempted_at": [ATTEMPT_FIRST[language]]}

    # At the moment of the return is not before it.
    assert patch(worker, "interviews", interview["id"], offered_at=RETURNED)["offered_at"]
    made = create_attempt(worker, interview["id"], attempted_at=RETURNED)
    moved = worker.patch(f"{API}/attempts/{made['id']}", json={"attempted_at": BEFORE_THE_RETURN})
    assert errors_of(moved) == {"attempted_at": [ATTEMPT_FIRST[language]]}


def test_a_push_refuses_them_when_the_episode_and_interview_are_in_the_same_push(
        app, world, as_person):
    worker = as_person(world.worker)
    reads_in(worker, "cy")
    tablet = enrol(app, worker)
    episode, interview, attempt = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    results = tablet.push([
        tablet.mutation("episodes", episode, {
            "child_id": str(world.child.id), "reported_missing_at": "2026-03-01T10:00:00+00:00",
            "returned_at": RETURNED}),
        tablet.mutation("interviews", interview, {
            "episode_id": str(episode), "offered_at": BEFORE_THE_RETURN}),
        tablet.mutation("interviews", interview, {"episode_id": str(episode),
                                                  "offered_at": LATER}),
        tablet.mutation("attempts", attempt, {
            "interview_id": str(interview), "attempted_at": BEFORE_THE_RETURN,
            "method": "phone", "outcome": "no_answer"}),
    ])["results"]
    assert [result["status"] for result in results] == [
        "applied", "rejected", "applied", "rejected"]
    assert results[1]["errors"] == {"offered_at": [OFFER_FIRST["cy"]]}
    assert results[3]["errors"] == {"attempted_at": [ATTEMPT_FIRST["cy"]]}


def test_a_return_moved_later_refuses_only_a_change_that_sets_the_time(app, world, as_person):
    """A supervisor moves the return after the offer the worker recorded: the worker's other
    changes to the interview still go through; a change to the offer must put it right."""
    worker = as_person(world.worker)
    episode = create_episode(worker, world.child.id)
    interview = create_interview(worker, episode["id"], offered_at=LATER)
    patch(as_person(world.supervisor), "episodes", episode["id"],
          returned_at="2026-03-02T10:00:00+00:00")

    tablet = enrol(app, worker)
    rev = read(worker, "interviews", interview["id"])["rev"]
    notes, offer = tablet.push([
        tablet.mutation("interviews", interview["id"], {"notes": "Nodyn"}, base_rev=rev),
        tablet.mutation("interviews", interview["id"], {"offered_at": LATER}, base_rev=rev),
    ])["results"]
    assert notes["status"] in {"applied", "merged"}
    assert offer["status"] == "rejected"
    assert offer["errors"] == {"offered_at": [OFFER_FIRST["en"]]}
    (fixed,) = tablet.push([tablet.mutation(
        "interviews", interview["id"], {"offered_at": "2026-03-02T10:30:00+00:00"},
        base_rev=read(worker, "interviews", interview["id"])["rev"])])["results"]
    assert fixed["status"] == "applied"
