"""The audit trail's tables: its events (audit_events), and the head of their hash chain
(audit_chain_head), so that a deleted last event shows too."""

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Uuid, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.core.types import UTCDateTime, utcnow
from app.extensions import db

# A network address as text: an IPv6 address with an IPv4 tail is at most 45 characters.
ADDRESS_LENGTH = 45
DETAIL_LENGTH = 80


class AuditEvent(db.Model):
    """Who read or changed which record, when, and from where. Holds identifiers only, never
    content: `detail` is a short code (a reason), never a name or a child's words.

    Each event carries the hash of the event before it and its own (app.audit.chain), made
    when it is written, so that an event edited or deleted afterwards breaks the chain."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(db.Integer, "sqlite"),
                                    primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id"), nullable=False, index=True
    )
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"), nullable=False)
    action: Mapped[str] = mapped_column(String(16), nullable=False)
    collection: Mapped[str] = mapped_column(String(64), nullable=False)
    record_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    address: Mapped[str | None] = mapped_column(String(ADDRESS_LENGTH))
    detail: Mapped[str | None] = mapped_column(String(DETAIL_LENGTH))
    # Hex SHA-256. Nullable only so that a row written around the chain can be stored at all
    # (and then reported by `flask audit verify`); every row the app writes has both.
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))


class AuditChainHead(db.Model):
    """One row: the last event of the chain, its hash and how many events the chain holds.
    Written with each event, so that removing the last events (which no later event links to)
    shows as a chain that ends before its head."""

    __tablename__ = "audit_chain_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_id: Mapped[int] = mapped_column(BigInteger, nullable=False)
    last_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    count: Mapped[int] = mapped_column(BigInteger, nullable=False)


@event.listens_for(Session, "before_flush")
def _chain_new_events(session, _flush_context, _instances):
    """Every AuditEvent a flush is about to write joins the chain first (any session: the app's,
    a test's or a command's)."""
    from app.audit.chain import chain_pending  # here, since the chain reads these models

    chain_pending(session)
