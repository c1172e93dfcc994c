"""Mixins for records, and the server-wide revision counter that sync's pull cursor follows."""

import uuid

from sqlalchemy import BigInteger, Integer, Uuid, event, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.core.types import UTCDateTime, utcnow
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


class Timestamped:
    created_at = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = mapped_column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)


class SyncedRecord(Timestamped):
    """A record a device may create (client-made UUID) and that carries a server revision."""

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    rev: Mapped[int] = mapped_column(BigInteger, nullable=False, index=True, default=0)


def take_revisions(session: Session, count: int) -> range:
    last = session.connection().execute(
        text("UPDATE revision_counter SET value = value + :n WHERE id = 1 RETURNING value"),
        {"n": count},
    ).scalar_one()
    return range(last - count + 1, last + 1)


@event.listens_for(Session, "before_flush")
def _stamp_revisions(session, flush_context, instances):
    changed = [obj for obj in session.new if isinstance(obj, SyncedRecord)]
    changed += [
        obj
        for obj in session.dirty
        if isinstance(obj, SyncedRecord) and session.is_modified(obj, include_collections=False)
    ]
    if not changed:
        return
    for obj, rev in zip(changed, take_revisions(session, len(changed)), strict=True):
        obj.rev = rev
