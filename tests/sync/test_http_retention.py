"""Data minimisation over HTTP: a case finished longer ago than TABLET_KEEPS_DAYS leaves the
tablets through a pull's removals, is never sent again (a full resync included), and comes back
when it is unfinished again; a recent one stays; the API keeps them all."""

import uuid
from datetime import timedelta

from sqlalchemy import update

from app.cases.models import MissingEpisode
from app.core.types import utcnow
from app.interviews.models import InterviewAttempt, InterviewStatus, ReturnInterview
from tests.sync.http_helpers import (
    API,
    ATTEMPTED,
    REPORTED,
    RETURNED,
    at,
    enrol,
    ids_of,
    record,
    statuses,
)

COLLECTIONS = ("children", "episodes", "interviews", "attempts")


def finished_case(session, child, days_ago: float) -> dict:
    """An episode of this child with an attempt and an interview approved `days_ago` days ago
    (its rows aged directly, as time would)."""
    episode = MissingEpisode(organisation_id=child.organisation_id, child_id=child.id,
                             reported_missing_at=at(REPORTED), returned_at=at(RETURNED))
    session.add(episode)
    session.flush()
    interview = ReturnInterview(organisation_id=child.organisation_id, episode_id=episode.id,
                                status=InterviewStatus.APPROVED, why_missing="Roedd hi'n unig")
    session.add(interview)
    session.flush()
    attempt = InterviewAttempt(organisation_id=child.organisation_id, interview_id=interview.id,
                               attempted_at=at(ATTEMPTED), method="phone", outcome="no_answer")
    session.add(attempt)
    session.commit()
    age(session, interview.id, days_ago)
    return {"children": str(child.id), "episodes": str(episode.id),
            "interviews": str(interview.id), "attempts": str(attempt.id)}


def age(session, interview_id, days_ago: float) -> None:
    """The interview last changed (approved) `days_ago` days ago; its revision unchanged."""
    session.execute(update(ReturnInterview).where(ReturnInterview.id == uuid.UUID(str(interview_id)))
                    .values(updated_at=utcnow() - timedelta(days=days_ago)))
    session.commit()


def keys(case: dict) -> set:
    return {(collection, case[collection]) for collection in COLLECTIONS}


def test_a_case_finished_longer_ago_than_the_setting_leaves_at_the_next_pull(
        world, as_person, app, session):
    case = finished_case(session, world.child, days_ago=1)
    tablets = [enrol(app, as_person(person), name)
               for person, name in ((world.worker, "One"), (world.worker, "Two"),
                                    (world.supervisor, "Supervisor's"))]
    for tablet in tablets:
        assert keys(case) <= set(tablet.pull()["changes"])

    age(session, case["interviews"], days_ago=31)

    for tablet in tablets:  # each tablet of the worker, and the supervisor's own
        pulled = tablet.pull()
        assert keys(case) <= set(pulled["removals"])
        assert not keys(case) & set(pulled["changes"])
        assert tablet.pull()["removals"] == {}  # told once
    # A full resync sends none of it.
    fresh = enrol(app, as_person(world.worker), "Fresh").pull()
    assert not keys(case) & set(fresh["changes"])
    # The server's pages and the API keep it.
    web = as_person(world.supervisor)
    assert web.get(f"{API}/children/{case['children']}").status_code == 200
    assert web.get(f"{API}/interviews/{case['interviews']}").status_code == 200


def test_a_case_finished_within_the_setting_stays(world, as_person, app, session):
    case = finished_case(session, world.child, days_ago=29)
    tablet = enrol(app, as_person(world.worker))
    assert keys(case) <= set(tablet.pull()["changes"])

    again = tablet.pull()
    assert again["removals"] == {}
    fresh = enrol(app, as_person(world.worker), "Fresh").pull()
    assert keys(case) <= set(fresh["changes"])


def test_the_days_are_a_setting(world, as_person, app, session, monkeypatch):
    case = finished_case(session, world.child, days_ago=6)
    tablet = enrol(app, as_person(world.worker))
    assert keys(case) <= set(tablet.pull()["changes"])

    monkeypatch.setitem(app.config, "TABLET_KEEPS_DAYS", 5)

    assert keys(case) <= set(tablet.pull()["removals"])


def test_a_case_with_an_episode_not_yet_approved_stays(world, as_person, app, session):
    case = finished_case(session, world.child, days_ago=40)
    open_episode = MissingEpisode(organisation_id=world.child.organisation_id,
                                  child_id=world.child.id, reported_missing_at=at(REPORTED))
    session.add(open_episode)
    session.commit()

    pulled = enrol(app, as_person(world.worker)).pull()

    assert keys(case) | {("episodes", str(open_episode.id))} <= set(pulled["changes"])


