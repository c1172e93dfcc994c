"""Devices over HTTP: enrolling, access tokens, refresh-token rotation and reuse, revoking, and
tokens that are expired, tampered with or made for someone else."""

import base64
import json
import uuid
from datetime import timedelta

from sqlalchemy import select

from app.auth.models import Device
from app.auth.tokens import issue_access_token
from app.core.types import utcnow
from tests.api.helpers import assert_problem
from tests.sync.http_helpers import API, PULL, Tablet, enrol, enrol_pair

TOKEN = f"{API}/devices/token"


def pull_with(app, access_token: str):
    return app.test_client().get(PULL, headers={"Authorization": "Bearer " + access_token})


def assert_wipe(response):
    body = assert_problem(response, 401)
    assert body["wipe"] is True
    return body


def assert_refused_without_wipe(response):
    body = assert_problem(response, 401)
    assert body.get("wipe") is not True
    return body


def refresh(app, device_id: str, refresh_token: str):
    return app.test_client().post(TOKEN, json={"device_id": device_id,
                                               "refresh_token": refresh_token})


def test_enrolling_needs_a_signed_in_person(app, world):
    assert_problem(app.test_client().post(f"{API}/devices", json={"name": "Tablet"}), 401)


def test_a_device_token_cannot_enrol_another_device(world, as_person, app, session):
    """Enrolling is for a person signed in through the web: an access token (perhaps copied
    from a tablet) must not mint a new device with a refresh token of its own."""
    pair = enrol_pair(as_person(world.worker))
    response = app.test_client().post(f"{API}/devices", json={"name": "Copi"},
                                      headers={"Authorization": "Bearer " + pair["access_token"]})
    assert response.status_code in (401, 403), response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert session.scalars(select(Device.name).where(
        Device.person_id == world.worker.id)).all() == ["Tablet"]


def test_the_device_of_a_person_who_left_is_told_to_wipe(world, as_person, app, session):
    pair = enrol_pair(as_person(world.worker))
    world.worker.active = False
    session.commit()
    assert_wipe(pull_with(app, pair["access_token"]))


def test_enrolling_gives_a_token_pair_that_works_for_pull(world, as_person, app, session):
    web = as_person(world.worker)
    pair = enrol_pair(web, "Llechen Siân")
    assert pair["token_type"] == "Bearer"
    assert pair["expires_in"] == 15 * 60
    assert pair["access_token"] != pair["refresh_token"]
    device = session.get(Device, uuid.UUID(pair["device_id"]))
    assert device.person_id == world.worker.id and device.name == "Llechen Siân"

    response = pull_with(app, pair["access_token"])
    assert response.status_code == 200, response.get_data(as_text=True)
    assert str(world.child.id) in {c["id"] for c in response.json["changes"]}


def test_enrolling_with_a_bad_body_is_422(world, as_person):
    web = as_person(world.worker)
    assert_problem(web.post(f"{API}/devices", json={"name": ""}), 422, fields=["name"])
    assert_problem(web.post(f"{API}/devices", json={}), 422, fields=["name"])


def test_a_commissioner_cannot_enrol_a_device(world, as_person, session):
    web = as_person(world.commissioner)
    assert_problem(web.post(f"{API}/devices", json={"name": "Tablet"}), 403)
    assert session.scalars(select(Device).where(
        Device.person_id == world.commissioner.id)).first() is None


def test_a_refresh_token_gives_a_new_pair_and_works_once(world, as_person, app):
    first = enrol_pair(as_person(world.worker))

    second = refresh(app, first["device_id"], first["refresh_token"])
    assert second.status_code == 200, second.get_data(as_text=True)
    second = second.json
    assert second["device_id"] == first["device_id"]
    assert second["refresh_token"] != first["refresh_token"]
    assert pull_with(app, second["access_token"]).status_code == 200

    third = refresh(app, first["device_id"], second["refresh_token"])
    assert third.status_code == 200, third.get_data(as_text=True)
    third = third.json
    assert len({first["refresh_token"], second["refresh_token"], third["refresh_token"]}) == 3
    assert pull_with(app, third["access_token"]).status_code == 200


def test_a_deactivated_persons_tablet_cannot_refresh_its_tokens(world, as_person, app, session):
    pair = enrol_pair(as_person(world.worker), "Tablet")
    session.get(type(world.worker), world.worker.id).active = False
    session.commit()
    assert_wipe(refresh(app, pair["device_id"], pair["refresh_token"]))
    assert_wipe(pull_with(app, pair["access_token"]))
    session.expire_all()
    device = session.get(Device, uuid.UUID(pair["device_id"]))
    assert device.revoked_at is not None and device.revoked_reason == "person deactivated"


def test_a_spent_refresh_token_presented_again_revokes_the_device(world, as_person, app,
                                                                  session):
    first = enrol_pair(as_person(world.worker))
    second = refresh(app, first["device_id"], first["refresh_token"]).json
    assert pull_with(app, second["access_token"]).status_code == 200

    assert_wipe(refresh(app, first["device_id"], first["refresh_token"]))

    # From then on the device is revoked: every token it holds is refused with "wipe".
    assert_wipe(pull_with(app, second["access_token"]))
    assert_wipe(pull_with(app, first["access_token"]))
    assert_wipe(refresh(app, first["device_id"], second["refresh_token"]))
    tablet = Tablet(app, second)
    assert_wipe(tablet.post_push(tablet.batch([])))
    assert session.scalar(select(Device.revoked_at).where(
        Device.id == uuid.UUID(first["device_id"]))) is not None


