"""When a record moves to another worker or team (a child reassigned), it and the records it
holds leave one scope and enter another. The old scope gets removals; the records get new
revisions so the new scope pulls them. Both the API and sync call this, so a reassignment is
seen the same way whichever made it."""

import uuid

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.auth.models import Person, Role
from app.core.models import take_revisions
from app.syncing.collections import COLLECTIONS
from app.syncing.models import ScopeRemoval, SyncConflict
from sync.protocol import DELETED


def worker_scope(person_id) -> str:
    return f"worker:{person_id}"


def team_scope(team_id) -> str:
    return f"team:{team_id}"


def organisation_scope(organisation_id) -> str:
    return f"organisation:{organisation_id}"


def scopes_of(person: Person) -> list[str]:
    """The scopes whose removals this person's pulls must hear about."""
    if person.role == Role.WORKER:
        return [worker_scope(person.id)]
    if person.role == Role.SUPERVISOR:  # (one with no team yet supervises no one)
        return [team_scope(person.team_id)] if person.team_id is not None else []
    if person.role == Role.ADMIN:
        return [organisation_scope(person.organisation_id)]
    return []


def scopes_of_assignment(organisation_id, team_id, worker_id) -> set[str]:
    """The scopes a record assigned so is seen in: its organisation's, its team's, its
    worker's."""
    found = {organisation_scope(organisation_id), team_scope(team_id)}
    return found | ({worker_scope(worker_id)} if worker_id else set())


def scopes_of_stored(session: Session, collection: str, record) -> set[str]:
    """The scopes a stored record is seen in: those of the record at the top of its chain of
    parents (a child)."""
    spec = COLLECTIONS[collection]
    while spec.parent is not None and record is not None:
        parent = COLLECTIONS[spec.parent.collection]
        record = session.get(parent.model, getattr(record, spec.parent.field))
        spec = parent
    return spec.scopes(record) if record is not None and spec.scopes else set()


def remove_record(session: Session, collection: str, record_id: uuid.UUID, person_id, now) -> None:
    """Deletes a stored record, with a removal for each scope that saw it, and closes the open
    conflicts on it: nothing is left to decide (a delete in conflict is decided as deleted)."""
    spec = COLLECTIONS[collection]
    stored = session.get(spec.model, record_id)
    if stored is None:
        return
    scopes = sorted(scopes_of_stored(session, collection, stored))
    for conflict in session.scalars(select(SyncConflict).where(
            SyncConflict.record_id == record_id, SyncConflict.resolved_at.is_(None))):
        conflict.resolved_at, conflict.resolved_by_id = now, person_id
        conflict.resolved_value = True if conflict.field == DELETED else None
    session.delete(stored)
    session.flush()
    add_removals(session, scopes, [(collection, record_id)])


def records_held_by(session: Session, collection: str, record_id: uuid.UUID) -> list[tuple]:
    """(collection, model, id) of every record held under this one, through the registered
    collections' parents (a child's episodes, their interviews, their attempts)."""
    top = COLLECTIONS[collection].model
    holders = held_under({collection: select(top.id).where(top.id == record_id)})
    return [(name, COLLECTIONS[name].model, held_id) for name, ids in holders.items()
            if name != collection for held_id in session.scalars(ids)]


def held_under(holders: dict) -> dict:
    """{collection: a SELECT of ids} for the given records and every record held under them,
    through the registered collections' parents."""
    holders = dict(holders)
    for spec in COLLECTIONS.values():  # parents come before what they hold
        if spec.parent is None or spec.parent.collection not in holders:
            continue
        holders[spec.name] = select(spec.model.id).where(
            getattr(spec.model, spec.parent.field).in_(holders[spec.parent.collection]))
    return holders


def add_removals(session: Session, scopes: list[str], records: list[tuple[str, uuid.UUID]]) -> None:
    rows = [{"scope": scope, "collection": collection, "record_id": record_id}
            for scope in scopes for collection, record_id in records]
    for row, rev in zip(rows, take_revisions(session, len(rows)), strict=True):
        row["rev"] = rev
    if rows:
        session.execute(ScopeRemoval.__table__.insert(), rows)


def record_moved(session: Session, collection: str, record_id: uuid.UUID, old_scopes: set[str],
                 new_scopes: set[str]) -> None:
    """Removals for the scopes the record left; fresh revisions for the records it holds, so
    the scopes it entered pull them although they did not change."""
    left = sorted(old_scopes - new_scopes)
    if not left and new_scopes <= old_scopes:
        return
    held = records_held_by(session, collection, record_id)
    add_removals(session, left, [(collection, record_id)]
                 + [(name, held_id) for name, _model, held_id in held])
    revisions = iter(take_revisions(session, len(held)))
    for _name, model, held_id in held:  # a new revision, not a change: updated_at stays
        session.execute(update(model).where(model.id == held_id).values(
            rev=next(revisions), updated_at=model.updated_at))
