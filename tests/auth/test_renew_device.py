"""A tablet signed out everywhere is signed in again: its worker, signed in on the web, renews
its tokens (POST /api/v1/devices/<id>/renew), keeping its data; no one else can."""

import uuid

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Device, RefreshToken
from app.auth.second_factor.services import sign_out_everywhere
from app.core.types import utcnow
from tests.api.helpers import API, assert_problem
from tests.sync.http_helpers import PULL, enrol_pair

TOKEN = f"{API}/devices/token"


def renew_path(device_id) -> str:
    return f"{API}/devices/{device_id}/renew"


def refresh(app, pair: dict):
    return app.test_client().post(TOKEN, json={"device_id": pair["device_id"],
                                               "refresh_token": pair["refresh_token"]})


def pull(app, pair: dict):
    return app.test_client().get(PULL, headers={"Authorization": "Bearer " + pair["access_token"]})


def signed_out_tablet(session, as_person, person) -> dict:
    """The person's tablet, enrolled, then signed out everywhere (as from the account page)."""
    pair = enrol_pair(as_person(person))
    sign_out_everywhere(session, person, person, utcnow())
    session.commit()
    return pair


def device_of(session, pair: dict) -> Device:
    session.expire_all()
    return session.get(Device, uuid.UUID(pair["device_id"]))


def test_the_worker_signed_in_again_renews_the_tablet_and_it_syncs(app, session, world, as_person):
    pair = signed_out_tablet(session, as_person, world.worker)
    assert refresh(app, pair).json["sign_in"] is True

    answer = as_person(world.worker).post(renew_path(pair["device_id"]), json={})

    assert answer.status_code == 200, answer.get_data(as_text=True)
    renewed = answer.json
    # The same shape as enrolment, for the same device with the same keys.
    assert set(renewed) == set(pair)
    assert renewed["device_id"] == pair["device_id"]
    assert renewed["export_key"] == pair["export_key"]
    assert renewed["upload_secret"] == pair["upload_secret"]
    assert renewed["refresh_token"] != pair["refresh_token"]
    assert device_of(session, pair).signed_out_at is None
    assert pull(app, renewed).status_code == 200
    # Its refresh token works, once, as any other.
    again = refresh(app, renewed)
    assert again.status_code == 200, again.get_data(as_text=True)
    assert pull(app, again.json).status_code == 200
    assert "renew" in session.scalars(select(AuditEvent.action).where(
        AuditEvent.person_id == world.worker.id, AuditEvent.record_id == uuid.UUID(pair["device_id"]))).all()


def test_the_refresh_token_spent_by_signing_out_stays_refused(app, session, world, as_person):
    pair = signed_out_tablet(session, as_person, world.worker)
    assert as_person(world.worker).post(renew_path(pair["device_id"]), json={}).status_code == 200

    assert_problem(refresh(app, pair), 401)


def test_renewing_spends_the_refresh_tokens_still_unspent(app, session, world, as_person):
    """Renewing a tablet that was never signed out leaves one refresh token working: the new."""
    web = as_person(world.worker)
    pair = enrol_pair(web)
    renewed = web.post(renew_path(pair["device_id"]), json={}).json
    session.expire_all()
    unspent = session.scalars(select(RefreshToken).where(
        RefreshToken.device_id == uuid.UUID(pair["device_id"]),
        RefreshToken.spent_at.is_(None))).all()
    assert len(unspent) == 1
    assert refresh(app, renewed).status_code == 200


def test_another_persons_tablet_is_not_found(app, session, world, as_person):
    pair = signed_out_tablet(session, as_person, world.worker)
    for someone in (world.colleague, world.supervisor, world.admin, world.outsider):
        answer = as_person(someone).post(renew_path(pair["device_id"]), json={})
        assert_problem(answer, 404)
    assert device_of(session, pair).signed_out_at is not None
    assert refresh(app, pair).json["sign_in"] is True


def test_a_device_that_does_not_exist_is_not_found(world, as_person):
    assert_problem(as_person(world.worker).post(renew_path(uuid.uuid4()), json={}), 404)


def test_a_revoked_tablet_is_not_signed_in_again(app, session, world, as_person):
    pair = signed_out_tablet(session, as_person, world.worker)
    web = as_person(world.worker)
    assert web.post(f"{API}/devices/{pair['device_id']}/revoke", json={}).status_code == 200

    english = assert_problem(web.post(renew_path(pair["device_id"]) + "?lang=en", json={}), 409)
    welsh = assert_problem(web.post(renew_path(pair["device_id"]) + "?lang=cy", json={}), 409)

    assert "removed from Adref" in english["detail"]
    assert "Adref" in welsh["detail"] and welsh["detail"] != english["detail"]
    assert device_of(session, pair).revoked_at is not None
    assert refresh(app, pair).json["wipe"] is True


def test_renewing_needs_a_person_signed_in_not_a_device_token(app, session, world, as_person):
    pair = signed_out_tablet(session, as_person, world.worker)
    assert_problem(app.test_client().post(renew_path(pair["device_id"]), json={}), 401)
    fresh = enrol_pair(as_person(world.worker), "Another tablet")
    by_token = app.test_client().post(renew_path(fresh["device_id"]), json={},
                                      headers={"Authorization": "Bearer " + fresh["access_token"]})
    assert by_token.status_code in (401, 403)
    # And a form of another site cannot send it with the cookie alone.
    assert_problem(as_person(world.worker).post(renew_path(pair["device_id"])), 415)
    assert device_of(session, pair).signed_out_at is not None


def test_the_renew_route_is_described(client):
    document = client.get(f"{API}/openapi.json").json
    operation = document["paths"]["/api/v1/devices/{device_id}/renew"]["post"]
    assert operation["parameters"][0]["name"] == "device_id"
    assert {"200", "404", "409"} <= set(operation["responses"])
