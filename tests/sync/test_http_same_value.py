"""A write that leaves a field's value as it is changes nothing of that field, not even whose
change it was (sync/PROTOCOL.md), on the real database: two tablets of one worker."""

import uuid

import pytest

from tests.sync.http_helpers import enrol, open_conflicts, read, statuses


@pytest.fixture
def made_by_a(world, as_person, app):
    """Tablets A and B of one worker; A has made a child named Ŵyn. Returns the worker's web
    client, the tablets, the child's id and its first revision."""
    web = as_person(world.worker)
    tablet_a, tablet_b = enrol(app, web, "Tablet A"), enrol(app, web, "Tablet B")
    child_id = uuid.uuid4()
    made = tablet_a.push([tablet_a.mutation("children", child_id,
                                            {"given_name": "Gwenllïan", "family_name": "Ŵyn"})])
    return web, tablet_a, tablet_b, child_id, made["results"][0]["rev"]


def family_name(tablet, child_id, base_rev: int, value: str) -> dict:
    """The tablet's push of a new family name from base_rev; its one result."""
    body = tablet.push([tablet.mutation("children", child_id, {"family_name": value},
                                        base_rev=base_rev)])
    return body["results"][0]


def test_re_saving_anothers_value_does_not_let_a_later_change_overwrite_it(made_by_a):
    web, tablet_a, tablet_b, child_id, r1 = made_by_a
    assert family_name(tablet_b, child_id, r1, "Jones")["status"] == "applied"
    assert family_name(tablet_a, child_id, r1, "Jones")["status"] == "merged"

    evans = family_name(tablet_a, child_id, r1, "Evans")

    assert evans["status"] == "conflict"
    assert evans["conflicts"] == [
        {"field": "family_name", "server_value": "Jones", "device_value": "Evans"}]
    assert read(web, "children", child_id)["family_name"] == "Jones"
    [kept] = open_conflicts(web)
    assert (kept["field"], kept["server_value"], kept["device_value"], kept["device_id"]) == (
        "family_name", "Jones", "Evans", tablet_a.id)


def test_re_saving_a_value_does_not_make_its_owners_later_change_a_conflict(made_by_a):
    web, tablet_a, tablet_b, child_id, r1 = made_by_a
    resaved = tablet_b.push([tablet_b.mutation("children", child_id, {"family_name": "Ŵyn"},
                                               base_rev=r1)])
    assert statuses(resaved) == ["applied"]

    evans = family_name(tablet_a, child_id, r1, "Evans")

    assert evans["status"] == "applied", evans
    assert read(web, "children", child_id)["family_name"] == "Evans"
    assert open_conflicts(web) == []
