"""The rescue file: a tablet that cannot sync saves its unsent outbox, encrypted with its export
key, and a supervisor or admin uploads it. Its mutations are applied as that device's own push
(same engine, same rules), so a later real push of the same changes answers "duplicate"."""

import base64
import binascii
import json
import uuid
from collections import Counter

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError
from sqlalchemy import false, select
from sqlalchemy.orm import Session

from app.api.resources import contains_unstorable_text
from app.audit.services import record_access
from app.auth.devices import device_export_key
from app.auth.models import Device, Person, Role
from app.auth.policy import in_own_team
from app.core.errors import NotFound, ValidationFailed
from app.syncing import services
from sync import engine
from sync.messages import PushRequestSchema
from sync.protocol import APPLIED, CONFLICT, DUPLICATE, MERGED, REJECTED

FORMAT, VERSION = "adref-rescue", 1
STATUSES = (APPLIED, DUPLICATE, MERGED, CONFLICT, REJECTED)
# The file holds the push body encrypted (16 bytes of tag) and in base64 (4 characters for 3
# bytes), with a few short fields around it.
ENVELOPE_ALLOWANCE = 4096


INVALID = _l("The changes in the file are not valid, so none were imported.")


def _refuse(message) -> ValidationFailed:
    # One field, "file", so that the page's error summary links to the file input.
    return ValidationFailed({"file": [message]})


def not_a_rescue_file() -> ValidationFailed:
    return _refuse(_l("The file is not an Adref rescue file."))


def too_large(max_bytes: int) -> ValidationFailed:
    return _refuse(_l("The file is too large to import. It can be at most %(limit)s bytes.",
                      limit=file_limit(max_bytes)))


def too_many_waiting() -> ValidationFailed:
    return _refuse(TOO_MANY_WAITING)


TOO_MANY_WAITING = _l("Too many changes from this tablet are waiting already. Apply or "
                      "discard them first.")


def file_limit(max_bytes: int) -> int:
    """The largest rescue file whose changes fit in one push of max_bytes."""
    return (max_bytes + 16) * 4 // 3 + 4 + ENVELOPE_ALLOWANCE


def _b64(text) -> bytes:
    """base64url, with or without padding (the contract allows both)."""
    if not isinstance(text, str):
        raise ValueError("not text")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _envelope(raw: bytes) -> tuple[str, bytes, bytes]:
    """The device id (as written: it is the associated data), iv and ciphertext of the outer
    JSON, or not_a_rescue_file."""
    try:
        outer = json.loads(raw.decode("utf-8"))
        if outer.get("format") != FORMAT or outer.get("version") != VERSION:
            raise ValueError("wrong format or version")
        if not isinstance(outer.get("created_at"), str):
            raise ValueError("no created_at")
        device_id = outer["device_id"]
        uuid.UUID(device_id)
        iv, ciphertext = _b64(outer["iv"]), _b64(outer["ciphertext"])
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError, binascii.Error) as error:
        raise not_a_rescue_file() from error
    if len(iv) != 12:
        raise not_a_rescue_file()
    return device_id, iv, ciphertext


def _decrypt(secret_key: str, device_id: str, iv: bytes, ciphertext: bytes) -> bytes:
    key = device_export_key(secret_key, uuid.UUID(device_id))
    try:
        return AESGCM(key).decrypt(iv, ciphertext, device_id.encode("ascii"))
    except InvalidTag as error:
        # A wrong key, a changed byte, or a file of another server: GCM cannot tell them apart.
        raise _refuse(_l("The file cannot be opened. It may have been changed, or it was made "
                         "for another Adref server.")) from error


def push_body(plain: bytes, device_id: uuid.UUID) -> dict:
    invalid = _refuse(INVALID)
    try:
        body = json.loads(plain.decode("utf-8"))
        data = PushRequestSchema().load(body)
    except (ValueError, RecursionError, ValidationError) as error:
        raise invalid from error
    # Text no database can store (a NUL, half a surrogate pair) is refused here as a push would.
    if data["device_id"] != device_id or contains_unstorable_text(body):
        raise invalid
    return data


def open_rescue_file(secret_key: str, raw: bytes, max_bytes: int) -> tuple[uuid.UUID, dict]:
    """(device_id, the loaded push body) of a rescue file; ValidationFailed when it is not one,
    cannot be opened, is too large, or its changes are not a valid push."""
    if len(raw) > file_limit(max_bytes):
        raise too_large(max_bytes)
    written_id, iv, ciphertext = _envelope(raw)
    plain = _decrypt(secret_key, written_id, iv, ciphertext)
    if len(plain) > max_bytes:  # what a push of the same changes would be held to
        raise too_large(max_bytes)
    device_id = uuid.UUID(written_id)
    return device_id, push_body(plain, device_id)


def importable_devices(importer: Person):
    """A SELECT of the devices whose rescue files this person may import: a supervisor their
    team's, an admin their organisation's, anyone else none."""
    stmt = select(Device).where(Device.organisation_id == importer.organisation_id)
    if importer.role == Role.ADMIN:
        return stmt
    if importer.role == Role.SUPERVISOR and importer.team_id is not None:
        team = select(Person.id).where(Person.organisation_id == importer.organisation_id,
                                       in_own_team(Person.team_id, importer))
        return stmt.where(Device.person_id.in_(team))
    return stmt.where(false())


def import_rescue(session: Session, importer: Person, secret_key: str, raw: bytes,
                  max_bytes: int) -> dict:
    """Applies a rescue file's changes as its device's push, by the device's owner (deactivated
    or not), recorded in the audit trail as the importer's doing. A revoked device is allowed:
    a lost or broken tablet is why the file exists. NotFound when the device is not one this
    person may import for, so nothing is told of others' devices."""
    device_id, body = open_rescue_file(secret_key, raw, max_bytes)
    device = session.scalars(importable_devices(importer).where(Device.id == device_id)).first()
    if device is None:
        raise NotFound()
    result = apply_as_device(session, importer, device, body["mutations"])
    record_access(session, importer, "rescue-import", "devices", device.id)
    return result


def apply_as_device(session: Session, importer: Person, device: Device, mutations) -> dict:
    """The device's mutations applied as its owner's push, audited as the importer's doing; the
    summary of what happened to them."""
    owner = session.get(Person, device.person_id)
    try:
        answer = services.push(session, owner, device, mutations, audited_as=importer)
    except engine.NeverProcessed:  # numbered below what the server has taken in, never sent
        raise _refuse(INVALID) from None
    return summary(device, owner, answer["results"])


def summary(device: Device, owner: Person, results: list[dict]) -> dict:
    counts = Counter(result["status"] for result in results)
    return {"device_name": device.name, "owner_name": owner.display_name,
            "counts": {status: counts.get(status, 0) for status in STATUSES},
            "rejected": [{"mutation_id": r["mutation_id"], "errors": r.get("errors", {})}
                         for r in results if r["status"] == REJECTED]}
