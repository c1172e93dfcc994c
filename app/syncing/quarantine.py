"""The quarantine of sealed copies: what a wiped or revoked tablet hands in of its unsent
changes. Nothing here is applied by itself: a supervisor of the tablet's worker (or an admin)
sees each tablet's waiting copies on the rescue page and applies them through the same engine
as a rescue file (each mutation counts once, by its id), or discards them with a reason. Both
are audited with the supervisor as the actor."""

import hmac
import json
import uuid
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit.services import record_access
from app.auth.devices import device_upload_secret
from app.auth.models import Device, Person
from app.core.errors import NotFound, ValidationFailed
from app.core.types import utcnow
from app.syncing import rescue, sealing
from app.syncing.models import SealedCopy

WAITING, APPLIED, DISCARDED = "waiting", "applied", "discarded"
# Copies of one tablet waiting at most: a tablet holds far fewer unsent changes than this, and
# a copy of its upload secret cannot fill the database.
MOST_WAITING = 5000
MOST_REASON = 500
CANNOT_OPEN = _l("These changes cannot be opened: they were not sealed for this Adref server. "
                 "Discard them with a reason.")


# A sealed part in base64url: an ephemeral P-256 point is 87 characters, an IV 16.
_PART = validate.Length(min=1, max=128)


class SealedSchema(Schema):
    epk = fields.String(required=True, validate=_PART)
    iv = fields.String(required=True, validate=_PART)
    ct = fields.String(required=True, validate=validate.Length(min=1))


class SealedItemSchema(Schema):
    mutation_id = fields.Integer(required=True, strict=True,
                                 validate=validate.Range(min=1, max=2**63 - 1))
    sealed = fields.Nested(SealedSchema, required=True)


class FileItemSchema(SealedItemSchema):
    device_id = fields.UUID(required=True)


SEALED_FILE = "adref-sealed"


class SealedFileSchema(Schema):
    """A rescue file of sealed copies, as a tablet saves one (static/app/rescue.js)."""

    format = fields.String(required=True, validate=validate.Equal(SEALED_FILE))
    version = fields.Integer(required=True, strict=True, validate=validate.Equal(1))
    created_at = fields.String(required=True)
    items = fields.List(fields.Nested(FileItemSchema), required=True)


class WrongSecret(Exception):
    """The device is unknown, or the upload secret is not its own (never say which)."""


class TooMany(Exception):
    """The tablet has more copies waiting than the quarantine keeps."""


def receive(session: Session, secret_key: str, device_id: uuid.UUID, secret: str,
            items: list[dict]) -> list[int]:
    """Keeps the sealed copies, each once by its mutation id (a copy handed in again, whose
    answer the tablet never heard, replaces the one still waiting). Returns the mutation ids
    taken, for the tablet to delete its copies of."""
    device = session.get(Device, device_id)
    expected = device_upload_secret(secret_key, device_id)
    if device is None or not hmac.compare_digest(expected.encode(), secret.encode()):
        raise WrongSecret()
    _keep(session, device, items)
    return [item["mutation_id"] for item in items]


def _keep(session: Session, device: Device, items: list[dict]) -> int:
    """Keeps the copies not yet decided on; how many are waiting of them."""
    held = {copy.mutation_id: copy for copy in session.scalars(
        select(SealedCopy).where(SealedCopy.device_id == device.id,
                                 SealedCopy.mutation_id.in_([i["mutation_id"] for i in items])))}
    new = [item for item in items if item["mutation_id"] not in held]
    if _waiting_count(session, device.id) + len(new) > MOST_WAITING:
        raise TooMany()
    for item in items:
        copy = held.get(item["mutation_id"])
        if copy is None:
            session.add(SealedCopy(organisation_id=device.organisation_id, device_id=device.id,
                                   mutation_id=item["mutation_id"], sealed=item["sealed"],
                                   state=WAITING))
        elif copy.state == WAITING:
            copy.sealed, copy.received_at = item["sealed"], utcnow()
    return sum(1 for item in items if item["mutation_id"] not in held
               or held[item["mutation_id"]].state == WAITING)


def sealed_file(raw: bytes) -> dict | None:
    """The loaded file when it is a file of sealed copies, else None (perhaps an older tablet's
    rescue file: rescue.py opens those)."""
    try:
        outer = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):
        return None
    if not isinstance(outer, dict) or outer.get("format") != SEALED_FILE:
        return None
    try:
        return SealedFileSchema().load(outer)
    except ValidationError as error:
        raise rescue.not_a_rescue_file() from error


def import_file(session: Session, importer: Person, loaded: dict) -> int:
    """Puts a rescue file's sealed copies in quarantine, as their tablet would hand them in
    (the importer then applies or discards them); how many of them wait (those decided on
    already are not kept again). NotFound when one is of a device this person may not import
    for."""
    by_device: dict[uuid.UUID, list[dict]] = {}
    for item in loaded["items"]:
        by_device.setdefault(item["device_id"], []).append(item)
    waiting_now = 0
    for device_id, items in by_device.items():
        device = session.scalars(rescue.importable_devices(importer)
                                 .where(Device.id == device_id)).first()
        if device is None:
            raise NotFound()
        try:
            waiting_now += _keep(session, device, items)
        except TooMany as error:
            raise rescue.too_many_waiting() from error
        record_access(session, importer, "sealed-import", "devices", device.id)
    return waiting_now


