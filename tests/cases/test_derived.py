"""Facts derived from a child's record: out of area, episode length, and repeat counts."""

from datetime import UTC, datetime, timedelta

import pytest

from app.cases import derived
from app.cases.models import Child, MissingEpisode

CARDIFF = "W06000015"
SWANSEA = "W06000011"
REPORT = datetime(2026, 9, 30, 15, 45, tzinfo=UTC)


def child(**fields) -> Child:
    return Child(given_name="Test", family_name="Child", **fields)


# Out of area.

def test_looked_after_and_placed_in_another_authority_is_out_of_area():
    assert derived.is_out_of_area(child(looked_after=True, placing_authority_code=CARDIFF,
                                        host_authority_code=SWANSEA)) is True


def test_looked_after_in_the_same_authority_is_not_out_of_area():
    assert derived.is_out_of_area(child(looked_after=True, placing_authority_code=CARDIFF,
                                        host_authority_code=CARDIFF)) is False


def test_not_looked_after_is_never_out_of_area():
    assert derived.is_out_of_area(child(looked_after=False, placing_authority_code=CARDIFF,
                                        host_authority_code=SWANSEA)) is False
    assert derived.is_out_of_area(child(looked_after=False)) is False


@pytest.mark.parametrize(("placing", "host"), [(CARDIFF, None), (None, SWANSEA), (None, None)])
def test_unknown_authority_is_unknown(placing, host):
    assert derived.is_out_of_area(child(looked_after=True, placing_authority_code=placing,
                                        host_authority_code=host)) is None


def test_api_shows_out_of_area(world, as_person):
    client = as_person(world.worker)
    shown = client.get(f"/api/v1/children/{world.child.id}").json
    assert shown["out_of_area"] is True
    patched = client.patch(f"/api/v1/children/{world.child.id}",
                           json={"host_authority_code": CARDIFF})
    assert patched.status_code == 200, patched.json
    assert patched.json["out_of_area"] is False
    patched = client.patch(f"/api/v1/children/{world.child.id}", json={"host_authority_code": None})
    assert patched.json["out_of_area"] is None
    patched = client.patch(f"/api/v1/children/{world.child.id}", json={"looked_after": False})
    assert patched.json["out_of_area"] is False


def test_placed_outside_wales(session, world):
    session.refresh(world.child)
    assert derived.is_placed_outside_wales(world.child) is False
    world.child.host_authority_code = None
    session.flush()
    session.refresh(world.child)
    assert derived.is_placed_outside_wales(world.child) is None
    world.child.looked_after = False
    assert derived.is_placed_outside_wales(world.child) is False


# Episode length.

def episode(reported: datetime, returned: datetime | None) -> MissingEpisode:
    return MissingEpisode(reported_missing_at=reported, returned_at=returned)


@pytest.mark.parametrize(("returned_after", "minutes"), [
    (timedelta(0), 0),
    (timedelta(seconds=59), 0),
    (timedelta(minutes=1), 1),
    (timedelta(minutes=90, seconds=30), 90),
    (timedelta(days=2, hours=3, minutes=4), 2 * 24 * 60 + 3 * 60 + 4),
])
def test_episode_length_in_whole_minutes(returned_after, minutes):
    assert derived.episode_length_minutes(episode(REPORT, REPORT + returned_after)) == minutes


def test_episode_not_yet_over_has_no_length():
    assert derived.episode_length_minutes(episode(REPORT, None)) is None


def test_episode_length_across_the_clocks_going_back():
    from zoneinfo import ZoneInfo

    london = ZoneInfo("Europe/London")
    reported = datetime(2026, 10, 25, 0, 30, tzinfo=london)  # BST: 23:30 UTC the day before
    returned = datetime(2026, 10, 25, 2, 30, tzinfo=london)  # GMT: 02:30 UTC
    assert derived.episode_length_minutes(episode(reported.astimezone(UTC),
                                                  returned.astimezone(UTC))) == 180


# Repeat counts over 4 weeks and 12 months, counted on the child's real episodes.

def add_episodes(session, world, *reported_times):
    made = []
    for reported in reported_times:
        made.append(MissingEpisode(organisation_id=world.org_a.id, child_id=world.child.id,
                                   reported_missing_at=reported,
                                   returned_at=reported + timedelta(hours=2)))
    session.add_all(made)
    session.commit()
    session.expire_all()
    return [session.get(MissingEpisode, e.id) for e in made]


