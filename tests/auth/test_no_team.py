"""A person with no team (an admin, a commissioner, a supervisor not yet given one) is in no
team: a query scoped to "the person's team" finds nothing for a supervisor without one, never
everyone else with no team (SQL's `team_id IS NULL`). One test per scoped query."""

import uuid

import pytest

from app.auth.models import Device, Role
from app.auth.services import add_person, visible_people
from app.cases.services import visible_children
from app.syncing.rescue import importable_devices
from app.syncing.scope import scopes_of
from tests.api.helpers import API
from tests.sync.http_helpers import enrol


@pytest.fixture
def lone_supervisor(session, world, password_hash):
    person = add_person(session, world.org_a, None, Role.SUPERVISOR, "Lowri Lone",
                        f"lowri.{uuid.uuid4().hex[:6]}@example.org", password_hash, "en")
    session.commit()
    return person


def test_the_rejections_of_people_with_no_team_stay_theirs(world, as_person, app,
                                                           lone_supervisor):
    tablet = enrol(app, as_person(world.admin))
    refused = tablet.push([tablet.mutation("children", uuid.uuid4(), {
        "given_name": "Elin", "family_name": "Ŵyn", "favourite_colour": "porffor"})])
    assert [result["status"] for result in refused["results"]] == ["rejected"]
    admins = as_person(world.admin).get(f"{API}/sync/rejections").json["items"]
    assert len(admins) == 1

    seen = as_person(lone_supervisor).get(f"{API}/sync/rejections")
    assert seen.status_code == 200
    assert seen.json["items"] == []


def test_a_lone_supervisor_sees_no_child(session, world, lone_supervisor):
    assert session.scalars(visible_children(world.admin)).all()  # the organisation has some
    assert session.scalars(visible_children(lone_supervisor)).all() == []


def test_a_lone_supervisor_sees_only_themself_among_people(session, world, lone_supervisor):
    seen = session.scalars(visible_people(lone_supervisor)).all()
    assert seen == [lone_supervisor]


def test_a_lone_supervisor_imports_no_ones_rescue_file(session, world, app, as_person,
                                                        lone_supervisor):
    enrol(app, as_person(world.admin))  # a device of someone else with no team
    assert session.query(Device).count() >= 1
    assert session.scalars(importable_devices(lone_supervisor)).all() == []


def test_a_lone_supervisor_hears_of_no_ones_removals(lone_supervisor, world):
    assert scopes_of(lone_supervisor) == []
    assert scopes_of(world.supervisor) == [f"team:{world.team_a.id}"]