def _waiting_count(session: Session, device_id: uuid.UUID) -> int:
    return session.scalar(select(func.count()).select_from(SealedCopy).where(
        SealedCopy.device_id == device_id, SealedCopy.state == WAITING))


@dataclass
class Waiting:
    """One tablet's copies waiting: its mutations once opened (None when they cannot be)."""

    device: Device
    owner: Person
    received_at: datetime
    count: int
    mutations: list[dict] | None


def _copies(session: Session, reviewer: Person, device_id=None, lock=False):
    devices = rescue.importable_devices(reviewer).with_only_columns(Device.id)
    stmt = select(SealedCopy).where(SealedCopy.state == WAITING,
                                    SealedCopy.organisation_id == reviewer.organisation_id,
                                    SealedCopy.device_id.in_(devices))
    if device_id is not None:
        stmt = stmt.where(SealedCopy.device_id == device_id)
    stmt = stmt.order_by(SealedCopy.device_id, SealedCopy.mutation_id)
    return session.scalars(stmt.with_for_update() if lock else stmt).all()


def waiting_counts(session: Session, reviewer: Person) -> dict[uuid.UUID, int]:
    """How many sealed copies wait for each tablet whose copies this person may decide on,
    counted without opening any (nothing of a child is read)."""
    devices = rescue.importable_devices(reviewer).with_only_columns(Device.id)
    return dict(session.execute(
        select(SealedCopy.device_id, func.count()).where(
            SealedCopy.state == WAITING, SealedCopy.organisation_id == reviewer.organisation_id,
            SealedCopy.device_id.in_(devices)).group_by(SealedCopy.device_id)).all())


def _opened(instance_path: str, device: Device, copies: list[SealedCopy]) -> list[dict] | None:
    try:
        return [sealing.open_sealed(instance_path, copy.sealed, device.organisation_id, device.id)
                for copy in copies]
    except sealing.CannotOpen:
        return None


def waiting(session: Session, reviewer: Person, instance_path: str) -> list[Waiting]:
    """Each tablet whose copies wait, of the workers this person may import for, newest first
    (each one's reading audited)."""
    by_device: dict[uuid.UUID, list[SealedCopy]] = {}
    for copy in _copies(session, reviewer):
        by_device.setdefault(copy.device_id, []).append(copy)
    found = []
    for device_id, copies in by_device.items():
        device = session.get(Device, device_id)
        found.append(Waiting(device, session.get(Person, device.person_id),
                             max(c.received_at for c in copies), len(copies),
                             _opened(instance_path, device, copies)))
        # Opened to show which children they are about: a read of their data, in the trail.
        record_access(session, reviewer, "sealed-read", "devices", device.id)
    return sorted(found, key=lambda w: w.received_at, reverse=True)


def _decided(session: Session, reviewer: Person, device_id: uuid.UUID) -> tuple:
    """The tablet and its waiting copies, locked so that two supervisors cannot both decide."""
    copies = _copies(session, reviewer, device_id, lock=True)
    if not copies:
        raise NotFound()
    return session.get(Device, device_id), copies


def _close(copies: list[SealedCopy], reviewer: Person, state: str, reason=None) -> None:
    for copy in copies:
        copy.state, copy.decided_at, copy.decided_by_id = state, utcnow(), reviewer.id
        copy.reason = reason


def apply(session: Session, reviewer: Person, instance_path: str, device_id: uuid.UUID) -> dict:
    """Applies a tablet's waiting copies as its own push (oldest first), by the supervisor."""
    device, copies = _decided(session, reviewer, device_id)
    mutations = _opened(instance_path, device, copies)
    if mutations is None:
        raise ValidationFailed({"sealed": [CANNOT_OPEN]})
    body = json.dumps({"protocol": 1, "device_id": str(device.id), "mutations": mutations})
    loaded = rescue.push_body(body.encode("utf-8"), device.id)
    result = rescue.apply_as_device(session, reviewer, device, loaded["mutations"])
    _close(copies, reviewer, APPLIED)
    record_access(session, reviewer, "sealed-apply", "devices", device.id)
    return result


def discard(session: Session, reviewer: Person, device_id: uuid.UUID, reason: str) -> int:
    """Discards a tablet's waiting copies; the reason is kept with them."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": [_l("Say why these changes are discarded.")]})
    if len(reason) > MOST_REASON:
        raise ValidationFailed({"reason": [_l("Write at most %(limit)s characters.",
                                              limit=MOST_REASON)]})
    device, copies = _decided(session, reviewer, device_id)
    _close(copies, reviewer, DISCARDED, reason)
    record_access(session, reviewer, "sealed-discard", "devices", device.id)
    return len(copies)
