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
    {collection: a SELECT of ids} never sent (the records of finished cases, retiring.py).

    The page's last revision is found first, from the revisions alone (each collection's
    oldest limit + 1, read from its index); only then are the records read, those up to it.
    Reading limit + 1 whole records of every collection, to keep `limit` of them all, was half
    the server's time of a first sync of 7,000 records."""
    changed = {spec.name: _changed(spec, actor, after_rev, ceiling, withheld)
               for spec in COLLECTIONS.values()}
    removed = select(ScopeRemoval).where(ScopeRemoval.scope.in_(scope.scopes_of(actor)),
                                         ScopeRemoval.rev > after_rev, ScopeRemoval.rev <= ceiling)
    found, waiting = {}, 0
    for name, stmt, model in [(spec.name, changed[spec.name], spec.model)
                              for spec in COLLECTIONS.values()] + [(None, removed, ScopeRemoval)]:
        found[name] = _revisions(session, stmt, model, after_rev, ceiling, limit)
        waiting += _count(session, stmt) if len(found[name]) > limit else len(found[name])
    revisions = sorted(rev for revs in found.values() for rev in revs)
    more = len(revisions) > limit
    last = revisions[:limit][-1] if revisions else after_rev
    # Only the collections with a change on this page are read (the revisions are in order).
    on_page = {name for name, revs in found.items() if revs and revs[0] <= last}
    events = _events(session, changed, removed, on_page, last)
    return Page(
        changes=_dumped(session, [(spec, row) for _rev, spec, row in events if spec]),
        removals=[Removal(row.collection, row.record_id, row.rev)
                  for _rev, spec, row in events if spec is None],
        last_rev=last,
        more=more,
        waiting=waiting,
    )


def _events(session: Session, changed: dict, removed, on_page: set, last: int) -> list:
    """(rev, spec, record) of the changes, and (rev, None, removal) of the removals, up to
    `last`, of the collections on the page (None: the removals), oldest first."""
    events = []
    for spec in COLLECTIONS.values():
        if spec.name in on_page:
            stmt = changed[spec.name].where(spec.model.rev <= last).order_by(spec.model.rev)
            events += [(row.rev, spec, row) for row in plain_records(session, spec, stmt)]
    if None in on_page:
        events += [(row.rev, None, row) for row in session.scalars(
            removed.where(ScopeRemoval.rev <= last).order_by(ScopeRemoval.rev))]
    return sorted(events, key=lambda event: event[0])


def _changed(spec, actor: Person, after_rev: int, ceiling: int, withheld: dict | None):
    """The collection's records the actor may see that changed after `after_rev`."""
    stmt = spec.visible(actor).where(spec.model.rev > after_rev, spec.model.rev <= ceiling)
    if withheld and spec.name in withheld:
        stmt = stmt.where(spec.model.id.not_in(withheld[spec.name]))
    return stmt


def _revisions(session: Session, stmt, model, after_rev: int, ceiling: int, limit: int) -> list:
    """The oldest limit + 1 revisions the SELECT gives, in order. A table with no change at all
    in the range, anyone's, is seen from its revision index first: asking which of its records
    the actor may see costs a walk of the actor's cases (about 3 ms for 2,000 children, for
    each of the collections a worker seldom has, on each page of a first sync)."""
    anyone = select(model.rev).where(model.rev > after_rev, model.rev <= ceiling).limit(1)
    if session.scalar(anyone) is None:
        return []
    return session.scalars(stmt.with_only_columns(model.rev).order_by(model.rev)
                           .limit(limit + 1)).all()


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
