"""/api/v1/episodes: create, read, update, list and filters; validation; a failed change leaves
the episode as it was; derived length and repeat counts; revisions."""

import uuid

from sqlalchemy import func, select

from app.cases.models import MissingEpisode
from tests.api.helpers import (
    API,
    REPORTED,
    RETURNED,
    assert_problem,
    at,
    create_child,
    create_episode,
    ids,
    list_all,
    patch,
    read,
)


def count_episodes(session) -> int:
    return session.scalar(select(func.count()).select_from(MissingEpisode))


def post_episode(client, **fields):
    return client.post(f"{API}/episodes", json=fields)


# --- create, read, update, list ---------------------------------------------------------------

def test_worker_records_an_episode(world, as_person):
    worker = as_person(world.worker)
    response = post_episode(worker, child_id=str(world.child.id),
                            reported_missing_at=REPORTED, returned_at=RETURNED,
                            return_method="found", risk_grade="medium",
                            reporting_force_code="W15000003", where_found="Swansea bus station")
    assert response.status_code == 201
    episode = response.json
    assert response.headers["Location"].endswith(f"/api/v1/episodes/{episode['id']}")
    assert episode["child_id"] == str(world.child.id)
    assert episode["organisation_id"] == str(world.org_a.id)
    assert at(episode["reported_missing_at"]) == at(REPORTED)
    assert at(episode["returned_at"]) == at(RETURNED)
    assert episode["return_method"] == "found"
    assert episode["risk_grade"] == "medium"
    assert episode["reporting_force_code"] == "W15000003"
    assert episode["where_found"] == "Swansea bus station"

    again = read(worker, "episodes", episode["id"])
    assert at(again["reported_missing_at"]) == at(REPORTED)
    assert again["risk_grade"] == "medium"


def test_times_are_given_back_as_the_same_instant(world, as_person):
    worker = as_person(world.worker)
    # 10:00 in Wales in summer time is 09:00 UTC.
    episode = create_episode(worker, world.child.id, reported="2026-07-01T10:00:00+01:00",
                             returned="2026-07-01T20:00:00+01:00")
    again = read(worker, "episodes", episode["id"])
    assert at(again["reported_missing_at"]) == at("2026-07-01T09:00:00+00:00")
    assert at(again["returned_at"]) == at("2026-07-01T19:00:00+00:00")
    assert again["episode_length_minutes"] == 600


def test_an_episode_still_missing_has_no_return(world, as_person):
    worker = as_person(world.worker)
    episode = create_episode(worker, world.child.id, returned=None)
    assert episode["returned_at"] is None
    assert episode["episode_length_minutes"] is None

    returned = patch(worker, "episodes", episode["id"], returned_at=RETURNED,
                     return_method="came_back")
    assert at(returned["returned_at"]) == at(RETURNED)
    assert returned["return_method"] == "came_back"
    assert at(returned["reported_missing_at"]) == at(REPORTED)


def test_a_client_may_choose_the_episodes_id(world, as_person):
    worker = as_person(world.worker)
    chosen = str(uuid.uuid4())
    assert create_episode(worker, world.child.id, id=chosen)["id"] == chosen
    assert read(worker, "episodes", chosen)["child_id"] == str(world.child.id)


def test_episodes_are_filtered_by_child(world, as_person):
    supervisor = as_person(world.supervisor)
    mine = create_episode(supervisor, world.child.id)
    theirs = create_episode(supervisor, world.colleague_child.id)

    assert ids(list_all(supervisor, "episodes", child_id=str(world.child.id))) == {mine["id"]}
    assert ids(list_all(supervisor, "episodes",
                        child_id=str(world.colleague_child.id))) == {theirs["id"]}


def test_episodes_are_filtered_by_return(world, as_person):
    worker = as_person(world.worker)
    back = create_episode(worker, world.child.id)
    away = create_episode(worker, world.child.id, reported="2026-04-01T10:00:00+00:00",
                          returned=None)
    assert ids(list_all(worker, "episodes", returned="true")) == {back["id"]}
    assert ids(list_all(worker, "episodes", returned="false")) == {away["id"]}


def test_episode_list_is_paged_and_the_next_link_keeps_the_filter(world, as_person):
    worker = as_person(world.worker)
    older = create_episode(worker, world.child.id)
    newer = create_episode(worker, world.child.id, reported="2026-04-01T10:00:00+00:00",
                           returned="2026-04-01T18:00:00+00:00")
    other_child = create_child(worker)
    create_episode(worker, other_child["id"])

    first = worker.get(f"{API}/episodes",
                       query_string={"child_id": str(world.child.id), "per_page": 1})
    assert first.status_code == 200
    assert first.json["total"] == 2
    assert [e["id"] for e in first.json["items"]] == [newer["id"]]  # newest report first
    assert first.json["next"]
    assert f"child_id={world.child.id}" in first.json["next"]

    second = worker.get(first.json["next"])
    assert [e["id"] for e in second.json["items"]] == [older["id"]]
    assert second.json["total"] == 2
    assert second.json["next"] is None


