"""/api/v1/intelligence-items: information for the police, one item a person, place, vehicle,
phone number or social media account, held under an interview and seen by those who see it."""

import uuid

from sqlalchemy import func, select

from app.intelligence.models import IntelligenceItem
from tests.api.helpers import API, assert_problem, create, list_all, patch, read
from tests.intelligence.conftest import ITEMS, PERSON, PHONE, make_case, submit

ITEMS_API = f"{API}/intelligence-items"


def count_items(session) -> int:
    return session.scalar(select(func.count()).select_from(IntelligenceItem))


def test_each_kind_is_recorded_and_read_back(world, worker):
    case = make_case(worker)
    by_kind = {item["kind"]: item for item in case.items}
    assert set(by_kind) == {"person", "place", "vehicle", "phone_number", "social_media"}
    person = read(worker, "intelligence-items", by_kind["person"]["id"])
    assert person["name"] == "Dai Bach" and person["nickname"] == "Bachgen Mawr"
    assert person["relationship"] == "Met at the park"
    assert person["sharing_view"] == "happy"
    assert person["interview_id"] == case.interview["id"]
    assert person["organisation_id"] == str(world.org_a.id)
    assert by_kind["place"]["address_or_place"].startswith("Flat 3")
    assert by_kind["social_media"]["handle"] == "@llinell_las"


def test_a_registration_is_kept_in_capitals_without_spaces(worker):
    vehicle = next(i for i in make_case(worker).items if i["kind"] == "vehicle")
    assert vehicle["vehicle_registration"] == "CU15XYZ"
    changed = patch(worker, "intelligence-items", vehicle["id"], vehicle_registration=" ab 12 cde")
    assert changed["vehicle_registration"] == "AB12CDE"


def test_a_phone_number_is_kept_in_e164(worker):
    phone = next(i for i in make_case(worker).items if i["kind"] == "phone_number")
    assert phone["phone_number"] == "+447911123456"
    changed = patch(worker, "intelligence-items", phone["id"], phone_number="+33 1 42 68 53 00")
    assert changed["phone_number"] == "+33142685300"


def test_the_child_was_not_asked_unless_the_worker_says(worker):
    phone = next(i for i in make_case(worker).items if i["kind"] == "phone_number")
    assert phone["sharing_view"] == "not_asked"


def test_a_client_may_choose_the_id(worker):
    case = make_case(worker, items=())
    chosen = str(uuid.uuid4())
    made = create(worker, "intelligence-items", id=chosen, interview_id=case.interview["id"],
                  **PERSON)
    assert made["id"] == chosen


def test_items_are_listed_by_interview(worker):
    case = make_case(worker)
    other = make_case(worker, items=(PHONE,))
    listed = list_all(worker, "intelligence-items", interview_id=case.interview["id"])
    assert {item["id"] for item in listed} == {item["id"] for item in case.items}
    assert len(list_all(worker, "intelligence-items")) == len(ITEMS) + 1
    assert [i["id"] for i in list_all(worker, "intelligence-items", kind="phone_number",
                                      interview_id=other.interview["id"])] \
        == [other.items[0]["id"]]


def test_another_organisation_sees_nothing(world, worker, as_person, session):
    item = make_case(worker).items[0]
    outsider = as_person(world.outsider)
    assert_problem(outsider.get(f"{ITEMS_API}/{item['id']}"), 404)
    assert_problem(outsider.patch(f"{ITEMS_API}/{item['id']}", json={"name": "Neb"}), 404)
    assert list_all(outsider, "intelligence-items") == []
    response = outsider.post(ITEMS_API, json={"interview_id": item["interview_id"], **PERSON})
    assert_problem(response, 422, ["interview_id"])
    assert read(worker, "intelligence-items", item["id"])["name"] == "Dai Bach"


def test_a_colleague_of_another_team_sees_nothing(world, worker, as_person):
    item = make_case(worker).items[0]
    assert_problem(as_person(world.other_team_worker).get(f"{ITEMS_API}/{item['id']}"), 404)


def test_the_supervisor_of_the_team_sees_them(worker, supervisor):
    item = make_case(worker).items[0]
    assert read(supervisor, "intelligence-items", item["id"])["name"] == "Dai Bach"


def test_a_kind_is_required_and_known(worker, session):
    case = make_case(worker, items=())
    response = worker.post(ITEMS_API, json={"interview_id": case.interview["id"]})
    assert_problem(response, 422, ["kind"])
    response = worker.post(ITEMS_API, json={"interview_id": case.interview["id"],
                                            "kind": "rumour", "sharing_view": "delighted"})
    assert_problem(response, 422, ["kind", "sharing_view"])
    assert count_items(session) == 0


def test_an_item_is_locked_once_its_interview_is_submitted(worker, session):
    case = make_case(worker)
    submit(case)
    response = worker.patch(f"{ITEMS_API}/{case.items[0]['id']}", json={"name": "Newydd"})
    body = assert_problem(response, 409, ["interview_id"])
    assert "submitted" in body["detail"]
    response = worker.post(ITEMS_API, json={"interview_id": case.interview["id"], **PHONE})
    assert_problem(response, 409, ["interview_id"])
    assert count_items(session) == len(ITEMS)
    assert read(worker, "intelligence-items", case.items[0]["id"])["name"] == "Dai Bach"


def test_the_interview_notes_hold_none_of_it(worker):
    case = make_case(worker, notes="The young person named people: see their own section.")
    interview = read(worker, "interviews", case.interview["id"])
    assert "Dai Bach" not in str(interview) and "+447911123456" not in str(interview)


def test_the_document_describes_items_and_their_nulls(worker, client):
    document = client.get(f"{API}/openapi.json").json
    assert {"/api/v1/intelligence-items", "/api/v1/intelligence-items/{record_id}",
            "/api/v1/interviews/{interview_id}/intelligence-submission"} <= set(document["paths"])
    properties = document["components"]["schemas"]["IntelligenceItem"]["properties"]
    for item in make_case(worker).items:
        for name, value in item.items():
            if value is None:
                assert properties[name].get("nullable"), f"{name} is null, not nullable"
