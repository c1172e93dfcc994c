"""A change that the sign-in cookie authenticates must come from a script of this site: a JSON
body or the X-Requested-With header, which a form of another site cannot send. So a cross-site
form cannot, for instance, revoke a tablet (which makes it erase itself). A tablet's bearer
token is not a cookie: its calls need neither."""

import uuid

import pytest
from sqlalchemy import select

from app.auth.models import Device
from tests.api.helpers import API, assert_problem
from tests.sync.http_helpers import enrol


def revoked_at(session, device_id):
    session.expire_all()
    return session.scalar(select(Device.revoked_at).where(Device.id == uuid.UUID(device_id)))


@pytest.mark.parametrize("how", [
    {"data": {"anything": "1"}},  # what a cross-site form sends
    {"data": "x", "content_type": "text/plain"},
    {"data": "", "content_type": "multipart/form-data; boundary=x"},
    {},  # an empty POST
])
def test_a_revoke_that_a_form_could_send_is_refused(world, as_person, app, session, how):
    tablet = enrol(app, as_person(world.worker))
    response = as_person(world.worker).post(f"{API}/devices/{tablet.id}/revoke", **how)
    assert_problem(response, 415)
    assert revoked_at(session, tablet.id) is None
    assert tablet.get_pull().status_code == 200


@pytest.mark.parametrize("how", [{"json": {}},
                                 {"headers": {"X-Requested-With": "XMLHttpRequest"}}])
def test_a_revoke_from_a_script_is_done(world, as_person, app, session, how):
    tablet = enrol(app, as_person(world.worker))
    response = as_person(world.worker).post(f"{API}/devices/{tablet.id}/revoke", **how)
    assert response.status_code == 200, response.text
    assert revoked_at(session, tablet.id) is not None


def test_every_cookie_write_needs_it(world, as_person):
    worker = as_person(world.worker)
    assert_problem(worker.patch(f"{API}/people/{world.worker.id}",
                                data={"preferred_language": "cy"}), 415)
    assert_problem(as_person(world.admin).post(f"{API}/people/{world.worker.id}/unlock"), 415)
    # Reading needs nothing of the kind.
    assert worker.get(f"{API}/me").status_code == 200


def test_a_tablets_bearer_calls_need_neither(world, as_person, app, session):
    tablet = enrol(app, as_person(world.worker))
    response = tablet.client.post(f"{API}/devices/{tablet.id}/revoke", headers=tablet.headers)
    assert response.status_code == 200, response.text
    assert revoked_at(session, tablet.id) is not None
