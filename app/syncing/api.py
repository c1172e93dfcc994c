"""JSON routes for sync: push, pull, reference data, conflicts and rejections, and sealed copies
(sync/PROTOCOL.md is the contract). A device enrols and refreshes its tokens through auth's."""

import json
import uuid
from datetime import timedelta

import orjson
from flask import current_app, g, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge, UnsupportedMediaType

from app.api.problems import problem
from app.api.resources import (
    hold_writes_for_request,
    in_transaction,
    json_body,
    paged,
    refuse_unstorable_text,
    takes_body,
)
from app.audit.services import record_access
from app.auth.models import Device
from app.core.errors import Forbidden, field_errors
from app.core.schemas import PageQuery
from app.core.types import utcnow
from app.extensions import db
from app.i18n import current_language
from app.syncing import contact, quarantine, retiring, services
from sync import engine
from sync.messages import (
    PullQuerySchema,
    PushRequestSchema,
    decode_push_request,
    load_push_request,
)
from sync.protocol import PROTOCOL_VERSION
from sync.reporting import read_report


class ResolveSchema(Schema):
    value = fields.Raw(required=True, allow_none=True)


class RejectionsQuerySchema(PageQuery):
    class Meta:
        unknown = RAISE

    # One device's refusals: a tablet asks for its own, to show them in the language it is in now
    # (those from the oldest it still holds on).
    device_id = fields.UUID(load_default=None)
    from_mutation_id = fields.Integer(load_default=None,
                                      validate=validate.Range(min=1, max=2**63 - 1))
    lang = fields.String(load_default=None)  # the reader's language, read by app.i18n

    @validates_schema
    def one_device_counts(self, data, **kwargs):
        # Each device counts its own mutations: a number is one device's alone.
        if data.get("from_mutation_id") is not None and data.get("device_id") is None:
            raise ValidationError(str(_l("Name the device whose mutations you mean.")),
                                  "from_mutation_id")


def _device_caller() -> Device:
    """Sync is for enrolled devices: the caller must present a device's access token."""
    device = getattr(g, "device", None)
    if device is None:
        raise Forbidden()
    return device


def _noted(device: Device, response):
    """The response, once what the device reports of itself with the call (its unsent changes,
    its app version) is kept: last, so that the device's row is held only at the very end."""
    contact.note_report(db.session, device, read_report(request.headers), utcnow())
    return response


def _too_large(limit: int):
    return problem(413, _("The body may be at most %(limit)s bytes.", limit=limit),
                   max_bytes=limit)


def _push_bytes():
    """The push body, within the sync byte limit whether or not the client said its length
    (a chunked body has none): over it is 413 with the limit, so the device splits its batch."""
    limit = current_app.config["SYNC_MAX_BYTES"]
    if request.content_length is not None and request.content_length > limit:
        return None, _too_large(limit)
    if request.mimetype != "application/json":
        raise UnsupportedMediaType()
    request.max_content_length = limit  # this route has its own, larger limit
    # Without a length, werkzeug's guarded stream stops quietly at the limit; read one byte
    # more from the server's own (terminated) stream to tell "at" from "over".
    # A body of a known length is read at that length: werkzeug's stream first makes (and
    # zeroes) a buffer of the size asked for, and 8 MB of it cost a push of 500 interviews
    # about a millisecond and a half.
    known = request.content_length is not None
    stream = request.stream if known else request.input_stream
    try:
        raw = stream.read(request.content_length if known else limit + 1)
    except RequestEntityTooLarge:
        return None, _too_large(limit)
    if len(raw) > limit:
        return None, _too_large(limit)
    return raw, None


def _push_request(raw: bytes):
    """The push loaded and None, or None and a 413 for too many mutations. The usual push is
    read and checked in one pass (decode_push_request). Whatever that cannot vouch for, and any
    text holding a NUL (which no database stores), is parsed and loaded by the schema, which
    words what is wrong."""
    data = decode_push_request(raw) if b"\\u0000" not in raw else None
    if data is not None:
        too_many = _too_many(len(data["mutations"]))
        return (None, too_many) if too_many else (data, None)
    try:
        body, unsure = _parse_json(raw)
    except (ValueError, RecursionError) as error:  # not JSON, or nested beyond reading
        raise BadRequest() from error
    if unsure:
        refuse_unstorable_text(body)
    if isinstance(body, dict) and isinstance(body.get("mutations"), list):
        too_many = _too_many(len(body["mutations"]))
        if too_many:
            return None, too_many
    return load_push_request(body), None


def _too_many(count: int):
    most = current_app.config["SYNC_MAX_MUTATIONS"]
    if count > most:
        return problem(413, _("A batch may hold at most %(limit)s mutations.", limit=most),
                       max_mutations=most)
    return None


def _parse_json(raw: bytes):
    """The body, and whether its text may hold what no database can store. orjson refuses
    invalid UTF-8 and half surrogate pairs: what it reads can hold no such text, and a NUL only
    as the escape \\u0000, so walking every string of the batch is needed only then. What
    orjson will not read (JSON in UTF-16 or UTF-32, NaN, a lone surrogate) json reads or
    refuses as before, and its text is walked."""
    try:
        return orjson.loads(raw), b"\\u0000" in raw
    except orjson.JSONDecodeError:
        return json.loads(raw), True


@in_transaction
@takes_body(PushRequestSchema)
def push():
    """Apply a batch of a device's mutations, in order, once each."""
    device = _device_caller()
    raw, too_large = _push_bytes()
    if too_large:
        return too_large
    return _noted(device, _applied(device, raw))


