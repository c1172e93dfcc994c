"""Resolving conflicts over HTTP (sync/PROTOCOL.md): one conflict at a time, and a delete in
conflict decided with true (delete) or false (keep)."""

import uuid

import pytest

from tests.api.helpers import assert_problem
from tests.sync.http_helpers import (
    API,
    delete_in_conflict,
    enrol,
    open_conflicts,
    read,
    record,
    resolve,
    statuses,
)


def _family_name(tablet, child_id, base_rev: int, value: str) -> dict:
    body = tablet.push([tablet.mutation("children", child_id, {"family_name": value},
                                        base_rev=base_rev)])
    return body["results"][0]


def test_resolving_one_conflict_leaves_another_on_the_same_field_open(world, as_person, app):
    web = as_person(world.worker)
    tablet_a, tablet_b, tablet_c = (enrol(app, web, name) for name in ("A", "B", "C"))
    child_id = uuid.uuid4()
    made = tablet_a.push([tablet_a.mutation("children", child_id,
                                            {"given_name": "Gwenllïan", "family_name": "Ŵyn"})])
    base = made["results"][0]["rev"]
    assert _family_name(tablet_a, child_id, base, "Jones")["status"] == "applied"
    assert _family_name(tablet_b, child_id, base, "Evans")["status"] == "conflict"
    assert _family_name(tablet_c, child_id, base, "Morgan")["status"] == "conflict"
    by_device = {c["device_id"]: c for c in open_conflicts(web)}
    assert set(by_device) == {tablet_b.id, tablet_c.id}

    resolved = resolve(web, by_device[tablet_b.id]["id"], "Evans")

    assert resolved.status_code == 200, resolved.get_data(as_text=True)
    assert read(web, "children", child_id)["family_name"] == "Evans"
    # C's value still waits for a decision, on the server and on every tablet's copy.
    assert [c["id"] for c in open_conflicts(web)] == [by_device[tablet_c.id]["id"]]
    marked = record(tablet_a.pull(), "children", child_id)
    assert [(c["id"], c["device_value"]) for c in marked["_conflicts"]] == [
        (by_device[tablet_c.id]["id"], "Morgan")]

    assert resolve(web, by_device[tablet_c.id]["id"], "Morgan").status_code == 200
    assert read(web, "children", child_id)["family_name"] == "Morgan"
    assert open_conflicts(web) == []


# --- a delete in conflict -----------------------------------------------------------------------

@pytest.fixture
def deleted_in_conflict(world, as_person, app):
    """Tablet A made a case with an attempt and changed the attempt's notes; tablet B, from the
    base before that change, deleted the attempt: a conflict on _deleted. Returns the worker's
    web client, the tablets, the case's ids, that base and B's result."""
    web = as_person(world.worker)
    tablet_a, tablet_b, ids, base, deleting = delete_in_conflict(app, web)
    assert deleting["conflicts"] == [
        {"field": "_deleted", "server_value": False, "device_value": True}]
    return web, tablet_a, tablet_b, ids, base, deleting


def _conflict_on_deleted(web) -> dict:
    [conflict] = [c for c in open_conflicts(web) if c["field"] == "_deleted"]
    return conflict