def test_only_episode_counts_itself(session, world):
    [only] = add_episodes(session, world, REPORT)
    assert derived.episodes_within(only, derived.FOUR_WEEKS) == 1
    assert derived.episodes_within(only, derived.TWELVE_MONTHS) == 1


def test_four_week_window_edges(session, world):
    """An episode counts when the child was missing at any instant of the 28 days (each spell
    here lasts two hours): the same windows as the suggestion rules' thresholds."""
    start = REPORT - timedelta(days=28)
    current, *_ = add_episodes(
        session, world,
        REPORT,
        start - timedelta(hours=2),  # back exactly at the window's start: inside
        start - timedelta(hours=2, seconds=1),  # back a second before it: outside
        REPORT - timedelta(days=27),  # inside
        REPORT + timedelta(days=1),  # later: never counted
    )
    assert derived.FOUR_WEEKS == {"days": 28}
    assert derived.episodes_within(current, derived.FOUR_WEEKS) == 3


def test_twelve_month_window_edges(session, world):
    """Twelve calendar months: from 30 September 2025 at the same time of day."""
    start = datetime(2025, 9, 30, 15, 45, tzinfo=UTC)
    current, *_ = add_episodes(
        session, world,
        REPORT,
        start - timedelta(hours=2, seconds=1),  # back a second before the start: outside
        start - timedelta(hours=1),  # missing across the start: inside
        REPORT - timedelta(days=40),  # inside 12 months, outside 4 weeks
        REPORT - timedelta(days=400),  # long ago
        REPORT + timedelta(minutes=1),  # later: never counted
    )
    assert derived.TWELVE_MONTHS == {"months": 12}
    assert derived.episodes_within(current, derived.TWELVE_MONTHS) == 3
    assert derived.episodes_within(current, derived.FOUR_WEEKS) == 1


def test_the_record_counts_as_the_suggestion_rules_count(session, world):
    """One definition: the counts the record shows are the rules' counts of the same episodes."""
    from app.referrals.suggesting import count_episodes

    episodes = add_episodes(session, world, REPORT, REPORT - timedelta(days=29),
                            REPORT - timedelta(days=364), REPORT - timedelta(days=366))
    current = episodes[0]
    facts = {"episode": {"id": str(current.id), "reported_missing_at": REPORT.isoformat(),
                         "returned_at": current.returned_at.isoformat()},
             "history": [{"id": str(e.id), "reported_missing_at": e.reported_missing_at.isoformat(),
                          "returned_at": e.returned_at.isoformat()} for e in episodes]}
    for window in (derived.FOUR_WEEKS, derived.TWELVE_MONTHS):
        assert derived.episodes_within(current, window) == count_episodes(facts, window)
    assert [derived.episodes_within(current, w) for w in (derived.FOUR_WEEKS,
                                                          derived.TWELVE_MONTHS)] == [1, 3]


def test_counts_only_the_same_childs_episodes(session, world):
    other = MissingEpisode(organisation_id=world.org_a.id, child_id=world.colleague_child.id,
                           reported_missing_at=REPORT - timedelta(days=1))
    session.add(other)
    [current] = add_episodes(session, world, REPORT)
    assert derived.episodes_within(current, derived.FOUR_WEEKS) == 1


def test_each_episode_counts_back_from_its_own_report(session, world):
    first, second, third = add_episodes(session, world, REPORT - timedelta(days=30),
                                        REPORT - timedelta(days=10), REPORT)
    assert [derived.episodes_within(e, derived.FOUR_WEEKS) for e in (first, second, third)] == [
        1, 2, 2]
    assert [derived.episodes_within(e, derived.TWELVE_MONTHS)
            for e in (first, second, third)] == [1, 2, 3]


def test_api_shows_the_counts(session, world, as_person):
    add_episodes(session, world, REPORT - timedelta(days=29), REPORT - timedelta(days=27),
                 REPORT - timedelta(days=200))
    client = as_person(world.worker)
    response = client.post("/api/v1/episodes", json={
        "child_id": str(world.child.id), "reported_missing_at": REPORT.isoformat(),
        "returned_at": (REPORT + timedelta(hours=26, minutes=15)).isoformat()})
    assert response.status_code == 201, response.json
    assert response.json["episodes_last_4_weeks"] == 2
    assert response.json["episodes_last_12_months"] == 4
    shown = client.get(f"/api/v1/episodes/{response.json['id']}").json
    assert shown["episodes_last_4_weeks"] == 2
    assert shown["episodes_last_12_months"] == 4
    assert shown["episode_length_minutes"] == 26 * 60 + 15
