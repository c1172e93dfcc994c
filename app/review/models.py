"""A supervisor's decisions on an interview: approved, returned with comments, or reopened by
an admin with a reason; each with a snapshot of what was reviewed, for the next review's
"what changed since"."""

import enum
import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.auth.models import enum_column
from app.core.models import DeviceWritable
from app.core.types import JSONDocument, UTCDateTime
from app.extensions import db


class Decision(enum.StrEnum):
    APPROVE = "approve"
    RETURN = "return"
    REOPEN = "reopen"


class ReviewDecision(DeviceWritable, db.Model):
    """Synced to the worker's tablet, which only reads it (DeviceWritable for the sync
    machinery's sake: no device field is writable, see sync.py)."""

    __tablename__ = "review_decisions"
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id"), nullable=False, index=True)
    interview_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("return_interviews.id"), nullable=False, index=True)
    decision: Mapped[Decision] = mapped_column(enum_column(Decision), nullable=False)
    # The comments on a return, or the reason for reopening; none for an approval.
    comment: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"), nullable=False)
    # The reviewer's name as it was when they decided: the tablet shows it without reading
    # the people of the organisation.
    reviewer_name: Mapped[str] = mapped_column(String(200), nullable=False)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    # The interview's worker answers as reviewed ({question id: value}), never sent to devices.
    snapshot: Mapped[dict] = mapped_column(JSONDocument, nullable=False, default=dict)
