"""Report clients, the areas each is granted, and the access tokens issued to them. Secrets and
tokens are kept only as SHA-256 digests: a copy of the database gives no access."""

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.ids import new_id
from app.core.types import UTCDateTime, utcnow
from app.extensions import db

NAME_LENGTH = 200
SCOPE_LENGTH = 100


class ReportClient(db.Model):
    """A commissioner's system allowed to read its organisation's annual figures for the areas
    granted. Revoked, it gets no token and its tokens stop working."""

    __tablename__ = "report_clients"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id"), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH), nullable=False)
    # The public half of the credentials; the secret is kept only as its SHA-256.
    client_id: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    created_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    grants = relationship("ReportClientArea", order_by="ReportClientArea.area_code",
                          cascade="all, delete-orphan", lazy="selectin")

    @property
    def area_codes(self) -> frozenset[str]:
        return frozenset(grant.area_code for grant in self.grants)


class ReportClientArea(db.Model):
    """An area (local authority or police force) whose figures a client may read."""

    __tablename__ = "report_client_areas"
    client_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("report_clients.id", ondelete="CASCADE"), primary_key=True)
    area_code: Mapped[str] = mapped_column(ForeignKey("areas.code"), primary_key=True)


class ReportToken(db.Model):
    """An access token issued to a client, kept as its SHA-256; it works until expires_at and
    while its client is not revoked."""

    __tablename__ = "report_tokens"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    client_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("report_clients.id", ondelete="CASCADE"), nullable=False, index=True)
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    scope: Mapped[str] = mapped_column(String(SCOPE_LENGTH), nullable=False)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    client = relationship(ReportClient, lazy="joined")
