"""The young person's self-report: what the child told the tablet in their own section of an
interview, one per interview. The coded answers (feelings, being hurt, the reasons they left,
who they want to talk to) are typed columns and rows of a table of their own, so reports count
them with plain SQL; their own words live in answers, by question id of the version."""

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.codelists.coded import CodedAnswers, HoldsCodes
from app.core.models import DeviceWritable
from app.core.types import JSONDocument, UTCDateTime
from app.extensions import db

# The self-report's lists of codes, kept as SelfReportCode rows: attribute -> code list.
CODED_ANSWERS = {
    "push_factors": "push_factor",
    "pull_factors": "pull_factor",
    "talk_to": "talk_to",
}
# A question's state in question_states.
QUESTION_STATES = ("answered", "skipped", "not_reached")


class SelfReportCode(db.Model):
    """One coded answer of a self-report (a reason for leaving, someone to talk to). Keyed by
    its three columns, WITHOUT ROWID on SQLite, as interview_codes."""

    __tablename__ = "self_report_codes"
    __table_args__ = {"sqlite_with_rowid": False}
    self_report_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("self_reports.id", ondelete="CASCADE"), primary_key=True)
    list_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), primary_key=True)


class SelfReport(HoldsCodes, DeviceWritable, db.Model):
    __tablename__ = "self_reports"
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id"), nullable=False, index=True)
    interview_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("return_interviews.id"), nullable=False, unique=True)
    questionnaire_version_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("questionnaire_versions.id"), nullable=False)
    # The language the child chose for the section; their first language, if another; whether
    # an interpreter read the section to them.
    language: Mapped[str] = mapped_column(String(2), nullable=False)
    first_language: Mapped[str | None] = mapped_column(String(64))
    interpreter: Mapped[bool | None] = mapped_column()
    # The tablet handed to the child, the first question, the last, the tablet handed back.
    handed_over_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handed_back_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    feeling_before: Mapped[str | None] = mapped_column(String(64))
    feeling_away: Mapped[str | None] = mapped_column(String(64))
    feeling_now: Mapped[str | None] = mapped_column(String(64))
    hurt: Mapped[str | None] = mapped_column(String(64))
    advocate_requested: Mapped[bool | None] = mapped_column()
    advocate_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Answers to the questions that fill no field (their words, yes or no), by question id.
    answers: Mapped[dict] = mapped_column(JSONDocument, nullable=False, default=dict)
    # Each question's state: answered, skipped (the child chose not to say), not_reached.
    question_states: Mapped[dict] = mapped_column(JSONDocument, nullable=False, default=dict)

    codes = relationship(SelfReportCode, cascade="all, delete-orphan", lazy="selectin")
    push_factors = CodedAnswers("push_factor")
    pull_factors = CodedAnswers("pull_factor")
    talk_to = CodedAnswers("talk_to")

    extra_sync_fields = tuple(CODED_ANSWERS)
    coded_answers = CODED_ANSWERS
    code_row = SelfReportCode
