"""Push, pull, conflicts and reference data, for the HTTP layer to call."""

import hashlib
import json
import uuid
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import Device, Person, Role
from app.auth.policy import in_own_team
from app.core.dumping import quick_dumper
from app.core.errors import NotFound, ValidationFailed
from app.core.models import take_revisions
from app.core.types import utcnow
from app.i18n import pwa_catalog
from app.syncing import retiring, scope
from app.syncing.collections import COLLECTIONS, REFERENCE_PARTS
from app.syncing.keeping import result_as_json, to_json
from app.syncing.models import SyncConflict, SyncRejection
from app.syncing.store import SqlStore
from sync import engine
from sync.protocol import DELETE, DELETED, PROTOCOL_VERSION, UPSERT, Mutation

# A delete in conflict is decided with a boolean: true deletes the record, false keeps it.
DELETE_OR_KEEP = _l("This must be true, to delete the record, or false, to keep it.")


def push(session: Session, person: Person, device: Device, mutations,
         audited_as: Person | None = None) -> dict:
    """Applies a device's mutations as `person`'s; the audit trail names `audited_as` as the
    actor when given (whoever brought the changes in for them)."""
    results = engine.push(SqlStore(session, audited_as), person, str(device.id), mutations)
    return {"protocol": PROTOCOL_VERSION, "device_id": str(device.id),
            "last_mutation_id": max([device.last_mutation_id] +
                                    [m.mutation_id for m in mutations]),
            "results": [result_as_json(r) for r in results]}


def pull(session: Session, person: Person, cursor: str | None, limit: int,
         finished_before: datetime | None = None, wait_seconds: int = 10,
         settled: bool = False) -> dict:
    """A page of changes; engine.FullResync when the cursor cannot be trusted. The cases
    finished before `finished_before` leave the person's tablets (retiring.py), settled
    before the page is read unless this page continues a pull settled already."""
    withheld = None
    if finished_before is not None:
        if not settled:
            retiring.settle(session, person, finished_before, wait_seconds)
        withheld = retiring.finished_records(finished_before)
    store = SqlStore(session, withheld=withheld)
    page, new_cursor = engine.pull(store, person, cursor, limit)
    answer = {
        "protocol": PROTOCOL_VERSION,
        "changes": [{"collection": c.collection, "id": str(c.id), "rev": c.rev,
                     "record": c.record} for c in page.changes],
        "removals": [{"collection": r.collection, "id": str(r.id), "rev": r.rev}
                     for r in page.removals],
        "cursor": new_cursor,
        "more": page.more,
        "waiting": page.waiting,
    }
    if not page.more:
        # Only the last page names the reference data's versions: a tablet reads them once
        # caught up, and making them (every part dumped and digested) took about 21 ms a page,
        # a tenth of a 7,000-record first sync's server time.
        answer["reference"] = {name: part["version"]
                               for name, part in reference_data(session, person).items()}
    return answer


def _versioned(data) -> dict:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return {"version": hashlib.sha256(canonical.encode()).hexdigest()[:16], "data": data}


def reference_data(session: Session, person: Person) -> dict:
    """Everything a device needs besides the records, each part with a version of its content:
    each capability's parts (its sync.py's REFERENCE), and the interface catalogs."""
    parts = {part.name: _versioned(_dumped(part.schema, part.rows(session, person)))
             for part in REFERENCE_PARTS.values()}
    catalogs = {language: pwa_catalog(language)["version"] for language in ("cy", "en")}
    return {**parts, "catalogs": {"version": _versioned(catalogs)["version"]}}


def _dumped(schema, rows) -> list[dict]:
    # Every pull names the reference data's versions, each a digest of its dump.
    dump = quick_dumper(schema)
    return [dump(row) for row in rows]


def visible_conflicts(session: Session, person: Person):
    """Open conflicts on records this person may see."""
    found = []
    for spec in COLLECTIONS.values():
        visible_ids = spec.visible(person).with_only_columns(spec.model.id)
        found += session.scalars(select(SyncConflict).where(
            SyncConflict.collection == spec.name, SyncConflict.resolved_at.is_(None),
            SyncConflict.record_id.in_(visible_ids)).order_by(SyncConflict.created_at)).all()
    return found


def resolve_conflict(session: Session, person: Person, conflict_id: uuid.UUID, value) -> dict:
    """Sets the field to the chosen value as a change of its own (a new revision that every
    device pulls) and closes this conflict. Only this one: another open conflict on the field
    holds another device's value, on which no one has decided yet. (A delete in conflict is
    decided by _resolve_deletion.)"""
    conflict = next((c for c in visible_conflicts(session, person) if c.id == conflict_id), None)
    if conflict is None:
        raise NotFound()
    if conflict.field == DELETED:
        return _resolve_deletion(session, person, conflict, value)
    spec = COLLECTIONS[conflict.collection]
    parsed = _checked_resolution(session, person, conflict, UPSERT, {conflict.field: value})
    record = session.get(spec.model, conflict.record_id)
    rev_before = record.rev
    scopes_before = spec.scopes(record) if spec.scopes else None
    setattr(record, conflict.field, parsed[conflict.field])
    session.flush()
    if scopes_before is not None:
        scope.record_moved(session, spec.name, record.id, scopes_before, spec.scopes(record))
    if record.rev == rev_before:
        _stamp_decision(session, record, conflict.field)
    _close(person, conflict, to_json(parsed[conflict.field]))
    session.flush()
    return _resolved(spec, record)


