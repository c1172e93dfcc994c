"""A refused mutation is kept with its errors worded in Welsh and in English: whoever reads the
kept rejections later (the worker in the other language, a supervisor) reads them in their
own language, whichever language the tablet pushed in."""

import uuid

from tests.api.helpers import API, assert_problem
from tests.sync.http_helpers import enrol, new_case, statuses

NOT_WRITABLE = {"en": "This field cannot be changed from a device.",
                "cy": "Does dim modd newid y maes hwn o ddyfais."}
UNKNOWN_COLLECTION = {"en": "Unknown collection.", "cy": "Casgliad anhysbys."}


def kept(client, language: str, headers=None) -> dict[int, dict]:
    response = client.get(f"{API}/sync/rejections", query_string={"lang": language},
                          headers=headers or {})
    assert response.status_code == 200, response.get_data(as_text=True)
    return {item["mutation_id"]: item["errors"] for item in response.json["items"]}


def test_rejections_pushed_in_one_language_are_read_in_either(world, as_person, app):
    web = as_person(world.worker)
    tablet = enrol(app, web)
    ids, _mutations = new_case(tablet)
    refused = [tablet.mutation("children", ids["children"], {"favourite_colour": "porffor"}),
               tablet.mutation("notes", uuid.uuid4(), {"text": "Nodyn"})]
    response = tablet.post_push(tablet.batch(refused), query_string={"lang": "en"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert statuses(response.json) == ["rejected", "rejected"]
    pushed = {r["mutation_id"]: r["errors"] for r in response.json["results"]}
    first, second = (m["mutation_id"] for m in refused)
    assert pushed[first] == {"favourite_colour": [NOT_WRITABLE["en"]]}
    assert pushed[second] == {"collection": [UNKNOWN_COLLECTION["en"]]}

    for language in ("cy", "en"):
        for reader in (tablet.client, web):
            headers = tablet.headers if reader is tablet.client else None
            errors = kept(reader, language, headers)
            assert errors[first] == {"favourite_colour": [NOT_WRITABLE[language]]}
            assert errors[second] == {"collection": [UNKNOWN_COLLECTION[language]]}
    supervisor = kept(as_person(world.supervisor), "cy")
    assert supervisor[first] == {"favourite_colour": [NOT_WRITABLE["cy"]]}


def test_a_tablet_reads_its_own_refusals_alone(world, as_person, app):
    """Each tablet asks for its own refusals, to word again those it holds; another person's
    tablet, named, gives nothing, and a malformed id is refused."""
    web = as_person(world.worker)
    first, second = enrol(app, web, "One"), enrol(app, web, "Two")
    colleague = enrol(app, as_person(world.colleague), "Colleague's")
    for tablet in (first, second, colleague):
        ids, _mutations = new_case(tablet)
        assert statuses(tablet.push([tablet.mutation(
            "children", ids["children"], {"favourite_colour": "porffor"})])) == ["rejected"]

    def listed(device_id: str) -> list[tuple]:
        response = first.client.get(f"{API}/sync/rejections", headers=first.headers,
                                    query_string={"device_id": device_id, "lang": "cy"})
        assert response.status_code == 200, response.get_data(as_text=True)
        return [(item["device_id"], item["errors"]) for item in response.json["items"]]

    assert listed(first.id) == [(first.id, {"favourite_colour": [NOT_WRITABLE["cy"]]})]
    assert [device for device, _errors in listed(second.id)] == [second.id]
    assert listed(colleague.id) == []
    assert_problem(first.client.get(f"{API}/sync/rejections", headers=first.headers,
                                    query_string={"device_id": "not-an-id"}), 422, ["device_id"])