def test_list_parameters_are_validated(world, as_person):
    worker = as_person(world.worker)
    assert_problem(worker.get(f"{API}/episodes?per_page=0"), 422, ["per_page"])
    assert_problem(worker.get(f"{API}/episodes?page=0"), 422, ["page"])
    assert_problem(worker.get(f"{API}/episodes?per_page=many"), 422, ["per_page"])
    assert_problem(worker.get(f"{API}/episodes?child_id=not-a-uuid"), 422, ["child_id"])
    assert_problem(worker.get(f"{API}/episodes?bogus=1"), 422, ["bogus"])


# --- validation -------------------------------------------------------------------------------

def test_missing_required_fields_are_named(world, as_person):
    response = post_episode(as_person(world.worker), where_found="park")
    assert_problem(response, 422, ["child_id", "reported_missing_at"])


def test_a_time_without_an_offset_is_refused(world, session, as_person):
    response = post_episode(as_person(world.worker), child_id=str(world.child.id),
                            reported_missing_at="2026-03-01T10:00:00")
    assert_problem(response, 422, ["reported_missing_at"])
    assert count_episodes(session) == 0


def test_wrong_types_are_named(world, as_person):
    response = post_episode(as_person(world.worker), child_id="nobody",
                            reported_missing_at="yesterday", where_found=["a", "list"])
    assert_problem(response, 422, ["child_id", "reported_missing_at", "where_found"])


def test_an_unknown_field_is_named(world, as_person):
    response = post_episode(as_person(world.worker), child_id=str(world.child.id),
                            reported_missing_at=REPORTED, bogus="x")
    assert_problem(response, 422, ["bogus"])


def test_unknown_codes_are_named(world, session, as_person):
    response = post_episode(as_person(world.worker), child_id=str(world.child.id),
                            reported_missing_at=REPORTED, risk_grade="purple",
                            return_method="teleported")
    assert_problem(response, 422, ["risk_grade", "return_method"])
    assert count_episodes(session) == 0


def test_a_reporting_force_must_be_a_police_force(world, as_person):
    worker = as_person(world.worker)
    for code in ("W15999999", "W06000015"):
        response = post_episode(worker, child_id=str(world.child.id),
                                reported_missing_at=REPORTED, reporting_force_code=code)
        assert_problem(response, 422, ["reporting_force_code"])


def test_a_return_before_the_report_is_refused_on_create(world, session, as_person):
    response = post_episode(as_person(world.worker), child_id=str(world.child.id),
                            reported_missing_at=REPORTED, returned_at="2026-03-01T09:59:00+00:00")
    assert_problem(response, 422, ["returned_at"])
    assert count_episodes(session) == 0


def test_a_return_before_the_report_is_refused_on_a_patch_of_only_returned_at(world, as_person):
    worker = as_person(world.worker)
    episode = create_episode(worker, world.child.id, returned=None)
    response = worker.patch(f"{API}/episodes/{episode['id']}",
                            json={"returned_at": "2026-02-28T10:00:00+00:00"})
    assert_problem(response, 422, ["returned_at"])
    assert read(worker, "episodes", episode["id"])["returned_at"] is None


def test_moving_the_report_after_the_return_is_refused(world, as_person):
    worker = as_person(world.worker)
    episode = create_episode(worker, world.child.id)
    response = worker.patch(f"{API}/episodes/{episode['id']}",
                            json={"reported_missing_at": "2026-03-03T10:00:00+00:00"})
    assert response.status_code == 422
    assert at(read(worker, "episodes", episode["id"])["reported_missing_at"]) == at(REPORTED)


# --- a failed request changes nothing ---------------------------------------------------------

def test_a_patch_with_an_unknown_field_leaves_the_episode_unchanged(world, as_person):
    worker = as_person(world.worker)
    episode = create_episode(worker, world.child.id)
    response = worker.patch(f"{API}/episodes/{episode['id']}", json={
        "reported_missing_at": "2026-03-01T06:00:00+00:00", "bogus": True})
    assert_problem(response, 422, ["bogus"])
    again = read(worker, "episodes", episode["id"])
    assert at(again["reported_missing_at"]) == at(REPORTED)
    assert again["rev"] == episode["rev"]