def _applied(device: Device, raw: bytes):
    """The answer to a push of this body, from this device."""
    data, too_many = _push_request(raw)
    if too_many:
        return too_many
    if data["device_id"] != device.id:
        raise Forbidden()
    try:
        return services.push(db.session, g.person, device, data["mutations"])
    except engine.NeverProcessed as refused:  # raised before anything was written
        return _never_processed(refused)


NEVER_PROCESSED = _l("This mutation was never processed, but its id is lower than one that was. "
                     "Send it again with an id higher than any sent before.")


def _never_processed(refused: engine.NeverProcessed):
    """422 naming each mutation the device numbered below its last processed one without it
    ever being processed, with that last id: the device can number them again above it."""
    errors = {"mutations": {place: {"mutation_id": [NEVER_PROCESSED]}
                            for place in refused.positions}}
    return problem(422, _("Check the fields listed."), errors=field_errors(errors),
                   last_mutation_id=refused.last_mutation_id)


@in_transaction
def pull():
    """Changes and removals after a cursor, for what this person may see."""
    device = _device_caller()
    args = PullQuerySchema().load(request.args.to_dict())
    try:
        page = services.pull(db.session, g.person, args["cursor"], args["limit"],
                             finished_before=_tablets_keep_since(),
                             wait_seconds=current_app.config["WRITE_WAIT_SECONDS"],
                             settled=retiring.continues_a_settled_pull(
                                 device, args["cursor"], utcnow()))
        record_access(db.session, g.person, "pull", "sync", None)
        # Kept with what the device reports, at the very end (its row held only then).
        retiring.remember_continuation(device, page["cursor"], page["more"], utcnow())
        return _noted(device, page)
    except engine.FullResync as reason:
        again = problem(409, _("Pull everything again from the start."), full_resync=True,
                        reason=str(reason), protocol=PROTOCOL_VERSION)
        return _noted(device, again)


def _tablets_keep_since():
    """A case finished before this leaves the tablets (TABLET_KEEPS_DAYS)."""
    return utcnow() - timedelta(days=current_app.config["TABLET_KEEPS_DAYS"])


@in_transaction
def reference():
    """Code lists, areas, questionnaires and interface catalogs, each with a version."""
    return {"protocol": PROTOCOL_VERSION,
            "reference": services.reference_data(db.session, g.person)}


@in_transaction
def list_conflicts():
    """Open conflicts on records you may see."""
    return {"items": [services.conflict_as_dict(c)
                      for c in services.visible_conflicts(db.session, g.person)]}


@in_transaction
@takes_body(ResolveSchema)
def resolve_conflict(conflict_id: uuid.UUID):
    """Choose the value of a field in conflict; the choice syncs to every device."""
    data = ResolveSchema().load(json_body())
    hold_writes_for_request()  # before reading the conflict and its record
    resolved = services.resolve_conflict(db.session, g.person, conflict_id, data["value"])
    record_access(db.session, g.person, "resolve", resolved["collection"],
                  uuid.UUID(resolved["id"]))
    return resolved


@in_transaction
def list_rejections():
    """Mutations the server refused, kept so that they can be fixed."""
    args = RejectionsQuerySchema().load(request.args.to_dict())
    language = current_language()
    found = services.visible_rejections(g.person, args["device_id"], args["from_mutation_id"])
    items, about_page = paged(found, services.REJECTIONS_ORDER, args["page"], args["per_page"],
                              ".sync_rejections")
    return {"items": [services.rejection_as_dict(r, language) for r in items], **about_page}


class SealedUploadSchema(Schema):
    secret = fields.String(required=True, validate=validate.Length(min=1, max=100))
    items = fields.List(fields.Nested(quarantine.SealedItemSchema), required=True)


@in_transaction
@takes_body(SealedUploadSchema)
def hand_in_sealed(device_id: uuid.UUID):
    """Keep a tablet's sealed copies in quarantine, for a supervisor to apply or discard."""
    # Not by the device's tokens, which a wipe erases and a revocation refuses, but by the
    # device id and its upload secret (derived from the server's key, nothing stored), which the
    # tablet keeps beside its sealed copies, outside the wipe. Whoever copied the tablet's
    # storage could hand in copies in its name, and gains nothing: they only wait in quarantine
    # for a supervisor, count once by mutation id, and are held to a push's size and number and
    # to quarantine.MOST_WAITING per tablet.
    config = current_app.config
    # As large as a push may be (a push's changes, sealed, are about as large).
    request.max_content_length = config["SYNC_MAX_BYTES"]
    data = SealedUploadSchema().load(json_body())
    most = config["SYNC_MAX_MUTATIONS"]
    if len(data["items"]) > most:
        return problem(413, _("A batch may hold at most %(limit)s mutations.", limit=most),
                       max_mutations=most)
    try:
        taken = quarantine.receive(db.session, config["SECRET_KEY"], device_id, data["secret"],
                                   data["items"])
    except quarantine.WrongSecret:
        return problem(403, _("This device cannot hand in changes with this secret."))
    except quarantine.TooMany:
        return problem(413, _("Too many changes from this tablet are waiting already. Ask your "
                              "supervisor to look at them first."))
    return {"taken": taken}


EXTRA_ROUTES = [
    ("/sync/push", "sync_push", push, ["POST"], None),
    ("/sync/pull", "sync_pull", pull, ["GET"], None),
    ("/sync/reference", "sync_reference", reference, ["GET"], None),
    ("/sync/conflicts", "sync_conflicts", list_conflicts, ["GET"], None),
    ("/sync/conflicts/<uuid:conflict_id>/resolve", "sync_resolve", resolve_conflict, ["POST"],
     None),
    ("/sync/rejections", "sync_rejections", list_rejections, ["GET"], None),
    ("/sync/devices/<uuid:device_id>/sealed", "sync_sealed", hand_in_sealed, ["POST"], None),
]
PUBLIC_ENDPOINTS = {"api.sync_sealed"}
