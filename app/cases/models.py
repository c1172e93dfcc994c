"""Areas, children and missing episodes."""

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, event, text
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from app.core.models import DeviceWritable, SyncedRecord
from app.core.text import folded
from app.core.types import UTCDateTime
from app.extensions import db

LANGUAGE_CODES = ("cy", "en")


class Area(SyncedRecord, db.Model):
    """A local authority or a police force, with names in both languages.

    code is the official GSS code (W06… for Welsh authorities, W15… for Welsh forces); England's
    areas can be added as rows with their own codes.
    """

    __tablename__ = "areas"
    code: Mapped[str] = mapped_column(String(16), nullable=False, unique=True)
    kind: Mapped[str] = mapped_column(
        String(20),
        CheckConstraint("kind IN ('local_authority', 'police_force')", name="area_kind"),
        nullable=False,
    )
    country: Mapped[str] = mapped_column(String(20), nullable=False)
    name_en: Mapped[str] = mapped_column(String(120), nullable=False)
    name_cy: Mapped[str] = mapped_column(String(120), nullable=False)
    # For a local authority, the police force that covers it.
    police_force_code: Mapped[str | None] = mapped_column(ForeignKey("areas.code"))


class Child(DeviceWritable, db.Model):
    __tablename__ = "children"
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id"), nullable=False, index=True
    )
    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id"), nullable=False, index=True)
    assigned_worker_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("people.id"), index=True
    )
    given_name: Mapped[str] = mapped_column(String(120), nullable=False)
    family_name: Mapped[str] = mapped_column(String(120), nullable=False)
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    preferred_language: Mapped[str | None] = mapped_column(String(2))
    looked_after: Mapped[bool] = mapped_column(nullable=False, default=False)
    # The authority responsible for the child, and the one the child lives in.
    placing_authority_code: Mapped[str | None] = mapped_column(ForeignKey("areas.code"))
    host_authority_code: Mapped[str | None] = mapped_column(ForeignKey("areas.code"))
    residential_placement: Mapped[bool] = mapped_column(nullable=False, default=False)
    unaccompanied_asylum_seeking: Mapped[bool] = mapped_column(nullable=False, default=False)
    # Given and family name folded for case and accents (folded_name), kept by every write:
    # the ORM's below, a sync push's through app/cases/sync.py. Searched with LIKE in SQL: the
    # intake's check for possible duplicates, and (a later step) the supervisors' search of
    # their children at scale. Server only: never sent to a tablet, never written by one.
    name_folded: Mapped[str] = mapped_column(String(255), nullable=False, default="",
                                             server_default=text("''"), index=True)

    placing_authority = relationship(Area, foreign_keys=[placing_authority_code])
    host_authority = relationship(Area, foreign_keys=[host_authority_code])
    episodes = relationship(
        "MissingEpisode", back_populates="child", order_by="MissingEpisode.reported_missing_at"
    )


def folded_name(given_name: str | None, family_name: str | None) -> str:
    """What children.name_folded holds: "Siân Jones" as "sian jones". (Folding may lengthen a
    rare character, a ligature say: cut to the column's length.)"""
    return folded(f"{given_name or ''} {family_name or ''}".strip())[:255]


@event.listens_for(Session, "before_flush")
def _fold_names(session, flush_context, instances):
    """Every child made or renamed through the ORM (pages, the API, a conflict's resolution)
    has its folded name kept. Registered after app.core.models' listener, which stamps the
    changed fields' sources: this bookkeeping column is not a field a device merges."""
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, Child):
            wanted = folded_name(obj.given_name, obj.family_name)
            if obj.name_folded != wanted:
                obj.name_folded = wanted


# Who told us a child had returned (a return notice), and what the child asked of their worker.
NOTIFIERS = ("police", "local_authority", "carer", "other")
WORKER_WISHES = ("same", "different", "none")


class MissingEpisode(DeviceWritable, db.Model):
    __tablename__ = "missing_episodes"
    __table_args__ = (
        CheckConstraint(
            "returned_at IS NULL OR returned_at >= reported_missing_at", name="return_after_report"
        ),
    )
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id"), nullable=False, index=True
    )
    child_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("children.id"), nullable=False, index=True
    )
    reported_missing_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Codes from the return_method and risk_grade lists.
    return_method: Mapped[str | None] = mapped_column(String(64))
    risk_grade: Mapped[str | None] = mapped_column(String(64))
    reporting_force_code: Mapped[str | None] = mapped_column(ForeignKey("areas.code"))
    where_found: Mapped[str | None] = mapped_column(Text)
    # The return notice, as the supervisor recorded it at intake (app/intake): who told us the
    # child had come back (a NOTIFIERS code) and when; the return time itself is returned_at.
    # With the child's wish about their worker (a WORKER_WISHES code): the same worker as last
    # time, a different one, or none said. Sent to the tablets, written by the server alone.
    notified_by: Mapped[str | None] = mapped_column(String(32))
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    worker_wish: Mapped[str | None] = mapped_column(String(16))

    child = relationship(Child, back_populates="episodes")
    reporting_force = relationship(Area)
    interviews = relationship("ReturnInterview", back_populates="episode")
