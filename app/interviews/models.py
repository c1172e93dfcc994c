"""A return interview, the attempts to reach the child, and its coded answers.

The five things every interview establishes and the coded factors live in typed columns and a
typed child table, so the annual report is plain SQL; local questions live in local_answers.
"""

import enum
import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, SmallInteger, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import enum_column
from app.codelists.coded import CodedAnswers, HoldsCodes
from app.core.models import DeviceWritable
from app.core.types import JSONDocument, UTCDateTime
from app.extensions import db


class InterviewStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"


class Consent(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


# The coded, multiple-choice parts of an interview: attribute name -> code list.
CODED_ANSWERS = {
    "push_factors": "push_factor",
    "pull_factors": "pull_factor",
    "harms": "harm",
    "vulnerabilities": "vulnerability",
}

FIVE_THINGS = (
    "duration_account",
    "why_missing",
    "what_happened",
    "where_and_with_whom",
    "feeling_before",
    "feeling_during",
    "feeling_after",
)


class InterviewCode(db.Model):
    """One coded answer (a push factor, a pull factor, a harm, a vulnerability) of an interview.

    The three columns are the key, and on SQLite the table is WITHOUT ROWID: one B-tree, ordered
    by interview, instead of a table and an index beside it. A sync push writes a few of these
    for every interview, and each is written once instead of twice."""

    __tablename__ = "interview_codes"
    __table_args__ = {"sqlite_with_rowid": False}
    interview_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("return_interviews.id", ondelete="CASCADE"), primary_key=True
    )
    list_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), primary_key=True)


class ReturnInterview(HoldsCodes, DeviceWritable, db.Model):
    __tablename__ = "return_interviews"
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id"), nullable=False, index=True
    )
    episode_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("missing_episodes.id"), nullable=False, index=True
    )
    interviewer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"), index=True)
    status: Mapped[InterviewStatus] = mapped_column(
        enum_column(InterviewStatus), nullable=False, default=InterviewStatus.DRAFT
    )
    questionnaire_version_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("questionnaire_versions.id")
    )

    # The offer and consent.
    offered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consent: Mapped[Consent] = mapped_column(
        enum_column(Consent), nullable=False, default=Consent.PENDING
    )
    consent_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    declined_by: Mapped[str | None] = mapped_column(String(64))
    decline_reason: Mapped[str | None] = mapped_column(String(64))

    # Who, where, when, in which language, and how independent.
    conducted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    location: Mapped[str | None] = mapped_column(String(64))
    interviewer_type: Mapped[str | None] = mapped_column(String(64))
    interviewer_organisation: Mapped[str | None] = mapped_column(String(200))
    independent_of_police: Mapped[bool | None] = mapped_column()
    independent_of_local_authority: Mapped[bool | None] = mapped_column()
    independent_of_placement: Mapped[bool | None] = mapped_column()
    child_chose_known_adult: Mapped[bool | None] = mapped_column()
    language: Mapped[str | None] = mapped_column(String(2))
    young_person_language: Mapped[str | None] = mapped_column(String(2))

    # The five things every interview establishes (DOMAIN.md), in the child's words.
    duration_account: Mapped[str | None] = mapped_column(Text)
    why_missing: Mapped[str | None] = mapped_column(Text)
    what_happened: Mapped[str | None] = mapped_column(Text)
    where_and_with_whom: Mapped[str | None] = mapped_column(Text)
    feeling_before: Mapped[str | None] = mapped_column(Text)
    feeling_during: Mapped[str | None] = mapped_column(Text)
    feeling_after: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    # Answers to local questions, keyed by question id of questionnaire_version.
    local_answers: Mapped[dict] = mapped_column(JSONDocument, nullable=False, default=dict)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # How soon a supervisor should read it once submitted (app/review/priority.py keeps it:
    # flags, the higher the sooner). Server only: never synced, never a device's to set.
    review_priority: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=0,
                                                 server_default=text("0"))

    # The review queue: an organisation's (a team's, through the children) submitted
    # interviews, the highest priority first, then the oldest submitted (app/review/queue.py).
    # The team lives on the child, not the interview: copying it here would have to follow
    # every reassignment; the organisation and status lead, and a team's share of them is
    # found by the join.
    __table_args__ = (Index("ix_return_interviews_review_queue", "organisation_id", "status",
                            "review_priority", "submitted_at"),)

    episode = relationship("MissingEpisode", back_populates="interviews")
    attempts = relationship(
        "InterviewAttempt", back_populates="interview", order_by="InterviewAttempt.attempted_at"
    )
    codes = relationship(InterviewCode, cascade="all, delete-orphan", lazy="selectin")
    push_factors = CodedAnswers("push_factor")
    pull_factors = CodedAnswers("pull_factor")
    harms = CodedAnswers("harm")
    vulnerabilities = CodedAnswers("vulnerability")

    extra_sync_fields = tuple(CODED_ANSWERS)
    coded_answers = CODED_ANSWERS
    code_row = InterviewCode


class InterviewAttempt(DeviceWritable, db.Model):
    """One attempt to reach the child to offer or hold the interview."""

    __tablename__ = "interview_attempts"
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id"), nullable=False, index=True
    )
    interview_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("return_interviews.id"), nullable=False, index=True
    )
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    method: Mapped[str] = mapped_column(String(64), nullable=False)
    outcome: Mapped[str] = mapped_column(String(64), nullable=False)
    notes: Mapped[str | None] = mapped_column(Text)
    interview = relationship(ReturnInterview, back_populates="attempts")
