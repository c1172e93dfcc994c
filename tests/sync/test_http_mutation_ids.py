"""A push naming a mutation id below the device's last processed one, never processed itself,
answers 422 (problem+json, in the person's language) and applies nothing, on the real
database (sync/PROTOCOL.md)."""

import uuid

import pytest

from tests.api.helpers import API, assert_problem
from tests.sync.http_helpers import enrol, statuses

NEVER_PROCESSED = {
    "en": "This mutation was never processed, but its id is lower than one that was. "
          "Send it again with an id higher than any sent before.",
    "cy": "Ni chafodd y newid hwn ei brosesu, ond mae ei rif yn is nag un a gafodd ei brosesu. "
          "Anfonwch ef eto gyda rhif sy'n uwch nag unrhyw un a anfonwyd o'r blaen.",
}


def new_child(tablet, mutation_id: int) -> dict:
    tablet.next_id = mutation_id
    return tablet.mutation("children", uuid.uuid4(), {"given_name": "Cerys",
                                                      "family_name": f"Rhif {mutation_id}"})


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_mutation_id_below_the_last_never_processed_is_refused_with_nothing_applied(
        world, as_person, app, language):
    web = as_person(world.worker)
    tablet = enrol(app, web)
    fifth = new_child(tablet, 5)
    assert statuses(tablet.push([fifth])) == ["applied"]
    third, sixth = new_child(tablet, 3), new_child(tablet, 6)

    response = tablet.post_push(tablet.batch([third, fifth, sixth]),
                                query_string={"lang": language})

    problem = assert_problem(response, 422)
    assert problem["errors"] == [{"field": "mutations.0.mutation_id",
                                  "messages": [NEVER_PROCESSED[language]]}]
    assert problem["last_mutation_id"] == 5
    for refused in (third, sixth):
        assert web.get(f"{API}/children/{refused['id']}").status_code == 404
    # Numbered again above it, they are applied; the first is still a duplicate.
    third["mutation_id"] = 7
    body = tablet.push([fifth, third, sixth | {"mutation_id": 8}])
    assert statuses(body) == ["duplicate", "applied", "applied"]
    assert body["results"][0]["original"]["status"] == "applied"
