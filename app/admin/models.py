"""Invitations: a one-time link for a new person to set their password (or to learn that they
sign in with their organisation's account)."""

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import Person
from app.core.ids import new_id
from app.core.models import Timestamped
from app.core.types import UTCDateTime
from app.extensions import db


class Invitation(Timestamped, db.Model):
    """The link's token is kept only as a SHA-256: a copy of the database opens no account.
    Spent on use, and by a newer invitation or deactivation of the person."""

    __tablename__ = "invitations"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id"), nullable=False, index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"), nullable=False,
                                                 index=True)
    # Who invited them; none when `flask create-organisation` made the first admin.
    invited_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"))
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    spent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    person = relationship(Person, foreign_keys=[person_id])
