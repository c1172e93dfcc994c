"""JSON routes for people (who am I, and the colleagues I may see) and for devices (enrol,
refresh tokens, renew once signed in again, list, revoke); and who a device's bearer token names."""

import uuid

from flask import current_app, g
from flask_babel import gettext as _
from marshmallow import Schema, fields, validate

from app.api.problems import problem
from app.api.resources import Resource, creates, in_transaction, json_body, takes_body
from app.auth import devices, schemas, services
from app.auth.models import Device, Person
from app.core.errors import Forbidden
from app.core.types import utcnow
from app.extensions import db

RESOURCES = [
    Resource(
        name="people",
        model=Person,
        schema=schemas.PersonSchema,
        query_schema=schemas.PeopleQuery,
        visible=services.visible_people,
        update=services.update_person,
        audited=False,
        order_by=[Person.display_name],
        description="People in your organisation that your role lets you see.",
    ),
]


@in_transaction
def me():
    """The signed-in person."""
    return schemas.PersonSchema().dump(g.person)


class EnrolSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))


class TokenRequestSchema(Schema):
    device_id = fields.UUID(required=True)
    refresh_token = fields.String(required=True, validate=validate.Length(min=10, max=200))


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


def _wipe_problem():
    return problem(401, _("This device has been revoked. Its data must be erased."), wipe=True)


@in_transaction
@creates
@takes_body(EnrolSchema)
def enrol():
    """Enrol this device for the signed-in person; returns its first token pair."""
    if g.device is not None:  # enrolment needs a person signed in, not a device's token
        raise Forbidden()
    data = EnrolSchema().load(json_body())
    pair = devices.enrol_device(db.session, _secret(), g.person, data["name"], utcnow())
    return pair.as_dict(), 201


@takes_body(TokenRequestSchema)
def refresh_tokens():
    """A new token pair for a device's refresh token (each refresh token works once)."""
    data = TokenRequestSchema().load(json_body())
    outcome = devices.rotate_refresh_token(db.session, _secret(), data["device_id"],
                                           data["refresh_token"], utcnow())
    db.session.commit()  # a reuse revokes the device even though the caller is refused
    if outcome is devices.Refusal.UNKNOWN:
        return problem(401, _("This refresh token is not valid."))
    if outcome is devices.Refusal.SIGNED_OUT:
        # Signed out everywhere: the tablet keeps its data and unsent work until they sign in.
        return problem(401, _("You have been signed out. Sign in again on this tablet."),
                       sign_in=True)
    if isinstance(outcome, devices.Refusal):
        return _wipe_problem()
    return outcome.as_dict()


@in_transaction
def renew(device_id: uuid.UUID):
    """A new token pair for your own tablet (signed out everywhere, say); its data is kept."""
    if g.device is not None:  # like enrolling: a person signed in, not a device's token
        raise Forbidden()
    pair = devices.renew_device(db.session, _secret(), g.person, device_id, utcnow())
    return pair.as_dict()


@in_transaction
def list_devices():
    """Devices of the organisation (an admin) or your own."""
    found = db.session.scalars(devices.visible_devices(g.person).order_by(Device.created_at))
    return {"items": [{"id": str(d.id), "name": d.name, "person_id": str(d.person_id),
                       "created_at": d.created_at.isoformat(),
                       "last_seen_at": d.last_seen_at.isoformat() if d.last_seen_at else None,
                       "revoked_at": d.revoked_at.isoformat() if d.revoked_at else None}
                      for d in found]}


@in_transaction
def revoke_device(device_id: uuid.UUID):
    """Revoke a device: its next call is told to erase its data."""
    device = devices.revoke_device(db.session, g.person, device_id, utcnow())
    return {"id": str(device.id), "revoked_at": device.revoked_at.isoformat()}


@in_transaction
def unlock_person(person_id: uuid.UUID):
    """An admin unlocks an account of their organisation after too many wrong passwords."""
    person = services.unlock_person(db.session, _secret(), g.person, person_id)
    return {"id": str(person.id), "unlocked": True}


EXTRA_ROUTES = [
    ("/people/<uuid:person_id>/unlock", "people_unlock", unlock_person, ["POST"], None),
    ("/me", "me", me, ["GET"], schemas.PersonSchema),
    ("/devices", "devices_enrol", enrol, ["POST"], None),
    ("/devices", "devices_list", list_devices, ["GET"], None),
    ("/devices/token", "devices_token", refresh_tokens, ["POST"], None),
    ("/devices/<uuid:device_id>/renew", "devices_renew", renew, ["POST"], None),
    ("/devices/<uuid:device_id>/revoke", "devices_revoke", revoke_device, ["POST"], None),
]
PUBLIC_ENDPOINTS = {"api.devices_token"}


def device_token_caller(token: str):
    """A device's access token names the person and the device; a revoked device is told to
    erase its data. (The API calls this for every request that brings a bearer token.)"""
    outcome = devices.caller_of_access_token(db.session, _secret(), token, utcnow())
    if outcome is devices.Refusal.REVOKED:
        return _wipe_problem()
    if isinstance(outcome, devices.Refusal):
        return problem(401, _("The access token is not valid or has expired."))
    g.person, g.device = outcome
    return None
