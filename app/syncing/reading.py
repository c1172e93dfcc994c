"""A pull's page: the records that changed after a revision, as the actor may see them, and the
removals of records that left the actor's scopes."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth.models import Person
from app.core.dumping import quick_dumper
from app.syncing import scope
from app.syncing.collections import COLLECTIONS
from app.syncing.models import ScopeRemoval, SyncConflict
from app.syncing.plain_records import plain_records
from sync.protocol import Change, Page, Removal


def changes_since(session: Session, actor: Person, after_rev: int, ceiling: int,
                  limit: int, withheld: dict | None = None) -> Page:
    """Up to `limit` changes and removals after `after_rev` and up to `ceiling` (the committed
    counter: every revision up to it belongs to a committed transaction, so a page never holds
    a later revision while an earlier one is still missing), oldest first. `withheld`:
    {collection: a SELECT of ids} never sent (the records of finished cases, retiring.py)."""
    events, more, waiting = [], False, 0
    for spec in COLLECTIONS.values():
        stmt = spec.visible(actor).where(spec.model.rev > after_rev, spec.model.rev <= ceiling)
        if withheld and spec.name in withheld:
            stmt = stmt.where(spec.model.id.not_in(withheld[spec.name]))
        rows = plain_records(session, spec, stmt.order_by(spec.model.rev).limit(limit + 1))
        more |= len(rows) > limit
        waiting += _count(session, stmt) if len(rows) > limit else len(rows)
        events += [(row.rev, spec, row) for row in rows[:limit]]
    removed = select(ScopeRemoval).where(ScopeRemoval.scope.in_(scope.scopes_of(actor)),
                                         ScopeRemoval.rev > after_rev, ScopeRemoval.rev <= ceiling)
    removals = session.scalars(removed.order_by(ScopeRemoval.rev).limit(limit + 1)).all()
    more |= len(removals) > limit
    waiting += _count(session, removed) if len(removals) > limit else len(removals)
    events += [(row.rev, None, row) for row in removals[:limit]]
    events.sort(key=lambda event: event[0])
    more |= len(events) > limit
    events = events[:limit]
    return Page(
        changes=_dumped(session, [(spec, row) for _rev, spec, row in events if spec]),
        removals=[Removal(row.collection, row.record_id, row.rev)
                  for _rev, spec, row in events if spec is None],
        last_rev=events[-1][0] if events else after_rev,
        more=more,
        waiting=waiting,
    )


def _count(session: Session, stmt) -> int:
    """How many rows a SELECT gives (counted only where a page leaves some behind)."""
    return session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))


def _dumped(session: Session, rows) -> list[Change]:
    """Each record as its schema dumps it, with its open conflicts."""
    open_conflicts = _open_conflicts(session, [row.id for _spec, row in rows])
    changes = []
    for spec, row in rows:
        record = quick_dumper(spec.schema)(row)
        record["_conflicts"] = open_conflicts.get(row.id, [])
        changes.append(Change(spec.name, row.id, row.rev, record))
    return changes


def _open_conflicts(session: Session, ids) -> dict:
    found: dict = {}
    if not ids:
        return found
    for conflict in session.scalars(select(SyncConflict).where(
            SyncConflict.record_id.in_(ids), SyncConflict.resolved_at.is_(None))):
        found.setdefault(conflict.record_id, []).append({
            "id": str(conflict.id), "field": conflict.field,
            "server_value": conflict.server_value, "device_value": conflict.device_value})
    return found
