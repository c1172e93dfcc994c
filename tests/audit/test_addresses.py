"""Where each event came from: the network address of the request (a page, the API, a tablet's
sync with its device token), as the trusted proxies forwarded it; and every device action
(enrolling, renewing its tokens, revoking it, by a person or because a token was reused) in the
trail."""

import uuid

from sqlalchemy import select

from app import create_app
from app.audit.chain import verify_chain
from app.audit.models import AuditEvent
from app.audit.services import record_access
from tests.api.helpers import API
from tests.conftest import sign_in
from tests.sync.http_helpers import enrol, new_case

TABLET_ADDRESS = "198.51.100.23"


def events(session, action, **where):
    query = select(AuditEvent).where(AuditEvent.action == action)
    for name, value in where.items():
        query = query.where(getattr(AuditEvent, name) == value)
    return session.scalars(query.order_by(AuditEvent.id)).all()


def test_an_event_outside_a_request_has_no_address(session, world):
    record_access(session, world.admin, "read", "people", world.worker.id)
    session.commit()
    assert events(session, "read")[0].address is None


def test_a_tablets_sync_and_device_actions_are_recorded_with_its_address(app, session, world,
                                                                         as_person):
    web = as_person(world.worker)
    web.environ_base["REMOTE_ADDR"] = "192.0.2.10"
    tablet = enrol(app, web)
    enrolled = events(session, "enrol", record_id=uuid.UUID(tablet.id))
    assert [(e.person_id, e.collection, e.address) for e in enrolled] == [
        (world.worker.id, "devices", "192.0.2.10")]

    tablet.client.environ_base["REMOTE_ADDR"] = TABLET_ADDRESS
    ids, mutations = new_case(tablet)
    tablet.push(mutations)
    tablet.pull()
    created = events(session, "sync-create", record_id=ids["children"])
    assert [e.address for e in created] == [TABLET_ADDRESS]
    assert [e.address for e in events(session, "pull")] == [TABLET_ADDRESS]

    spent = tablet.refresh_token
    renewed = tablet.client.post(f"{API}/devices/token", json={
        "device_id": tablet.id, "refresh_token": spent})
    assert renewed.status_code == 200
    assert [e.address for e in events(session, "refresh")] == [TABLET_ADDRESS]
    reused = tablet.client.post(f"{API}/devices/token", json={
        "device_id": tablet.id, "refresh_token": spent})
    assert reused.status_code != 200
    revoked = events(session, "revoke", record_id=uuid.UUID(tablet.id))
    assert [(e.person_id, e.detail) for e in revoked] == [(world.worker.id,
                                                          "refresh-token-reused")]
    verdict = verify_chain(session)
    assert verdict.intact, verdict.problem


def test_revoking_a_device_is_recorded(app, session, world, as_person):
    tablet = enrol(app, as_person(world.worker))
    admin = as_person(world.admin)
    assert admin.post(f"{API}/devices/{tablet.id}/revoke", json={}).status_code == 200
    revoked = events(session, "revoke", record_id=uuid.UUID(tablet.id))
    assert [(e.person_id, e.detail) for e in revoked] == [(world.admin.id, None)]


def test_behind_a_trusted_proxy_the_persons_own_address_is_recorded(app, session, world):
    proxied = create_app({**app.config, "TRUSTED_PROXIES": 1})
    client = sign_in(proxied.test_client(), world.admin)
    page = client.get("/admin/audit", headers={"X-Forwarded-For": "203.0.113.50"},
                      environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert page.status_code == 200
    assert [e.address for e in events(session, "search")] == ["203.0.113.50"]
