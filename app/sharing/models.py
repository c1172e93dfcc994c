"""What the child asked not to share from their interview's report (and what is shared anyway
for their safety), and every time the report was shared. Kept on the server only: not synced."""

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.types import JSONDocument, UTCDateTime, utcnow
from app.extensions import db

RECIPIENT_KINDS = ("placing_authority", "social_worker", "other")


class ReportChoice(db.Model):
    """One per interview: the report's item keys withheld (five-things fields, the young
    person's question ids), those of them overridden for safeguarding, why, and when the child
    was told."""

    __tablename__ = "report_choices"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    interview_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("return_interviews.id"), nullable=False, unique=True
    )
    withheld: Mapped[list] = mapped_column(JSONDocument, nullable=False, default=list)
    overridden: Mapped[list] = mapped_column(JSONDocument, nullable=False, default=list)
    override_reason: Mapped[str | None] = mapped_column(Text)
    child_told_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)


class ReportShare(db.Model):
    """The report given to someone: who, in which language, why, when and by whom."""

    __tablename__ = "report_shares"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    interview_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("return_interviews.id"), nullable=False, index=True
    )
    recipient_kind: Mapped[str] = mapped_column(String(32), nullable=False)
    recipient_name: Mapped[str] = mapped_column(String(200), nullable=False)
    language: Mapped[str] = mapped_column(String(2), nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    shared_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    shared_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"), nullable=False)