def _resolve_deletion(session: Session, person: Person, conflict: SyncConflict, value) -> dict:
    """A device deleted the record while another source changed it. true deletes it, as a
    device's delete would, and closes every open conflict on it (nothing is left to decide);
    false keeps it as it is, and closes this conflict."""
    if not isinstance(value, bool):
        raise ValidationFailed({"value": [DELETE_OR_KEEP]})
    spec = COLLECTIONS[conflict.collection]
    record = session.get(spec.model, conflict.record_id)
    if not value:
        _stamp_decision(session, record, DELETED)
        _close(person, conflict, False)
        session.flush()
        return _resolved(spec, record)
    _checked_resolution(session, person, conflict, DELETE, {})
    scope.remove_record(session, spec.name, record.id, person.id, utcnow())
    return {"collection": spec.name, "id": str(record.id),
            "rev": SqlStore(session).current_revision(), "record": None, "deleted": True}


def _stamp_decision(session: Session, record, field: str) -> None:
    """A decision that changes no column is still one every device must hear of (their copies
    carry the conflict mark): it gets a revision, as the server's change of the field. Kept
    under DELETED, it makes a later delete from a base before it a conflict again."""
    record.rev = take_revisions(session, 1)[0]
    record.field_sources = {**record.field_sources, field: [record.rev, None]}


def _close(person: Person, conflict: SyncConflict, value) -> None:
    conflict.resolved_at, conflict.resolved_by_id = utcnow(), person.id
    conflict.resolved_value = value


def _resolved(spec, record) -> dict:
    return {"collection": spec.name, "id": str(record.id), "rev": record.rev,
            "record": spec.schema.dump(record)}


def _checked_resolution(session: Session, person: Person, conflict: SyncConflict, op: str,
                        fields: dict) -> dict:
    """The change a resolution makes, judged by the same rules as a device's (who may set the
    field or delete the record, codes, areas, an interview's status and lock), so resolving is
    no way round them; returns its fields as loaded."""
    store = SqlStore(session)
    key = (conflict.collection, conflict.record_id)
    current = store.load(person, [key])[key]
    change = Mutation(0, conflict.collection, conflict.record_id, op, current.rev, fields)
    parsed, errors = store.prepare(person, change, current, {})
    if errors:
        raise ValidationFailed({"value": [m for messages in errors.values() for m in messages]})
    return parsed


def conflict_as_dict(conflict: SyncConflict) -> dict:
    return {"id": str(conflict.id), "collection": conflict.collection,
            "record_id": str(conflict.record_id), "field": conflict.field,
            "server_value": conflict.server_value, "device_value": conflict.device_value,
            "device_id": str(conflict.device_id), "mutation_id": conflict.mutation_id,
            "created_at": conflict.created_at.isoformat()}


# Oldest first; a device's in the order it sent them; the id last, so that a page's edge is
# certain.
REJECTIONS_ORDER = (SyncRejection.created_at, SyncRejection.mutation_id, SyncRejection.id)


def visible_rejections(person: Person, device_id: uuid.UUID | None = None,
                       from_mutation_id: int | None = None):
    """The query of the kept rejections the person may see: an admin the organisation's, a
    supervisor their team's devices', others their own; of one device alone when it is named
    (one they may see, or none), from one of its mutations on when that is named too."""
    stmt = select(SyncRejection).where(SyncRejection.organisation_id == person.organisation_id)
    if device_id is not None:
        stmt = stmt.where(SyncRejection.device_id == device_id)
    if from_mutation_id is not None:
        stmt = stmt.where(SyncRejection.mutation_id >= from_mutation_id)
    if person.role == Role.SUPERVISOR:
        team = select(Person.id).where(in_own_team(Person.team_id, person))
        stmt = stmt.where(SyncRejection.device_id.in_(
            select(Device.id).where(Device.person_id.in_(team))))
    elif person.role != Role.ADMIN:
        own_devices = select(Device.id).where(Device.person_id == person.id)
        stmt = stmt.where(SyncRejection.device_id.in_(own_devices))
    return stmt


def rejection_as_dict(rejection: SyncRejection, language: str) -> dict:
    """A kept rejection, its errors in this language (or, kept before they were kept in each
    language, in the language of the push that was refused)."""
    errors = (rejection.errors_by_language or {}).get(language, rejection.errors)
    return {"id": str(rejection.id), "device_id": str(rejection.device_id),
            "mutation_id": rejection.mutation_id, "collection": rejection.collection,
            "record_id": str(rejection.record_id), "op": rejection.op,
            "fields": rejection.fields, "errors": errors,
            "created_at": rejection.created_at.isoformat()}
