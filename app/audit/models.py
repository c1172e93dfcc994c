"""The audit trail's table (audit_events)."""

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.core.types import UTCDateTime, utcnow
from app.extensions import db


class AuditEvent(db.Model):
    """Who read or changed which record, and when. Holds identifiers only, never content."""

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
