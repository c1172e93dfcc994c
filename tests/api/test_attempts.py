"""/api/v1/attempts: each attempt to reach the child, tied to one interview."""

import uuid

from sqlalchemy import func, select

from app.interviews.models import InterviewAttempt
from tests.api.helpers import (
    API,
    assert_problem,
    at,
    create_attempt,
    create_episode,
    create_interview,
    ids,
    list_all,
    patch,
    read,
)


def count_attempts(session) -> int:
    return session.scalar(select(func.count()).select_from(InterviewAttempt))


def new_interview(client, child_id) -> dict:
    return create_interview(client, create_episode(client, child_id)["id"])


def test_an_attempt_is_recorded(world, as_person):
    worker = as_person(world.worker)
    interview = new_interview(worker, world.child.id)
    response = worker.post(f"{API}/attempts", json={
        "interview_id": interview["id"], "attempted_at": "2026-03-02T09:00:00+00:00",
        "method": "via_carer", "outcome": "appointment_made", "notes": "Dydd Mercher am 4"})
    assert response.status_code == 201
    attempt = response.json
    assert response.headers["Location"].endswith(f"/api/v1/attempts/{attempt['id']}")
    assert attempt["interview_id"] == interview["id"]
    assert attempt["organisation_id"] == str(world.org_a.id)
    assert attempt["method"] == "via_carer"
    assert attempt["outcome"] == "appointment_made"
    assert at(attempt["attempted_at"]) == at("2026-03-02T09:00:00+00:00")

    again = read(worker, "attempts", attempt["id"])
    assert again["notes"] == "Dydd Mercher am 4"
    assert again["outcome"] == "appointment_made"


def test_a_client_may_choose_the_attempts_id(world, as_person):
    worker = as_person(world.worker)
    chosen = str(uuid.uuid4())
    attempt = create_attempt(worker, new_interview(worker, world.child.id)["id"], id=chosen)
    assert attempt["id"] == chosen
    assert read(worker, "attempts", chosen)["method"] == "phone"


def test_an_attempt_is_updated(world, as_person):
    worker = as_person(world.worker)
    attempt = create_attempt(worker, new_interview(worker, world.child.id)["id"])
    changed = patch(worker, "attempts", attempt["id"], outcome="spoke_to_child",
                    notes="Rang back later")
    assert changed["outcome"] == "spoke_to_child"
    assert changed["method"] == "phone"
    assert changed["rev"] > attempt["rev"]
    assert read(worker, "attempts", attempt["id"])["notes"] == "Rang back later"


def test_attempts_are_listed_in_time_order_and_filtered_by_interview(world, as_person):
    worker = as_person(world.worker)
    interview = new_interview(worker, world.child.id)
    later = create_attempt(worker, interview["id"], attempted_at="2026-03-02T15:00:00+00:00")
    earlier = create_attempt(worker, interview["id"], attempted_at="2026-03-02T09:00:00+00:00")
    other = create_attempt(worker, new_interview(worker, world.child.id)["id"])

    listed = list_all(worker, "attempts", interview_id=interview["id"])
    assert [a["id"] for a in listed] == [earlier["id"], later["id"]]
    assert other["id"] in ids(list_all(worker, "attempts"))

    first = worker.get(f"{API}/attempts",
                       query_string={"interview_id": interview["id"], "per_page": 1})
    assert first.json["total"] == 2
    assert [a["id"] for a in first.json["items"]] == [earlier["id"]]
    second = worker.get(first.json["next"])
    assert [a["id"] for a in second.json["items"]] == [later["id"]]
    assert second.json["next"] is None


def test_required_fields_are_named(world, as_person):
    response = as_person(world.worker).post(f"{API}/attempts", json={"notes": "x"})
    assert_problem(response, 422, ["interview_id", "attempted_at", "method", "outcome"])


def test_a_time_without_an_offset_is_refused(world, session, as_person):
    worker = as_person(world.worker)
    response = worker.post(f"{API}/attempts", json={
        "interview_id": new_interview(worker, world.child.id)["id"],
        "attempted_at": "2026-03-02T09:00:00", "method": "phone", "outcome": "no_answer"})
    assert_problem(response, 422, ["attempted_at"])
    assert count_attempts(session) == 0


def test_unknown_codes_are_named(world, session, as_person):
    worker = as_person(world.worker)
    response = worker.post(f"{API}/attempts", json={
        "interview_id": new_interview(worker, world.child.id)["id"],
        "attempted_at": "2026-03-02T09:00:00+00:00", "method": "carrier_pigeon",
        "outcome": "purple"})
    assert_problem(response, 422, ["method", "outcome"])
    assert count_attempts(session) == 0


def test_an_attempt_cannot_move_to_another_interview(world, as_person):
    worker = as_person(world.worker)
    attempt = create_attempt(worker, new_interview(worker, world.child.id)["id"])
    elsewhere = new_interview(worker, world.child.id)
    response = worker.patch(f"{API}/attempts/{attempt['id']}",
                            json={"interview_id": elsewhere["id"]})
    assert_problem(response, 422, ["interview_id"])
    assert read(worker, "attempts", attempt["id"])["interview_id"] == attempt["interview_id"]


def test_an_interview_outside_ones_cases_is_refused(world, as_person):
    colleague = as_person(world.colleague)
    interview = new_interview(colleague, world.colleague_child.id)
    response = as_person(world.worker).post(f"{API}/attempts", json={
        "interview_id": interview["id"], "attempted_at": "2026-03-02T09:00:00+00:00",
        "method": "phone", "outcome": "no_answer"})
    assert_problem(response, 422, ["interview_id"])


def test_a_failed_patch_leaves_the_attempt_unchanged(world, as_person):
    worker = as_person(world.worker)
    attempt = create_attempt(worker, new_interview(worker, world.child.id)["id"], notes="first")
    response = worker.patch(f"{API}/attempts/{attempt['id']}",
                            json={"notes": "second", "outcome": "nobody_knows"})
    assert_problem(response, 422, ["outcome"])
    again = read(worker, "attempts", attempt["id"])
    assert again["notes"] == "first" and again["outcome"] == "no_answer"
    assert again["rev"] == attempt["rev"]


def test_creating_with_an_id_that_exists_is_a_conflict(world, session, as_person):
    worker = as_person(world.worker)
    attempt = create_attempt(worker, new_interview(worker, world.child.id)["id"])
    response = worker.post(f"{API}/attempts", json={
        "id": attempt["id"], "interview_id": attempt["interview_id"],
        "attempted_at": "2026-03-03T09:00:00+00:00", "method": "letter",
        "outcome": "child_declined"})
    assert_problem(response, 409)
    assert count_attempts(session) == 1
    assert read(worker, "attempts", attempt["id"])["method"] == "phone"
