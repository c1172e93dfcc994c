"""Data minimisation: a tablet holds only the cases the work needs. A case its capability
calls finished before a moment (FINISHED_BEFORE, in collections.py) leaves the tablets, with
all it holds, through the ordinary removals; one that is unfinished again comes back.

Nothing is scheduled: a pull settles its own scopes before it reads. A record of a finished
case that its scope has not been told to remove since its last change gets a removal there; a
record of an unfinished case that was removed there since its last change gets a new revision,
so that the scope pulls it again. Other scopes hear of it at their own next pull. A pull never
sends a change of a finished case (a full resync included), so a tablet's unsent change to one
is still applied by a push, then leaves the tablet at its next pull.
"""

from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.auth.models import Person
from app.core.models import hold_writes, take_revisions
from app.syncing import scope
from app.syncing.collections import COLLECTIONS, FINISHED_BEFORE, SyncCollection
from app.syncing.models import ScopeRemoval


def finished_records(moment: datetime) -> dict:
    """{collection: a SELECT of the ids of its records in cases finished before moment}."""
    return scope.held_under({name: finished(moment) for name, finished in FINISHED_BEFORE.items()})


# A pull of many pages settles at its first page only: settling again at every page took about
# 110 ms a page of 500 records (1.6 of 5.4 s of the server's time for a first sync of 7,000
# records). The device keeps the cursor it was last given with more waiting; a page asked for
# with that cursor soon after continues a settled pull. One that comes late settles again.
CONTINUATION = timedelta(seconds=60)


def continues_a_settled_pull(device, cursor: str | None, now: datetime) -> bool:
    return (device is not None and cursor is not None and device.continuing_cursor == cursor
            and device.continuing_at is not None and now - device.continuing_at < CONTINUATION)


def remember_continuation(device, cursor: str, more: bool, now: datetime) -> None:
    if device is not None:
        device.continuing_cursor, device.continuing_at = (cursor, now) if more else (None, None)


def settle(session: Session, actor: Person, moment: datetime, wait_seconds: int) -> None:
    """Removals in the actor's scopes for the records of cases finished before moment, and new
    revisions for the records of cases unfinished again, each once, before a pull reads."""
    scopes = scope.scopes_of(actor)
    finished = finished_records(moment)
    if not scopes or not finished:
        return
    leaving, returning = [], []
    for spec in COLLECTIONS.values():
        if spec.name in finished:
            leaving += [(spec.name, record_id) for record_id in
                        _told(session, spec, actor, scopes, finished[spec.name], False)]
            returning += [(spec, record_id) for record_id in
                          _told(session, spec, actor, scopes, finished[spec.name], True)]
    if leaving or returning:
        hold_writes(session, wait_seconds)
        scope.add_removals(session, scopes, leaving)
        _renew(session, returning)


def _told(session: Session, spec: SyncCollection, actor: Person, scopes: list[str],
          finished, removed: bool) -> list:
    """The ids of the actor's records of this collection, in a finished case and not removed
    from the scopes since their last change (removed False), or in an unfinished case and
    removed from them since (removed True)."""
    # Each record's last removal in the scopes, read once (not looked up record by record).
    last = (select(ScopeRemoval.record_id, func.max(ScopeRemoval.rev).label("rev"))
            .where(ScopeRemoval.scope.in_(scopes), ScopeRemoval.collection == spec.name)
            .group_by(ScopeRemoval.record_id).subquery())
    visible = (spec.visible(actor).with_only_columns(spec.model.id)
               .outerjoin(last, last.c.record_id == spec.model.id))
    removed_since = func.coalesce(last.c.rev, 0) > spec.model.rev
    in_finished = spec.model.id.in_(finished)
    return list(session.scalars(visible.where(
        removed_since if removed else ~removed_since,
        ~in_finished if removed else in_finished)))


def _renew(session: Session, records: list) -> None:
    for (spec, record_id), rev in zip(records, take_revisions(session, len(records)),
                                      strict=True):
        session.execute(update(spec.model).where(spec.model.id == record_id).values(
            rev=rev, updated_at=spec.model.updated_at))
