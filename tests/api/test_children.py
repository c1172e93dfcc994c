"""/api/v1/children: create, read, update, list; validation; derived facts; Welsh names;
the audit trail; server revisions."""

import uuid

from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.cases.models import Child
from tests.api.helpers import (
    API,
    assert_problem,
    create_child,
    ids,
    list_all,
    patch,
    read,
)


def count_children(session) -> int:
    return session.scalar(select(func.count()).select_from(Child))


# --- create, read, update, list ---------------------------------------------------------------

def test_worker_creates_a_child_assigned_to_themselves(world, as_person):
    worker = as_person(world.worker)
    response = worker.post(f"{API}/children", json={
        "given_name": "Gwen", "family_name": "Jones", "date_of_birth": "2011-05-04",
        "preferred_language": "cy", "looked_after": True,
        "placing_authority_code": "W06000015", "host_authority_code": "W06000015"})

    assert response.status_code == 201
    assert response.mimetype == "application/json"
    child = response.json
    assert response.headers["Location"].endswith(f"/api/v1/children/{child['id']}")
    assert child["given_name"] == "Gwen" and child["family_name"] == "Jones"
    assert child["date_of_birth"] == "2011-05-04"
    assert child["assigned_worker_id"] == str(world.worker.id)
    assert child["team_id"] == str(world.team_a.id)
    assert child["organisation_id"] == str(world.org_a.id)
    assert child["out_of_area"] is False
    assert read(worker, "children", child["id"]) == child


def test_a_client_may_choose_the_childs_id(world, as_person):
    worker = as_person(world.worker)
    chosen = str(uuid.uuid4())
    child = create_child(worker, id=chosen)
    assert child["id"] == chosen
    assert read(worker, "children", chosen)["given_name"] == "Gwen"


def test_reading_a_child(world, as_person):
    child = read(as_person(world.worker), "children", world.child.id)
    assert child["id"] == str(world.child.id)
    assert child["given_name"] == "Cerys"
    assert child["looked_after"] is True
    assert child["placing_authority_code"] == "W06000015"
    assert child["host_authority_code"] == "W06000011"


def test_patch_changes_only_the_fields_sent(world, as_person):
    worker = as_person(world.worker)
    changed = patch(worker, "children", world.child.id, given_name="Carys",
                    preferred_language="cy")
    assert changed["given_name"] == "Carys"
    assert changed["preferred_language"] == "cy"
    assert changed["family_name"] == "Test"
    assert changed["host_authority_code"] == "W06000011"
    again = read(worker, "children", world.child.id)
    assert again["given_name"] == "Carys" and again["preferred_language"] == "cy"


def test_list_is_paged_with_a_next_link(world, as_person):
    worker = as_person(world.worker)
    create_child(worker, given="Aled", family="Aaron")

    first = worker.get(f"{API}/children", query_string={"per_page": 1})
    assert first.status_code == 200
    assert first.json["page"] == 1 and first.json["per_page"] == 1
    assert first.json["total"] == 2
    assert len(first.json["items"]) == 1
    assert first.json["items"][0]["given_name"] == "Aled"  # ordered by family name
    assert first.json["next"]

    second = worker.get(first.json["next"])
    assert second.status_code == 200
    assert second.json["page"] == 2
    assert [c["given_name"] for c in second.json["items"]] == ["Cerys"]
    assert second.json["next"] is None
    # A page beyond any a database can count to is refused, not a server error.
    assert_problem(worker.get(f"{API}/children", query_string={"page": 10**20}), 422, ["page"])


def test_list_filters_by_looked_after(world, as_person):
    admin = as_person(world.admin)
    looked_after = list_all(admin, "children", looked_after="true")
    assert ids(looked_after) == {str(world.child.id)}
    others = list_all(admin, "children", looked_after="false")
    assert ids(others) == {str(world.colleague_child.id), str(world.other_team_child.id)}


def test_list_filters_by_assigned_worker(world, as_person):
    supervisor = as_person(world.supervisor)
    found = list_all(supervisor, "children", assigned_worker_id=str(world.colleague.id))
    assert ids(found) == {str(world.colleague_child.id)}


# --- validation -------------------------------------------------------------------------------

def test_missing_required_fields_are_named(world, as_person):
    response = as_person(world.worker).post(f"{API}/children", json={})
    assert_problem(response, 422, ["given_name", "family_name"])


def test_wrong_types_are_named(world, as_person):
    response = as_person(world.worker).post(f"{API}/children", json={
        "given_name": 42, "family_name": "Jones", "looked_after": "perhaps",
        "date_of_birth": "last spring", "preferred_language": "fr"})
    body = assert_problem(response, 422,
                          ["given_name", "looked_after", "date_of_birth", "preferred_language"])
    assert "family_name" not in {e["field"] for e in body["errors"]}


def test_an_unknown_field_is_named(world, as_person):
    response = as_person(world.worker).post(f"{API}/children", json={
        "given_name": "Gwen", "family_name": "Jones", "bogus": 1})
    assert_problem(response, 422, ["bogus"])


def test_an_unknown_area_code_is_named(world, session, as_person):
    before = count_children(session)
    response = as_person(world.worker).post(f"{API}/children", json={
        "given_name": "Gwen", "family_name": "Jones", "looked_after": True,
        "placing_authority_code": "W06999999", "host_authority_code": "W06000011"})
    body = assert_problem(response, 422, ["placing_authority_code"])
    assert "host_authority_code" not in {e["field"] for e in body["errors"]}
    assert count_children(session) == before


def test_a_police_force_is_not_a_local_authority(world, as_person):
    response = as_person(world.worker).post(f"{API}/children", json={
        "given_name": "Gwen", "family_name": "Jones", "host_authority_code": "W15000003"})
    assert_problem(response, 422, ["host_authority_code"])


