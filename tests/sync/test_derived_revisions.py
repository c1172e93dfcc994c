"""A synced record never changes without a new revision: an episode's repeat counts are read
from the other episodes of its child, so when a sibling is made (by a push or through the API)
or its report or return moves, a tablet pulling by cursor receives the episode again with its new counts."""

import uuid

from tests.api.helpers import API
from tests.sync.http_helpers import enrol, record

FIRST = "2026-03-10T10:00:00+00:00"
FIVE_DAYS_EARLIER = "2026-03-05T10:00:00+00:00"


def a_child_with_an_episode(tablet) -> tuple[uuid.UUID, uuid.UUID]:
    child_id, episode_id = uuid.uuid4(), uuid.uuid4()
    tablet.push([
        tablet.mutation("children", child_id, {"given_name": "Nia", "family_name": "Ŵyn"}),
        tablet.mutation("episodes", episode_id, {"child_id": str(child_id),
                                                 "reported_missing_at": FIRST})])
    return child_id, episode_id


def counts(pulled, episode_id) -> tuple[int, int]:
    episode = record(pulled, "episodes", episode_id)
    return episode["episodes_last_4_weeks"], episode["episodes_last_12_months"]


def test_a_sibling_pushed_later_brings_the_first_episode_again(world, as_person, app):
    tablet = enrol(app, as_person(world.worker))
    child_id, first = a_child_with_an_episode(tablet)
    assert counts(tablet.pull(), first) == (1, 1)

    second = uuid.uuid4()
    tablet.push([tablet.mutation("episodes", second, {"child_id": str(child_id),
                                                      "reported_missing_at": FIVE_DAYS_EARLIER})])
    pulled = tablet.pull()
    assert counts(pulled, first) == (2, 2)
    assert counts(pulled, second) == (1, 1)


def test_a_sibling_made_through_the_api_brings_the_first_episode_again(world, as_person, app):
    web = as_person(world.worker)
    tablet = enrol(app, web)
    child_id, first = a_child_with_an_episode(tablet)
    tablet.pull()

    made = web.post(f"{API}/episodes", json={"child_id": str(child_id),
                                             "reported_missing_at": FIVE_DAYS_EARLIER})
    assert made.status_code == 201, made.get_data(as_text=True)
    assert counts(tablet.pull(), first) == (2, 2)


def test_a_report_moved_into_the_window_brings_the_other_episode_again(world, as_person, app):
    tablet = enrol(app, as_person(world.worker))
    child_id, first = a_child_with_an_episode(tablet)
    second = uuid.uuid4()
    tablet.push([tablet.mutation("episodes", second, {
        "child_id": str(child_id), "reported_missing_at": "2025-01-01T10:00:00+00:00",
        "returned_at": "2025-01-01T16:00:00+00:00"})])
    assert counts(tablet.pull(), first) == (1, 1)  # a year and more before

    stored = tablet.pull()  # nothing new
    assert not stored["changes"]
    tablet.push([tablet.mutation("episodes", second, {"reported_missing_at": FIVE_DAYS_EARLIER,
                                                      "returned_at": "2026-03-05T16:00:00+00:00"},
                                 base_rev=None)])
    assert counts(tablet.pull(), first) == (2, 2)


def test_a_return_moved_into_the_window_brings_the_other_episode_again(world, as_person, app):
    """A spell counts when the child was missing at any instant of the window: a later return
    brings an old episode into it."""
    tablet = enrol(app, as_person(world.worker))
    child_id, first = a_child_with_an_episode(tablet)
    second = uuid.uuid4()
    tablet.push([tablet.mutation("episodes", second, {
        "child_id": str(child_id), "reported_missing_at": "2025-01-01T10:00:00+00:00",
        "returned_at": "2025-01-01T16:00:00+00:00"})])
    assert counts(tablet.pull(), first) == (1, 1)

    tablet.push([tablet.mutation("episodes", second, {"returned_at": "2025-06-01T16:00:00+00:00"},
                                 base_rev=None)])
    assert counts(tablet.pull(), first) == (1, 2)
