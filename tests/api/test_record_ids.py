"""Ids the server makes are time-ordered UUIDs (version 7), as the tablet's are: a record made
later has an id that sorts after the ids made before it, which keeps every index keyed by id
growing at its end."""

import uuid

from tests.api.helpers import create_child


def test_records_made_on_the_server_get_time_ordered_ids(world, as_person):
    worker = as_person(world.worker)
    made = [uuid.UUID(create_child(worker)["id"]) for _ in range(5)]

    assert {made_id.version for made_id in made} == {7}
    assert {made_id.variant for made_id in made} == {uuid.RFC_4122}
    # The first 48 bits are the milliseconds the id was made: never earlier than the one before.
    moments = [made_id.int >> 80 for made_id in made]
    assert moments == sorted(moments)
    assert len(set(made)) == 5


def test_a_random_id_chosen_by_an_older_client_is_still_accepted(world, as_person):
    worker = as_person(world.worker)
    chosen = str(uuid.uuid4())
    assert create_child(worker, id=chosen)["id"] == chosen