def test_resolving_a_delete_with_true_deletes_the_record_everywhere(deleted_in_conflict):
    web, tablet_a, tablet_b, ids, base, deleting = deleted_in_conflict
    attempt_id = str(ids["attempts"])
    conflict = _conflict_on_deleted(web)
    # Another tablet's change of a field, in conflict too: nothing is left of it to decide.
    tablet_c = enrol(tablet_a.app, web, "C")
    clashing = tablet_c.push([tablet_c.mutation("attempts", attempt_id, {"notes": "Dim ateb"},
                                                base_rev=base)])
    assert statuses(clashing) == ["conflict"]
    assert len(open_conflicts(web)) == 2

    resolved = resolve(web, conflict["id"], True)

    assert resolved.status_code == 200, resolved.get_data(as_text=True)
    assert resolved.json["deleted"] is True
    assert resolved.json["record"] is None
    assert (resolved.json["collection"], resolved.json["id"]) == ("attempts", attempt_id)
    assert resolved.json["rev"] > deleting["rev"]
    assert web.get(f"{API}/attempts/{attempt_id}").status_code == 404
    assert open_conflicts(web) == []
    for tablet in (tablet_a, tablet_b):
        pulled = tablet.pull()
        assert ("attempts", attempt_id) in pulled["removals"]
        assert ("attempts", attempt_id) not in pulled["changes"]
    # Resolved, it is closed.
    assert_problem(resolve(web, conflict["id"], False), 404)
    # Deleting what is gone already writes nothing.
    gone = tablet_b.push([tablet_b.mutation("attempts", attempt_id, op="delete",
                                            base_rev=resolved.json["rev"])])
    assert gone["results"][0]["status"] == "applied" and "rev" not in gone["results"][0]


def test_resolving_a_delete_with_false_keeps_the_record_and_tells_every_device(
        deleted_in_conflict):
    web, tablet_a, tablet_b, ids, _base, deleting = deleted_in_conflict
    attempt_id = str(ids["attempts"])
    conflict = _conflict_on_deleted(web)

    resolved = resolve(web, conflict["id"], False)

    assert resolved.status_code == 200, resolved.get_data(as_text=True)
    assert resolved.json["rev"] > deleting["rev"]
    assert resolved.json["record"]["notes"] == "Ffoniais eto"
    assert read(web, "attempts", attempt_id)["notes"] == "Ffoniais eto"
    assert open_conflicts(web) == []
    for tablet in (tablet_a, tablet_b):
        change = tablet.pull()["changes"][("attempts", attempt_id)]
        assert change["rev"] == resolved.json["rev"]
        assert change["record"]["_conflicts"] == []
    # A delete from a base before the decision to keep it clashes with that decision; one from
    # after it deletes.
    again = tablet_b.push([tablet_b.mutation("attempts", attempt_id, op="delete",
                                             base_rev=deleting["rev"])])
    assert statuses(again) == ["conflict"]
    after = tablet_a.push([tablet_a.mutation("attempts", attempt_id, op="delete",
                                             base_rev=resolved.json["rev"])])
    assert statuses(after) == ["applied"]


@pytest.mark.parametrize("value", ["yes", None, 1, {"delete": True}])
def test_a_delete_in_conflict_is_decided_with_true_or_false_alone(deleted_in_conflict, value):
    web, _tablet_a, _tablet_b, ids, _base, _deleting = deleted_in_conflict
    conflict = _conflict_on_deleted(web)
    problem = assert_problem(resolve(web, conflict["id"], value), 422, ["value"])
    assert problem["errors"][0]["messages"] == [
        "This must be true, to delete the record, or false, to keep it."]
    welsh = web.post(f"{API}/sync/conflicts/{conflict['id']}/resolve", json={"value": value},
                     query_string={"lang": "cy"})
    assert assert_problem(welsh, 422, ["value"])["errors"][0]["messages"] == [
        "Rhaid i hwn fod yn wir, i ddileu'r cofnod, neu'n gau, i'w gadw."]
    assert read(web, "attempts", ids["attempts"])["notes"] == "Ffoniais eto"
    assert len(open_conflicts(web)) == 1


def test_deleting_by_resolving_is_no_way_round_a_submitted_interviews_lock(deleted_in_conflict):
    web, tablet_a, _tablet_b, ids, _base, _deleting = deleted_in_conflict
    interview = read(web, "interviews", ids["interviews"])
    submitted = tablet_a.push([tablet_a.mutation("interviews", ids["interviews"],
                                                 {"status": "submitted"},
                                                 base_rev=interview["rev"])])
    assert statuses(submitted) == ["applied"]
    conflict = _conflict_on_deleted(web)

    assert_problem(resolve(web, conflict["id"], True), 422, ["value"])

    read(web, "attempts", ids["attempts"])
    assert resolve(web, conflict["id"], False).status_code == 200
