"""Enrolling tablets, rotating their refresh tokens, revoking them, and telling who is calling.

A device's refresh token is spent on each use. Presenting a spent one again means the token was
copied, so the device is revoked: its next call is told to wipe its local data.
"""

import base64
import enum
import uuid
from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.audit.services import record_access
from app.auth.models import Device, Person, RefreshToken, Role
from app.auth.policy import may_work_on_cases
from app.auth.tokens import (
    ACCESS_TOKEN_LIFETIME,
    InvalidToken,
    issue_access_token,
    new_refresh_token,
    read_access_token,
    token_digest,
)
from app.core.errors import Conflict, Forbidden, NotFound


def device_export_key(secret_key: str, device_id: uuid.UUID | str) -> bytes:
    """The AES-256 key a device encrypts its rescue file with. Derived, not stored, so that the
    server can open any of its devices' files, and only this server can (another SECRET_KEY
    derives another key)."""
    return _derived(secret_key, "adref-rescue-v1:", device_id)


def device_upload_secret(secret_key: str, device_id: uuid.UUID | str) -> str:
    """What a device shows to hand in its sealed copies, even revoked or wiped: the tablet keeps
    it beside them, outside the wipe. Derived, like the export key, so nothing is stored."""
    return _b64(_derived(secret_key, "adref-sealed-upload-v1:", device_id))


def _derived(secret_key: str, purpose: str, device_id) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=(purpose + str(device_id)).encode())
    return hkdf.derive(secret_key.encode("utf-8"))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class TokenPair:
    device: Device
    access_token: str
    refresh_token: str
    export_key: bytes
    upload_secret: str

    def as_dict(self) -> dict:
        return {"device_id": str(self.device.id), "access_token": self.access_token,
                "token_type": "Bearer",
                "expires_in": int(ACCESS_TOKEN_LIFETIME.total_seconds()),
                "refresh_token": self.refresh_token,
                "export_key": _b64(self.export_key), "upload_secret": self.upload_secret}


class Refusal(enum.StrEnum):
    UNKNOWN = "unknown"
    REVOKED = "revoked"
    REUSED = "reused"
    SIGNED_OUT = "signed out"  # its person signed out everywhere: sign in again, erase nothing


def _issue(session: Session, secret_key: str, device: Device, now: datetime) -> TokenPair:
    refresh = new_refresh_token()
    session.add(RefreshToken(token_hash=token_digest(refresh), device_id=device.id, issued_at=now))
    access = issue_access_token(secret_key, device.person_id, device.id, now)
    return TokenPair(device, access, refresh, device_export_key(secret_key, device.id),
                     device_upload_secret(secret_key, device.id))


def enrol_device(session: Session, secret_key: str, person: Person, name: str,
                 now: datetime) -> TokenPair:
    if not may_work_on_cases(person):
        raise Forbidden()
    device = Device(organisation_id=person.organisation_id, person_id=person.id, name=name,
                    last_seen_at=now)
    session.add(device)
    session.flush()
    record_access(session, person, "enrol", "devices", device.id)
    return _issue(session, secret_key, device, now)


# Worded for the tablet's worker, who sees it when their tablet asks for new tokens.
REVOKED_CANNOT_RENEW = _l("This tablet was removed from Adref, so it cannot be signed in again. "
                          "Set it up again.")


def renew_device(session: Session, secret_key: str, person: Person, device_id: uuid.UUID,
                 now: datetime) -> TokenPair:
    """A new token pair for the signed-in person's own tablet, as after enrolment: how a tablet
    signed out everywhere (or one whose tokens lapsed) is signed in again, its data and unsent
    changes kept. Any refresh token still unspent is spent, so only the new one works. Another
    person's device is not theirs to see; a revoked one stays revoked."""
    device = session.scalars(select(Device).where(
        Device.id == device_id, Device.person_id == person.id,
        Device.organisation_id == person.organisation_id).with_for_update()).first()
    if device is None:
        raise NotFound()
    if device.revoked_at is not None:
        raise Conflict(REVOKED_CANNOT_RENEW)
    session.execute(update(RefreshToken).where(
        RefreshToken.device_id == device.id, RefreshToken.spent_at.is_(None)).values(spent_at=now))
    device.signed_out_at = None
    device.last_seen_at = now
    record_access(session, person, "renew", "devices", device.id)
    return _issue(session, secret_key, device, now)


def revoke(device: Device, reason: str, now: datetime) -> None:
    if device.revoked_at is None:
        device.revoked_at = now
        device.revoked_reason = reason


def rotate_refresh_token(session: Session, secret_key: str, device_id: uuid.UUID,
                         refresh_token: str, now: datetime) -> TokenPair | Refusal:
    """A new pair for a valid refresh token. A refusal is returned, not raised, because a reused
    token revokes the device, and that must be saved although the caller is refused."""
    # Locked, so that two uses of one token at once cannot both succeed.
    found = session.get(RefreshToken, token_digest(refresh_token), with_for_update=True)
    device = session.get(Device, device_id)
    if found is None or device is None or found.device_id != device.id:
        return Refusal.UNKNOWN
    if device.revoked_at is not None:
        return Refusal.REVOKED
    owner = session.get(Person, device.person_id)
    if not owner.active:
        # Its person was deactivated: the tablet is told to erase its data, as when revoked.
        revoke(device, "person deactivated", now)
        record_access(session, owner, "revoke", "devices", device.id, detail="person-deactivated")
        return Refusal.REVOKED
    if device.signed_out_at is not None:
        # Before the check for a spent token: signing out spent them all, and that is no copy.
        return Refusal.SIGNED_OUT
    if found.spent_at is not None:
        revoke(device, "refresh token reused", now)
        record_access(session, owner, "revoke", "devices", device.id, detail="refresh-token-reused")
        return Refusal.REUSED
    found.spent_at = now
    device.last_seen_at = now
    record_access(session, owner, "refresh", "devices", device.id)
    return _issue(session, secret_key, device, now)


def caller_of_access_token(session: Session, secret_key: str, token: str,
                           now: datetime) -> tuple[Person, Device] | Refusal:
    try:
        person_id, device_id = read_access_token(secret_key, token, now)
    except InvalidToken:
        return Refusal.UNKNOWN
    # The device and its person in one query: every sync call starts here.
    found = session.execute(select(Device, Person).join(Person, Person.id == Device.person_id)
                            .where(Device.id == device_id, Person.id == person_id)).first()
    if found is None:
        return Refusal.UNKNOWN
    device, person = found
    if device.revoked_at is not None or not person.active:
        return Refusal.REVOKED
    if device.signed_out_at is not None:
        return Refusal.UNKNOWN  # the tablet tries its refresh token, and is told to sign in
    return person, device


def visible_devices(person: Person):
    stmt = select(Device).where(Device.organisation_id == person.organisation_id)
    return stmt if person.role == Role.ADMIN else stmt.where(Device.person_id == person.id)


def revoke_device(session: Session, person: Person, device_id: uuid.UUID, now: datetime) -> Device:
    """An admin revokes any device of the organisation; anyone may revoke their own."""
    device = session.scalars(visible_devices(person).where(Device.id == device_id)).first()
    if device is None:
        raise NotFound()
    revoke(device, "revoked by a person", now)
    record_access(session, person, "revoke", "devices", device.id)
    return device
