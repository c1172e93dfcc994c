"""The 72-hour clock: from the child's return to the interview, in real elapsed time, whatever the
clocks on the wall do; and the same figures as the API shows them."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.interviews import clock

LONDON = ZoneInfo("Europe/London")
RETURNED = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)


def as_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def test_exactly_72_hours_is_within():
    conducted = RETURNED + timedelta(hours=72)
    assert clock.within_deadline(RETURNED, conducted) is True
    assert clock.hours_to_interview(RETURNED, conducted) == 72.0


def test_72_hours_and_a_minute_is_not_within():
    conducted = RETURNED + timedelta(hours=72, minutes=1)
    assert clock.within_deadline(RETURNED, conducted) is False
    assert clock.hours_to_interview(RETURNED, conducted) == 72.02


def test_a_second_late_is_not_within():
    assert clock.within_deadline(RETURNED, RETURNED + timedelta(hours=72, seconds=1)) is False


def test_straight_away_is_within():
    assert clock.within_deadline(RETURNED, RETURNED) is True
    assert clock.hours_to_interview(RETURNED, RETURNED) == 0.0


def test_due_by_is_72_hours_after_the_return():
    assert clock.due_by(RETURNED) == datetime(2026, 6, 4, 9, 30, tzinfo=UTC)


def test_nothing_to_say_without_both_times():
    assert clock.due_by(None) is None
    for returned, conducted in [(None, RETURNED), (RETURNED, None), (None, None)]:
        assert clock.within_deadline(returned, conducted) is None
        assert clock.hours_to_interview(returned, conducted) is None


# The clocks changing. Each case: returned, interviewed (both wall-clock times in London), the real
# hours between them, and whether that is within 72 hours.
CLOCK_CHANGES = {
    # Autumn: the clocks go back at 02:00 BST on Sunday 25 October 2026, so the wall clock
    # shows an hour less than really passed.
    "autumn, exactly 72 real hours": (
        datetime(2026, 10, 24, 12, 0, tzinfo=LONDON),  # BST: 11:00 UTC
        datetime(2026, 10, 27, 11, 0, tzinfo=LONDON),  # GMT: 11:00 UTC
        72.0, True),
    "autumn, 72.5 real hours though the wall clock shows 71.5": (
        datetime(2026, 10, 24, 12, 0, tzinfo=LONDON),
        datetime(2026, 10, 27, 11, 30, tzinfo=LONDON),
        72.5, False),
    # Spring: the clocks go forward at 01:00 GMT on Sunday 29 March 2026, so the wall clock
    # shows an hour more than really passed.
    "spring, exactly 72 real hours though the wall clock shows 73": (
        datetime(2026, 3, 28, 11, 0, tzinfo=LONDON),  # GMT: 11:00 UTC
        datetime(2026, 3, 31, 12, 0, tzinfo=LONDON),  # BST: 11:00 UTC
        72.0, True),
    "spring, 72 real hours and a minute": (
        datetime(2026, 3, 28, 11, 0, tzinfo=LONDON),
        datetime(2026, 3, 31, 12, 1, tzinfo=LONDON),
        72.02, False),
    "spring, 71.5 real hours though the wall clock shows 72.5": (
        datetime(2026, 3, 28, 12, 0, tzinfo=LONDON),  # GMT: 12:00 UTC
        datetime(2026, 3, 31, 12, 30, tzinfo=LONDON),  # BST: 11:30 UTC
        71.5, True),
}


def test_the_cases_are_what_they_say():
    for name, (returned, conducted, hours, _within) in CLOCK_CHANGES.items():
        assert (as_utc(conducted) - as_utc(returned)) / timedelta(hours=1) == pytest.approx(
            hours, abs=0.01), name


@pytest.mark.parametrize(("returned", "conducted", "hours", "within"),
                         list(CLOCK_CHANGES.values()), ids=list(CLOCK_CHANGES))
def test_clock_changes_in_utc(returned, conducted, hours, within):
    """As the database gives them back: instants in UTC."""
    assert clock.hours_to_interview(as_utc(returned), as_utc(conducted)) == hours
    assert clock.within_deadline(as_utc(returned), as_utc(conducted)) is within


@pytest.mark.parametrize(("returned", "conducted", "hours", "within"),
                         list(CLOCK_CHANGES.values()), ids=list(CLOCK_CHANGES))
def test_hours_across_clock_changes_in_london_time(returned, conducted, hours, within):
    """Given as London wall-clock times (both with the same ZoneInfo), still real hours."""
    assert clock.hours_to_interview(returned, conducted) == hours


@pytest.mark.parametrize(("returned", "conducted", "hours", "within"),
                         list(CLOCK_CHANGES.values()), ids=list(CLOCK_CHANGES))
def test_deadline_across_clock_changes_in_london_time(returned, conducted, hours, within):
    assert clock.within_deadline(returned, conducted) is within


@pytest.mark.parametrize(("returned", "conducted", "hours", "within"),
                         list(CLOCK_CHANGES.values()), ids=list(CLOCK_CHANGES))
def test_due_by_across_clock_changes_in_london_time(returned, conducted, hours, within):
    """Due 72 real hours after the return: the same instant as when given in UTC."""
    assert clock.due_by(returned) == clock.due_by(as_utc(returned))
    assert clock.due_by(returned) == as_utc(returned) + timedelta(hours=72)


@pytest.mark.parametrize(("returned", "conducted", "hours", "within"),
                         list(CLOCK_CHANGES.values()), ids=list(CLOCK_CHANGES))
def test_clock_changes_across_zones(returned, conducted, hours, within):
    """Returned given in London time, interviewed in UTC."""
    assert clock.hours_to_interview(returned, as_utc(conducted)) == hours
    assert clock.within_deadline(returned, as_utc(conducted)) is within


# Through the API, as a worker would see it.

def iso(moment: datetime) -> str:
    return moment.isoformat()


def new_episode(client, child_id, reported: datetime, returned: datetime | None):
    response = client.post("/api/v1/episodes", json={
        "child_id": str(child_id), "reported_missing_at": iso(reported),
        "returned_at": iso(returned) if returned else None})
    assert response.status_code == 201, response.json
    return response.json


def new_interview(client, episode_id, conducted: datetime | None):
    body = {"episode_id": episode_id}
    if conducted is not None:
        body["conducted_at"] = iso(conducted)
    response = client.post("/api/v1/interviews", json=body)
    assert response.status_code == 201, response.json
    return response.json


def test_api_shows_the_clock(world, as_person):
    client = as_person(world.worker)
    returned = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
    episode = new_episode(client, world.child.id, returned - timedelta(hours=20), returned)
    interview = new_interview(client, episode["id"], returned + timedelta(hours=72))
    assert interview["within_72_hours"] is True
    assert interview["hours_to_interview"] == 72.0
    assert datetime.fromisoformat(interview["due_by"]) == returned + timedelta(hours=72)
    again = client.get(f"/api/v1/interviews/{interview['id']}").json
    assert again["within_72_hours"] is True
    assert again["hours_to_interview"] == 72.0

    late = client.patch(f"/api/v1/interviews/{interview['id']}",
                        json={"conducted_at": iso(returned + timedelta(hours=72, minutes=1))})
    assert late.status_code == 200, late.json
    assert late.json["within_72_hours"] is False
    assert late.json["hours_to_interview"] == 72.02
    assert client.get(f"/api/v1/interviews/{interview['id']}").json["within_72_hours"] is False


def test_api_clock_across_the_autumn_change(world, as_person):
    client = as_person(world.worker)
    returned = datetime(2026, 10, 24, 12, 0, tzinfo=LONDON)
    episode = new_episode(client, world.child.id, returned - timedelta(hours=3), returned)
    interview = new_interview(client, episode["id"], datetime(2026, 10, 27, 11, 0, tzinfo=LONDON))
    assert interview["hours_to_interview"] == 72.0
    assert interview["within_72_hours"] is True
    assert datetime.fromisoformat(interview["due_by"]) == datetime(2026, 10, 27, 11, 0,
                                                                   tzinfo=UTC)


def test_api_clock_across_the_spring_change(world, as_person):
    client = as_person(world.worker)
    returned = datetime(2026, 3, 28, 11, 0, tzinfo=LONDON)
    episode = new_episode(client, world.child.id, returned - timedelta(hours=3), returned)
    on_time = new_interview(client, episode["id"], datetime(2026, 3, 31, 12, 0, tzinfo=LONDON))
    assert on_time["hours_to_interview"] == 72.0
    assert on_time["within_72_hours"] is True
    late = new_interview(client, episode["id"], datetime(2026, 3, 31, 12, 1, tzinfo=LONDON))
    assert late["within_72_hours"] is False


def test_api_clock_waits_for_the_return_and_the_interview(world, as_person):
    client = as_person(world.worker)
    reported = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
    episode = new_episode(client, world.child.id, reported, None)
    interview = new_interview(client, episode["id"], None)
    assert interview["due_by"] is None
    assert interview["within_72_hours"] is None
    assert interview["hours_to_interview"] is None
    # The clock starts at the return, not at the report.
    returned = reported + timedelta(days=2)
    patched = client.patch(f"/api/v1/episodes/{episode['id']}", json={"returned_at": iso(returned)})
    assert patched.status_code == 200, patched.json
    interview = client.get(f"/api/v1/interviews/{interview['id']}").json
    assert datetime.fromisoformat(interview["due_by"]) == returned + timedelta(hours=72)
    assert interview["within_72_hours"] is None


def test_interview_before_the_return_is_refused(world, as_person):
    client = as_person(world.worker)
    returned = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
    episode = new_episode(client, world.child.id, returned - timedelta(hours=2), returned)
    response = client.post("/api/v1/interviews", json={
        "episode_id": episode["id"], "conducted_at": iso(returned - timedelta(minutes=1))})
    assert response.status_code == 422
    assert [e["field"] for e in response.json["errors"]] == ["conducted_at"]


def test_return_before_the_report_is_refused(world, as_person):
    client = as_person(world.worker)
    reported = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
    response = client.post("/api/v1/episodes", json={
        "child_id": str(world.child.id), "reported_missing_at": iso(reported),
        "returned_at": iso(reported - timedelta(minutes=1))})
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    errors = {e["field"]: e["messages"] for e in response.json["errors"]}
    assert list(errors) == ["returned_at"]
    assert errors["returned_at"] == ["The return must be after the report."]
    assert client.get("/api/v1/episodes").json["total"] == 0


def test_changing_the_return_to_before_the_report_is_refused(world, as_person):
    client = as_person(world.worker)
    reported = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
    episode = new_episode(client, world.child.id, reported, reported + timedelta(hours=5))
    response = client.patch(f"/api/v1/episodes/{episode['id']}",
                            json={"returned_at": iso(reported - timedelta(hours=1))})
    assert response.status_code == 422
    assert [e["field"] for e in response.json["errors"]] == ["returned_at"]
    unchanged = client.get(f"/api/v1/episodes/{episode['id']}").json
    assert datetime.fromisoformat(unchanged["returned_at"]) == reported + timedelta(hours=5)


def test_return_at_the_moment_of_the_report_is_accepted(world, as_person):
    client = as_person(world.worker)
    reported = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
    episode = new_episode(client, world.child.id, reported, reported)
    assert episode["episode_length_minutes"] == 0