def test_a_case_unfinished_again_comes_back_whole(world, as_person, app, session):
    case = finished_case(session, world.child, days_ago=1)
    tablet = enrol(app, as_person(world.worker))
    tablet.pull()
    age(session, case["interviews"], days_ago=31)
    assert keys(case) <= set(tablet.pull()["removals"])

    made = as_person(world.worker).post(f"{API}/episodes", json={
        "child_id": case["children"], "reported_missing_at": "2026-04-01T10:00:00+01:00"})
    assert made.status_code == 201, made.get_data(as_text=True)

    back = tablet.pull()
    assert keys(case) | {("episodes", made.json["id"])} <= set(back["changes"])
    assert not keys(case) & set(back["removals"])
    assert record(back, "interviews", case["interviews"])["why_missing"] == "Roedd hi'n unig"
    assert tablet.pull()["changes"] == {}  # brought back once
    fresh = enrol(app, as_person(world.worker), "Fresh").pull()
    assert keys(case) <= set(fresh["changes"])


def test_a_change_pushed_to_a_case_that_left_is_applied_and_leaves_too(
        world, as_person, app, session):
    case = finished_case(session, world.child, days_ago=31)
    tablet = enrol(app, as_person(world.worker))
    assert not ids_of(tablet.pull(), "children") & {case["children"]}
    # A change the tablet made before the case left, sent late.
    pushed = tablet.push([tablet.mutation("children", case["children"],
                                          {"preferred_language": "cy"}, base_rev=None)])

    assert statuses(pushed) in (["applied"], ["merged"])
    web = as_person(world.worker)
    assert web.get(f"{API}/children/{case['children']}").json["preferred_language"] == "cy"
    after = tablet.pull()
    assert ("children", case["children"]) in after["removals"]
    assert ("children", case["children"]) not in after["changes"]


def test_a_finished_case_reassigned_stays_off_the_new_workers_tablet(
        world, as_person, app, session):
    case = finished_case(session, world.child, days_ago=31)
    tablet = enrol(app, as_person(world.colleague))
    tablet.pull()

    moved = as_person(world.supervisor).patch(f"{API}/children/{case['children']}",
                                              json={"assigned_worker_id": str(world.colleague.id)})
    assert moved.status_code == 200, moved.get_data(as_text=True)

    assert not keys(case) & set(tablet.pull()["changes"])


def test_an_approval_through_the_api_starts_the_days(world, as_person, app, session,
                                                    monkeypatch):
    case = finished_case(session, world.child, days_ago=40)
    session.execute(update(ReturnInterview).values(status=InterviewStatus.SUBMITTED))
    session.commit()
    tablet = enrol(app, as_person(world.worker))
    assert keys(case) <= set(tablet.pull()["changes"])

    approved = as_person(world.supervisor).patch(f"{API}/interviews/{case['interviews']}",
                                                 json={"status": "approved"})
    assert approved.status_code == 200, approved.get_data(as_text=True)

    assert tablet.pull()["removals"] == {}  # approved today: 30 days to go
    monkeypatch.setitem(app.config, "TABLET_KEEPS_DAYS", 0)
    assert keys(case) <= set(tablet.pull()["removals"])



def a_case_finishing_between_two_pages(session, world, tablet) -> tuple[dict, set, dict]:
    """A case whose first records a pull's first page sends, finished before its next page is
    asked for: (the case, what the first page sent, the next page)."""
    case = finished_case(session, world.child, days_ago=1)
    first = tablet.get_pull(limit=2).json
    assert first["more"]
    age(session, case["interviews"], days_ago=31)
    rest = tablet.get_pull(first["cursor"], limit=500).json
    assert not keys(case) & {(c["collection"], c["id"]) for c in rest["changes"]}  # never sent
    tablet.cursor = rest["cursor"]
    return case, {(c["collection"], c["id"]) for c in first["changes"]}, rest


def test_a_pull_of_many_pages_settles_what_leaves_once_and_the_next_pull_removes_it(
        world, as_person, app, session):
    """A pull of many pages settles which cases leave at its first page, not at every page; a
    case that finishes meanwhile is not sent by it, and what the tablet already holds of it
    leaves at the next pull."""
    tablet = enrol(app, as_person(world.worker), "One")
    case, first_sent, rest = a_case_finishing_between_two_pages(session, world, tablet)
    assert first_sent & keys(case)
    assert not rest["removals"]
    assert first_sent & keys(case) <= set(tablet.pull()["removals"])


def test_a_pull_resumed_long_after_its_last_page_settles_again(world, as_person, app, session,
                                                               monkeypatch):
    monkeypatch.setattr("app.syncing.retiring.CONTINUATION", timedelta(0))
    tablet = enrol(app, as_person(world.worker), "One")
    case, first_sent, rest = a_case_finishing_between_two_pages(session, world, tablet)
    assert first_sent & keys(case) <= {(r["collection"], r["id"]) for r in rest["removals"]}