def test_a_patch_with_an_unknown_code_leaves_the_episode_unchanged(world, as_person):
    worker = as_person(world.worker)
    episode = create_episode(worker, world.child.id, risk_grade="low")
    response = worker.patch(f"{API}/episodes/{episode['id']}", json={
        "reported_missing_at": "2026-03-01T06:00:00+00:00", "risk_grade": "purple"})
    assert_problem(response, 422, ["risk_grade"])
    again = read(worker, "episodes", episode["id"])
    assert at(again["reported_missing_at"]) == at(REPORTED)
    assert again["risk_grade"] == "low"
    assert again["rev"] == episode["rev"]


def test_creating_with_an_id_that_exists_is_a_conflict_and_changes_nothing(world, session,
                                                                          as_person):
    worker = as_person(world.worker)
    episode = create_episode(worker, world.child.id, risk_grade="low")
    response = post_episode(worker, id=episode["id"], child_id=str(world.child.id),
                            reported_missing_at="2026-05-01T10:00:00+00:00", risk_grade="high")
    assert_problem(response, 409)
    assert count_episodes(session) == 1
    again = read(worker, "episodes", episode["id"])
    assert again["risk_grade"] == "low"
    assert at(again["reported_missing_at"]) == at(REPORTED)
    assert again["rev"] == episode["rev"]


# --- derived facts ----------------------------------------------------------------------------

def test_episode_length_in_minutes(world, as_person):
    worker = as_person(world.worker)
    episode = create_episode(worker, world.child.id, reported="2026-03-01T10:00:00+00:00",
                             returned="2026-03-02T12:30:00+00:00")
    assert episode["episode_length_minutes"] == 26 * 60 + 30
    assert read(worker, "episodes", episode["id"])["episode_length_minutes"] == 1590


def test_repeat_counts_cover_the_childs_episodes_in_each_window(world, as_person):
    worker = as_person(world.worker)
    last_year = create_episode(worker, world.child.id, reported="2025-01-10T10:00:00+00:00",
                               returned="2025-01-10T20:00:00+00:00")
    march = create_episode(worker, world.child.id, reported="2026-03-01T10:00:00+00:00",
                           returned="2026-03-01T20:00:00+00:00")
    late_march = create_episode(worker, world.child.id, reported="2026-03-20T10:00:00+00:00",
                                returned="2026-03-20T20:00:00+00:00")
    april = create_episode(worker, world.child.id, reported="2026-04-10T10:00:00+00:00",
                           returned="2026-04-10T20:00:00+00:00")
    # Another child's episode never counts.
    create_episode(as_person(world.colleague), world.colleague_child.id,
                   reported="2026-04-09T10:00:00+00:00", returned=None)

    counts = {e["id"]: (e["episodes_last_4_weeks"], e["episodes_last_12_months"])
              for e in list_all(worker, "episodes", child_id=str(world.child.id))}
    assert counts[last_year["id"]] == (1, 1)
    assert counts[march["id"]] == (1, 1)
    assert counts[late_march["id"]] == (2, 2)
    # 4 weeks before 10 April is 13 March; 12 months before reaches back past January 2025.
    assert counts[april["id"]] == (2, 3)
    assert read(worker, "episodes", april["id"])["episodes_last_4_weeks"] == 2


def test_repeat_counts_include_the_episode_just_created(world, as_person):
    worker = as_person(world.worker)
    create_episode(worker, world.child.id)
    second = create_episode(worker, world.child.id, reported="2026-03-05T10:00:00+00:00",
                            returned="2026-03-05T12:00:00+00:00")
    assert second["episodes_last_4_weeks"] == 2
    assert second["episodes_last_12_months"] == 2


def test_derived_facts_cannot_be_sent(world, as_person):
    response = post_episode(as_person(world.worker), child_id=str(world.child.id),
                            reported_missing_at=REPORTED, episode_length_minutes=5)
    assert_problem(response, 422, ["episode_length_minutes"])


# --- revisions --------------------------------------------------------------------------------

def test_every_change_raises_the_revision(world, as_person):
    worker = as_person(world.worker)
    first = create_episode(worker, world.child.id, returned=None)
    second = create_episode(worker, world.child.id, reported="2026-04-01T10:00:00+00:00",
                            returned=None)
    assert second["rev"] > first["rev"]
    returned = patch(worker, "episodes", first["id"], returned_at=RETURNED)
    assert returned["rev"] > second["rev"]
    graded = patch(worker, "episodes", first["id"], risk_grade="high")
    assert graded["rev"] > returned["rev"]
    assert read(worker, "episodes", first["id"])["rev"] == graded["rev"]
