"""Sync conflicts that need a person, resolved by a supervisor as well as on the tablet: the
open conflicts on the records of their team's (an admin's organisation's) children, each kept
as the tablet's change or as the other, through the one way a conflict is resolved
(app/syncing/services.resolve_conflict: the same rules as a device's change, the choice synced
to every device). Nothing of that logic is repeated here: only what a page shows of it."""

import uuid
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.audit.services import record_access
from app.auth.models import Person
from app.core.errors import NotFound
from app.core.models import hold_writes
from app.review.decisions import worker_questions
from app.review.services import check_reviewer, definition_of
from app.syncing import services as syncing
from app.syncing.collections import COLLECTIONS
from sync.protocol import DELETED

RECORD_KINDS = {"children": _l("The child's details"), "episodes": _l("Missing episode"),
                "interviews": _l("Return interview"), "attempts": _l("Attempt to make contact")}
OTHER_RECORD = _l("A record of the interview")
WHOLE_RECORD = _l("Deleted on a tablet, changed elsewhere")


@dataclass
class OpenConflict:
    id: uuid.UUID
    child: str | None  # the child's name, when the record is theirs
    record: object  # what kind of record, in words
    field: object  # the field's question, in the reader's language, or its name
    device_value: object
    server_value: object
    deletion: bool


def _held_by(session: Session, collection: str, record_id):
    """The record and the child at the top of its chain of parents (None when gone)."""
    spec = COLLECTIONS[collection]
    record = found = session.get(spec.model, record_id)
    while spec.parent is not None and found is not None:
        field = spec.parent.field
        spec = COLLECTIONS[spec.parent.collection]
        found = session.get(spec.model, getattr(found, field))
    return record, found if spec.name == "children" else None


def _field_label(session: Session, collection: str, record, field: str, language: str):
    if field == DELETED:
        return WHOLE_RECORD
    if collection == "interviews" and record is not None:
        for question in worker_questions(definition_of(session, record)):
            if question.get("field", question["id"]) == field:
                return question["label"][language]
    return field


def open_conflicts(session: Session, person: Person, language: str) -> list[OpenConflict]:
    """The open conflicts this person may resolve, oldest first; the listing audited."""
    check_reviewer(person)
    shown = []
    for conflict in syncing.visible_conflicts(session, person):
        record, child = _held_by(session, conflict.collection, conflict.record_id)
        shown.append(OpenConflict(
            conflict.id, f"{child.given_name} {child.family_name}" if child else None,
            RECORD_KINDS.get(conflict.collection, OTHER_RECORD),
            _field_label(session, conflict.collection, record, conflict.field, language),
            conflict.device_value, conflict.server_value, conflict.field == DELETED))
    record_access(session, person, "list", "sync_conflicts", None)
    return shown


def resolve(session: Session, person: Person, conflict_id: uuid.UUID, keep_device: bool) -> dict:
    """Keeps the tablet's change (keep_device) or the other; NotFound for a conflict this
    person may not see or that is closed; ValidationFailed with the rules' words."""
    check_reviewer(person)
    hold_writes(session)  # before reading the conflict and its record, as the API does
    conflict = next((c for c in syncing.visible_conflicts(session, person)
                     if c.id == conflict_id), None)
    if conflict is None:
        raise NotFound("no such open conflict among your cases")
    value = conflict.device_value if keep_device else conflict.server_value
    resolved = syncing.resolve_conflict(session, person, conflict_id, value)
    record_access(session, person, "resolve", resolved["collection"], uuid.UUID(resolved["id"]))
    return resolved