def test_an_unknown_refresh_token_is_refused_without_revoking(world, as_person, app):
    pair = enrol_pair(as_person(world.worker))
    other = enrol_pair(as_person(world.colleague))
    assert_refused_without_wipe(refresh(app, pair["device_id"], "not-a-token-we-ever-made"))
    # Another device's refresh token does not work for this one.
    assert_refused_without_wipe(refresh(app, pair["device_id"], other["refresh_token"]))
    assert_refused_without_wipe(refresh(app, str(uuid.uuid4()), pair["refresh_token"]))
    assert pull_with(app, pair["access_token"]).status_code == 200
    assert pull_with(app, other["access_token"]).status_code == 200
    assert refresh(app, pair["device_id"], pair["refresh_token"]).status_code == 200


def test_an_admin_lists_the_organisations_devices_and_revokes_one(world, as_person, app):
    worker_tablet = enrol(app, as_person(world.worker), "Llechen Will")
    colleague_tablet = enrol(app, as_person(world.colleague), "Llechen Cai")
    outsider_tablet = enrol(app, as_person(world.outsider), "Llechen Olaf")
    admin = as_person(world.admin)

    listed = admin.get(f"{API}/devices")
    assert listed.status_code == 200, listed.get_data(as_text=True)
    by_id = {item["id"]: item for item in listed.json["items"]}
    assert {worker_tablet.id, colleague_tablet.id} <= set(by_id)
    assert outsider_tablet.id not in by_id
    assert by_id[worker_tablet.id]["name"] == "Llechen Will"
    assert by_id[worker_tablet.id]["person_id"] == str(world.worker.id)
    assert by_id[worker_tablet.id]["revoked_at"] is None

    revoked = admin.post(f"{API}/devices/{worker_tablet.id}/revoke", json={})
    assert revoked.status_code == 200, revoked.get_data(as_text=True)
    assert revoked.json["id"] == worker_tablet.id and revoked.json["revoked_at"]

    assert_wipe(worker_tablet.get_pull())
    assert_wipe(worker_tablet.post_push(worker_tablet.batch([])))
    assert_wipe(refresh(app, worker_tablet.id, worker_tablet.refresh_token))
    assert colleague_tablet.get_pull().status_code == 200
    relisted = {item["id"]: item for item in admin.get(f"{API}/devices").json["items"]}
    assert relisted[worker_tablet.id]["revoked_at"] is not None
    assert relisted[colleague_tablet.id]["revoked_at"] is None
    # Nobody of another organisation can reach it.
    outsider = as_person(world.outsider)
    assert_problem(outsider.post(f"{API}/devices/{colleague_tablet.id}/revoke", json={}), 404)


def test_a_worker_sees_and_revokes_only_their_own_devices(world, as_person, app):
    web = as_person(world.worker)
    own = enrol(app, web, "Fy llechen")
    colleague_tablet = enrol(app, as_person(world.colleague))

    listed = web.get(f"{API}/devices")
    assert listed.status_code == 200
    assert [item["id"] for item in listed.json["items"]] == [own.id]

    assert_problem(web.post(f"{API}/devices/{colleague_tablet.id}/revoke", json={}), 404)
    assert colleague_tablet.get_pull().status_code == 200

    assert web.post(f"{API}/devices/{own.id}/revoke", json={}).status_code == 200
    assert_wipe(own.get_pull())


def test_an_expired_access_token_is_refused(world, as_person, app):
    tablet = enrol(app, as_person(world.worker))
    secret = app.config["SECRET_KEY"]
    device_id = uuid.UUID(tablet.id)
    expired = issue_access_token(secret, world.worker.id, device_id,
                                 utcnow() - timedelta(minutes=16))
    assert_refused_without_wipe(pull_with(app, expired))
    # One made just now for the same device works: it was the expiry that was refused.
    fresh = issue_access_token(secret, world.worker.id, device_id, utcnow())
    assert pull_with(app, fresh).status_code == 200


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_a_tampered_or_foreign_token_is_refused(world, as_person, app):
    tablet = enrol(app, as_person(world.worker))
    colleague_tablet = enrol(app, as_person(world.colleague))
    token = tablet.access_token
    header, payload, signature = token.split(".")

    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    as_colleague = _b64(claims | {"sub": str(world.colleague.id), "dev": colleague_tablet.id})
    longer = _b64(claims | {"exp": claims["exp"] + 365 * 24 * 3600})
    unsigned = _b64({"alg": "none", "typ": "JWT"})
    secret = app.config["SECRET_KEY"]
    tampered = [
        f"{header}.{payload}.{flipped}",
        f"{header}.{as_colleague}.{signature}",
        f"{header}.{longer}.{signature}",
        f"{unsigned}.{payload}.",
        token[:-10],
        "not-a-token",
        # Signed with another secret.
        issue_access_token("another-secret", world.worker.id, uuid.UUID(tablet.id), utcnow()),
        # Validly signed, but the device is not this person's.
        issue_access_token(secret, world.worker.id, uuid.UUID(colleague_tablet.id), utcnow()),
        # Validly signed, for a device that does not exist.
        issue_access_token(secret, world.worker.id, uuid.uuid4(), utcnow()),
    ]
    for bad in tampered:
        assert_refused_without_wipe(pull_with(app, bad))
    assert pull_with(app, token).status_code == 200
    assert colleague_tablet.get_pull().status_code == 200