def test_patch_with_an_unknown_area_code_changes_nothing(world, as_person):
    worker = as_person(world.worker)
    response = worker.patch(f"{API}/children/{world.child.id}", json={
        "given_name": "Carys", "host_authority_code": "X99"})
    assert_problem(response, 422, ["host_authority_code"])
    child = read(worker, "children", world.child.id)
    assert child["given_name"] == "Cerys"
    assert child["host_authority_code"] == "W06000011"


def test_id_in_a_patch_body_is_an_unknown_field(world, as_person):
    response = as_person(world.worker).patch(f"{API}/children/{world.child.id}",
                                             json={"id": str(uuid.uuid4())})
    assert_problem(response, 422, ["id"])


def test_an_empty_name_is_refused(world, as_person):
    response = as_person(world.worker).patch(f"{API}/children/{world.child.id}",
                                             json={"given_name": ""})
    assert_problem(response, 422, ["given_name"])


def test_a_child_cannot_be_put_in_another_organisations_team(world, as_person):
    response = as_person(world.admin).post(f"{API}/children", json={
        "given_name": "Gwen", "family_name": "Jones", "team_id": str(world.outsider.team_id)})
    assert_problem(response, 422, ["team_id"])


def test_a_child_cannot_be_moved_to_another_organisations_team(world, as_person):
    admin = as_person(world.admin)
    response = admin.patch(f"{API}/children/{world.child.id}",
                           json={"team_id": str(world.outsider.team_id)})
    assert_problem(response, 422, ["team_id"])
    assert read(admin, "children", world.child.id)["team_id"] == str(world.team_a.id)


def test_an_admin_without_a_team_must_name_one(world, as_person):
    # Admins belong to no team; a child without a team is a missing field, not a clash.
    response = as_person(world.admin).post(f"{API}/children", json={
        "given_name": "Gwen", "family_name": "Jones"})
    assert_problem(response, 422, ["team_id"])


def test_an_admin_creates_a_child_in_a_team(world, as_person):
    admin = as_person(world.admin)
    child = create_child(admin, team_id=str(world.other_team.id),
                         assigned_worker_id=str(world.other_team_worker.id))
    assert child["team_id"] == str(world.other_team.id)
    other = as_person(world.other_team_worker)
    assert str(child["id"]) in ids(list_all(other, "children"))


# --- derived facts ----------------------------------------------------------------------------

def test_out_of_area_is_derived(world, as_person):
    worker = as_person(world.worker)
    assert read(worker, "children", world.child.id)["out_of_area"] is True
    assert read(worker, "children", world.child.id)["placed_outside_wales"] is False

    at_home = patch(worker, "children", world.child.id, host_authority_code="W06000015")
    assert at_home["out_of_area"] is False

    unknown_host = patch(worker, "children", world.child.id, host_authority_code=None)
    assert unknown_host["out_of_area"] is None

    not_looked_after = patch(worker, "children", world.child.id, looked_after=False)
    assert not_looked_after["out_of_area"] is False


def test_out_of_area_cannot_be_sent(world, as_person):
    response = as_person(world.worker).patch(f"{API}/children/{world.child.id}",
                                             json={"out_of_area": False})
    assert_problem(response, 422, ["out_of_area"])


# --- Welsh characters -------------------------------------------------------------------------

def test_welsh_names_round_trip(world, as_person):
    worker = as_person(world.worker)
    child = create_child(worker, given="Gwenllïan", family="Ŵyn")
    assert child["given_name"] == "Gwenllïan" and child["family_name"] == "Ŵyn"
    again = read(worker, "children", child["id"])
    assert again["given_name"] == "Gwenllïan"
    assert again["family_name"] == "Ŵyn"
    listed = {c["id"]: c for c in list_all(worker, "children")}
    assert listed[child["id"]]["family_name"] == "Ŵyn"


# --- audit trail ------------------------------------------------------------------------------

def test_reading_a_child_is_audited(world, session, as_person):
    read(as_person(world.worker), "children", world.child.id)
    events = session.scalars(select(AuditEvent).where(
        AuditEvent.action == "read", AuditEvent.collection == "children")).all()
    assert len(events) == 1
    event = events[0]
    assert event.record_id == world.child.id
    assert event.person_id == world.worker.id
    assert event.organisation_id == world.org_a.id
    assert event.at is not None


def test_creating_and_changing_a_child_are_audited(world, session, as_person):
    worker = as_person(world.worker)
    child = create_child(worker)
    patch(worker, "children", child["id"], given_name="Gwenda")
    actions = session.execute(select(AuditEvent.action, AuditEvent.record_id).where(
        AuditEvent.collection == "children", AuditEvent.person_id == world.worker.id)).all()
    assert ("create", uuid.UUID(child["id"])) in actions
    assert ("update", uuid.UUID(child["id"])) in actions


def test_refused_reads_leave_no_audit_event(world, session, as_person):
    response = as_person(world.worker).get(f"{API}/children/{world.outsider_child.id}")
    assert response.status_code == 404
    assert session.scalars(select(AuditEvent).where(
        AuditEvent.record_id == world.outsider_child.id)).all() == []


# --- revisions --------------------------------------------------------------------------------

def test_every_change_raises_the_revision(world, as_person):
    worker = as_person(world.worker)
    child = create_child(worker)
    assert child["rev"] > 0
    changed = patch(worker, "children", child["id"], given_name="Gwenda")
    assert changed["rev"] > child["rev"]
    assert read(worker, "children", child["id"])["rev"] == changed["rev"]

    later = patch(worker, "children", world.child.id, given_name="Carys")
    assert later["rev"] > changed["rev"]
    changed_again = patch(worker, "children", child["id"], family_name="Evans")
    assert changed_again["rev"] > later["rev"]
