"""Resolving conflicts over HTTP (sync/PROTOCOL.md): one conflict at a time."""

import uuid

from tests.sync.http_helpers import enrol, open_conflicts, read, record, resolve


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
