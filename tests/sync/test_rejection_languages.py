"""A refused mutation is kept with its errors worded in Welsh and in English: whoever reads the
kept rejections later (the worker in the other language, a supervisor) reads them in their
own language, whichever language the tablet pushed in."""

import uuid

from tests.api.helpers import API, assert_problem
from tests.sync.http_helpers import enrol, new_case, statuses

UNKNOWN_FIELD = {"en": "This field is not known here.",
                 "cy": "Nid yw'r maes hwn yn hysbys yma."}
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
    assert pushed[first] == {"favourite_colour": [UNKNOWN_FIELD["en"]]}
    assert pushed[second] == {"collection": [UNKNOWN_COLLECTION["en"]]}

    for language in ("cy", "en"):
        for reader in (tablet.client, web):
            headers = tablet.headers if reader is tablet.client else None
            errors = kept(reader, language, headers)
            assert errors[first] == {"favourite_colour": [UNKNOWN_FIELD[language]]}
            assert errors[second] == {"collection": [UNKNOWN_COLLECTION[language]]}
    supervisor = kept(as_person(world.supervisor), "cy")
    assert supervisor[first] == {"favourite_colour": [UNKNOWN_FIELD["cy"]]}


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

    assert listed(first.id) == [(first.id, {"favourite_colour": [UNKNOWN_FIELD["cy"]]})]
    assert [device for device, _errors in listed(second.id)] == [second.id]
    assert listed(colleague.id) == []
    assert_problem(first.client.get(f"{API}/sync/rejections", headers=first.headers,
                                    query_string={"device_id": "not-an-id"}), 422, ["device_id"])


def test_a_tablets_refusals_come_in_pages_from_the_oldest_it_holds(world, as_person, app):
    """A tablet that has been refused often is not sent every refusal it ever had at once: it
    asks from the oldest it still holds, a page at a time, following `next`."""
    web = as_person(world.worker)
    tablet = enrol(app, web)
    ids, _mutations = new_case(tablet)
    refused = [tablet.mutation("children", ids["children"], {"favourite_colour": colour})
               for colour in ("coch", "glas", "gwyrdd", "melyn", "porffor")]
    assert statuses(tablet.push(refused)) == ["rejected"] * 5
    numbers = [m["mutation_id"] for m in refused]

    def page(url: str, **query) -> dict:
        response = tablet.client.get(url, headers=tablet.headers, query_string=query or None)
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.json

    first = page(f"{API}/sync/rejections", device_id=tablet.id, from_mutation_id=numbers[1],
                 per_page=2, lang="cy")
    assert [item["mutation_id"] for item in first["items"]] == numbers[1:3]
    assert (first["page"], first["per_page"], first["total"]) == (1, 2, 4)
    second = page(first["next"])
    assert [item["mutation_id"] for item in second["items"]] == numbers[3:5]
    assert second["next"] is None
    assert second["items"][0]["errors"] == {"favourite_colour": [UNKNOWN_FIELD["cy"]]}

    everything = page(f"{API}/sync/rejections", device_id=tablet.id)
    assert [item["mutation_id"] for item in everything["items"]] == numbers
    for wrong in ({"from_mutation_id": "0"}, {"from_mutation_id": "y cyntaf"},
                  {"from_mutation_id": str(2**63)}, {"per_page": "0"}, {"page": "-1"},
                  {"page": str(10**20)}):
        assert_problem(tablet.client.get(f"{API}/sync/rejections", headers=tablet.headers,
                                         query_string={"device_id": tablet.id, **wrong}),
                       422, list(wrong))
    # A mutation's number is one device's alone.
    for language, message in (("en", "Name the device whose mutations you mean."),
                              ("cy", "Nodwch pa ddyfais y mae'r newidiadau'n perthyn iddi.")):
        refused = tablet.client.get(f"{API}/sync/rejections", headers=tablet.headers,
                                    query_string={"from_mutation_id": 1, "lang": language})
        assert_problem(refused, 422, ["from_mutation_id"])
        assert message in refused.get_data(as_text=True)
