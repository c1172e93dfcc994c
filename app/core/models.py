"""Mixins for records, and the server-wide revision counter that sync's pull cursor follows."""

import uuid

from sqlalchemy import BigInteger, Integer, String, Uuid, event, inspect, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.core.ids import new_id
from app.core.types import FieldSources, UTCDateTime, utcnow
from app.extensions import db


class RevisionCounter(db.Model):
    """One row holding the last revision handed out.

    Taking revisions with UPDATE ... RETURNING locks this row until the transaction ends, so
    revisions become visible in the order they were taken: a pull cursor never skips a record
    committed late.
    """

    __tablename__ = "revision_counter"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    # Names this database's revision sequence, so a sync cursor from elsewhere is recognised.
    server_id: Mapped[str | None] = mapped_column(String(36))


class Timestamped:
    created_at = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = mapped_column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)


class SyncedRecord(Timestamped):
    """A record a device may create (client-made UUID) and that carries a server revision."""

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    rev: Mapped[int] = mapped_column(BigInteger, nullable=False, index=True, default=0)


class DeviceWritable(SyncedRecord):
    """A record devices may change offline. field_sources says, per field, the revision of its
    last change and where it came from (a device id, or null for the server), which is what
    tells a merge from a conflict when a device's change arrives late."""

    field_sources: Mapped[dict] = mapped_column(FieldSources, nullable=False, default=dict)

    # Fields a device syncs that are not plain columns (for example lists of codes).
    extra_sync_fields: tuple[str, ...] = ()

    def changed_extra_fields(self) -> set[str]:
        return set()


# Columns that are bookkeeping, not content: never a field of their own in a merge.
BOOKKEEPING = {"id", "rev", "created_at", "updated_at", "field_sources"}


def changed_fields(obj) -> set[str]:
    state = inspect(obj)
    names = {attr.key for attr in state.mapper.column_attrs
             if attr.key not in BOOKKEEPING and state.attrs[attr.key].history.has_changes()}
    if isinstance(obj, DeviceWritable):
        names |= obj.changed_extra_fields()
    return names


def hold_writes(session: Session, wait_seconds: int = 10) -> None:
    """Waits for, then holds until commit, the right to write: the revision counter's row, which
    every writer updates when it writes. Taken before reading what a request will change, so
    nothing can change those records between the read and the write (a sync push's fields and
    field_sources would otherwise be overwritten by a stale copy). An UPDATE, not SELECT ... FOR
    UPDATE, because SQLite has no row locks and its driver begins a transaction only at the
    first write: on SQLite this takes the database's write lock, on PostgreSQL the row's.
    Waits at most wait_seconds, then fails (OperationalError) rather than queue for ever
    behind a writer that is stuck."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"SET LOCAL lock_timeout = '{int(wait_seconds)}s'"))
    else:
        session.execute(text(f"PRAGMA busy_timeout = {int(wait_seconds) * 1000}"))
    session.execute(text("UPDATE revision_counter SET value = value WHERE id = 1"))


def take_revisions(session: Session, count: int) -> range:
    last = session.connection().execute(
        text("UPDATE revision_counter SET value = value + :n WHERE id = 1 RETURNING value"),
        {"n": count},
    ).scalar_one()
    return range(last - count + 1, last + 1)


@event.listens_for(Session, "before_flush")
def _stamp_revisions(session, flush_context, instances):
    """Every record changed through the ORM (the web, the API) gets a new revision, and each
    changed field is marked as changed on the server at that revision."""
    changed = [(obj, changed_fields(obj)) for obj in session.new if isinstance(obj, SyncedRecord)]
    changed += [(obj, fields) for obj in session.dirty if isinstance(obj, SyncedRecord)
                for fields in [changed_fields(obj)] if fields]
    if not changed:
        return
    for (obj, fields), rev in zip(changed, take_revisions(session, len(changed)), strict=True):
        obj.rev = rev
        if isinstance(obj, DeviceWritable):
            obj.field_sources = {**(obj.field_sources or {}),
                                 **{name: [rev, None] for name in fields}}
