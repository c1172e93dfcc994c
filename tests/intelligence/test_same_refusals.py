"""Each rule of an intelligence item refuses a change through the JSON API and through a sync
push with the same words, on the same field, in English and in Welsh; and an item made and
changed through a push is the item the API reads."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from tests.api.helpers import API, PROBLEM_JSON, patch
from tests.intelligence.conftest import PERSON, PHONE, make_case, submit
from tests.sync.http_helpers import enrol, read

COLLECTION = "intelligence_items"  # as a tablet names it
ITEMS_API = f"{API}/intelligence-items"


@dataclass(frozen=True)
class Rule:
    rule: str
    change: dict | Callable  # the fields sent; a callable takes the made case
    op: str = "create"  # or "update" the case's first item (a person) or its phone number
    target: str = "person"
    submitted: bool = False
    outsider: bool = False  # the interview is another organisation's

    def fields(self, case) -> dict:
        change = self.change(case) if callable(self.change) else dict(self.change)
        if self.op == "create":
            return {"interview_id": case.interview["id"], **change}
        return change


def other_interview(case) -> dict:
    return {"interview_id": make_case(case.worker, items=()).interview["id"]}


RULES = [
    Rule("a person with no name, nickname or description", {"kind": "person"}),
    Rule("a person whose name is spaces alone", {"kind": "person", "name": "   "}),
    Rule("a place with no address", {"kind": "place", "name": "Y parc"}),
    Rule("a vehicle with no registration or description", {"kind": "vehicle"}),
    Rule("a phone number with no number", {"kind": "phone_number"}),
    Rule("a phone number that is no number", {"kind": "phone_number", "phone_number": "12345"}),
    Rule("a social media account with no platform or handle", {"kind": "social_media"}),
    Rule("an unknown kind", {"kind": "rumour", "name": "Dai"}),
    Rule("an unknown view on sharing", {**PERSON, "sharing_view": "delighted"}),
    Rule("a name of 201 characters", {"kind": "person", "name": "n" * 201}),
    Rule("emptying a person of all that names them",
         {"name": None, "nickname": None, "description": None}, op="update"),
    Rule("a number that is no number", {"phone_number": "ffoniwch fi"}, op="update",
         target="phone_number"),
    Rule("an item of a submitted interview (locked)", PHONE, submitted=True),
    Rule("changing an item of a submitted interview (locked)", {"name": "Newydd"}, op="update",
         submitted=True),
    Rule("moving an item to another interview", other_interview, op="update"),
    Rule("an item of another organisation's interview", PERSON, outsider=True),
]


def save_language(web, language: str) -> None:
    me = web.get(f"{API}/me").json
    response = web.patch(f"{API}/people/{me['id']}", json={"preferred_language": language})
    assert response.status_code == 200, response.get_data(as_text=True)


def setup(rule: Rule, web, outsider):
    case = make_case(outsider if rule.outsider else web, items=(PERSON, PHONE))
    if rule.submitted:
        submit(case)
    return case


def target_of(rule: Rule, case) -> dict:
    return next(item for item in case.items if item["kind"] == rule.target)


def by_the_api(rule: Rule, web, case) -> dict:
    if rule.op == "create":
        response = web.post(ITEMS_API, json=rule.fields(case))
    else:
        response = web.patch(f"{ITEMS_API}/{target_of(rule, case)['id']}", json=rule.fields(case))
    assert response.status_code in (409, 422), response.get_data(as_text=True)
    assert response.mimetype == PROBLEM_JSON
    return {error["field"]: error["messages"] for error in response.json["errors"]}


def by_a_push(rule: Rule, tablet, case) -> dict:
    if rule.op == "create":
        mutation = tablet.mutation(COLLECTION, uuid.uuid4(), rule.fields(case))
    else:
        target = target_of(rule, case)
        mutation = tablet.mutation(COLLECTION, target["id"], rule.fields(case),
                                   base_rev=target["rev"])
    (result,) = tablet.push([mutation])["results"]
    assert result["status"] == "rejected", result
    return result["errors"]


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.rule)
def test_the_api_and_a_push_refuse_alike(rule, language, app, world, as_person):
    web = as_person(world.worker)
    outsider = as_person(world.outsider)
    tablet = enrol(app, web)
    save_language(web, language)
    api = by_the_api(rule, web, setup(rule, web, outsider))
    push = by_a_push(rule, tablet, setup(rule, web, outsider))
    assert api == push
    assert api and all(api.values())


def test_the_welsh_refusal_is_in_welsh(world, as_person):
    web = as_person(world.worker)
    save_language(web, "cy")
    case = make_case(web, items=())
    response = web.post(ITEMS_API, json={"interview_id": case.interview["id"],
                                         "kind": "phone_number", "phone_number": "12345"})
    assert response.json["errors"] == [{"field": "phone_number", "messages": [
        "Rhowch rif ffôn yn y DU, neu rif rhyngwladol sy'n dechrau â +."]}]


def test_an_item_made_and_changed_by_a_push(app, world, as_person):
    web = as_person(world.worker)
    tablet = enrol(app, web)
    case = make_case(web, items=())
    item_id = uuid.uuid4()
    made = tablet.push([tablet.mutation(COLLECTION, item_id, {
        "interview_id": case.interview["id"], "kind": "vehicle",
        "vehicle_registration": "cu15 xyz", "sharing_view": "unsure"})])["results"][0]
    assert made["status"] == "applied", made
    item = read(web, "intelligence-items", item_id)
    assert item["vehicle_registration"] == "CU15XYZ"
    assert item["sharing_view"] == "unsure"
    changed = tablet.push([tablet.mutation(COLLECTION, item_id, {
        "vehicle_description": "Fan las", "sharing_view": "happy"},
        base_rev=made["rev"])])["results"][0]
    assert changed["status"] == "applied", changed
    item = read(web, "intelligence-items", item_id)
    assert (item["vehicle_description"], item["sharing_view"]) == ("Fan las", "happy")
    pulled = enrol(app, web, "Another").pull()
    assert pulled["changes"][(COLLECTION, str(item_id))]["record"]["vehicle_registration"] \
        == "CU15XYZ"


def test_a_push_defaults_the_view_on_sharing(app, world, as_person):
    web = as_person(world.worker)
    tablet = enrol(app, web)
    case = make_case(web, items=())
    item_id = uuid.uuid4()
    result = tablet.push([tablet.mutation(COLLECTION, item_id, {
        "interview_id": case.interview["id"], **PHONE})])["results"][0]
    assert result["status"] == "applied", result
    item = read(web, "intelligence-items", item_id)
    assert (item["phone_number"], item["sharing_view"]) == ("+447911123456", "not_asked")


def test_an_update_through_the_api_is_pulled(app, world, as_person):
    web = as_person(world.worker)
    tablet = enrol(app, web)
    item = make_case(web, items=(PERSON,)).items[0]
    patch(web, "intelligence-items", item["id"], nickname="Y Bòs")
    pulled = tablet.pull()
    assert pulled["changes"][(COLLECTION, item["id"])]["record"]["nickname"] == "Y Bòs"


def test_a_tablet_deletes_an_item_only_while_its_interview_is_open(app, world, as_person):
    web = as_person(world.worker)
    tablet = enrol(app, web)
    case = make_case(web, items=(PERSON, PHONE))
    person, phone = case.items
    deleted = tablet.push([tablet.mutation(COLLECTION, person["id"], base_rev=person["rev"],
                                           op="delete")])["results"][0]
    assert deleted["status"] == "applied", deleted
    assert web.get(f"{ITEMS_API}/{person['id']}").status_code == 404
    submit(case)
    refused = tablet.push([tablet.mutation(COLLECTION, phone["id"], base_rev=phone["rev"],
                                           op="delete")])["results"][0]
    assert refused["status"] == "rejected", refused
    assert list(refused["errors"]) == ["interview_id"]
    assert read(web, "intelligence-items", phone["id"])["phone_number"] == "+447911123456"
