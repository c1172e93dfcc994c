"""What sync keeps beside the records: each mutation's first result, conflicts with both
values, rejected mutations, and removals from a person's scope."""

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.core.ids import new_id
from app.core.types import JSONDocument, UTCDateTime, utcnow
from app.extensions import db


class ResultBatch(db.Model):
    """The first results given for one push's new mutations, in order, answered again for a
    replay. One row per push rather than per mutation: a push of hundreds of mutations writes
    one row, and a replay finds its originals by the range of mutation ids."""

    __tablename__ = "sync_result_batches"
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("devices.id"), primary_key=True)
    last_mutation_id: Mapped[int] = mapped_column(BigInteger, primary_key=True,
                                                  autoincrement=False)
    first_mutation_id: Mapped[int] = mapped_column(BigInteger, nullable=False)
    results: Mapped[list] = mapped_column(JSONDocument, nullable=False)


class SyncConflict(db.Model):
    """The same field changed on a device and elsewhere: both values, until a person decides."""

    __tablename__ = "sync_conflicts"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"),
                                                       nullable=False, index=True)
    collection: Mapped[str] = mapped_column(String(32), nullable=False)
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)
    field: Mapped[str] = mapped_column(String(64), nullable=False)
    server_value: Mapped[object] = mapped_column(JSONDocument, nullable=True)
    device_value: Mapped[object] = mapped_column(JSONDocument, nullable=True)
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("devices.id"), nullable=False)
    mutation_id: Mapped[int] = mapped_column(BigInteger, nullable=False)
    base_rev: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"))
    resolved_value: Mapped[object] = mapped_column(JSONDocument, nullable=True)


class SyncRejection(db.Model):
    """A mutation the server refused, kept so it can be shown and fixed, never silently lost."""

    __tablename__ = "sync_rejections"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"),
                                                       nullable=False, index=True)
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("devices.id"), nullable=False,
                                                 index=True)
    mutation_id: Mapped[int] = mapped_column(BigInteger, nullable=False)
    collection: Mapped[str] = mapped_column(String(32), nullable=False)
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    op: Mapped[str] = mapped_column(String(8), nullable=False)
    fields: Mapped[dict] = mapped_column(JSONDocument, nullable=False)
    # In the language of the push that was refused; errors_by_language holds them in each
    # language of the service ({"cy": {...}, "en": {...}}), for whoever reads them later
    # (null for rows kept before it was added).
    errors: Mapped[dict] = mapped_column(JSONDocument, nullable=False)
    errors_by_language: Mapped[dict | None] = mapped_column(JSONDocument, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)


class ScopeRemoval(db.Model):
    """A record leaving a scope at a revision: deleted, or its child reassigned. scope is
    'worker:<person id>', 'team:<team id>' or 'organisation:<id>'."""

    __tablename__ = "sync_removals"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                    primary_key=True, autoincrement=True)
    rev: Mapped[int] = mapped_column(BigInteger, nullable=False, index=True)
    scope: Mapped[str] = mapped_column(String(80), nullable=False, index=True)
    collection: Mapped[str] = mapped_column(String(32), nullable=False)
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)


class SealedCopy(db.Model):
    """A change a tablet sealed with the server's public key, handed in after a wipe (or from a
    revoked tablet), kept in quarantine: never applied by itself, only when a supervisor says
    so, or discarded with their reason."""

    __tablename__ = "sealed_quarantine"
    __table_args__ = (UniqueConstraint("device_id", "mutation_id"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"),
                                                       nullable=False, index=True)
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("devices.id"), nullable=False,
                                                 index=True)
    mutation_id: Mapped[int] = mapped_column(BigInteger, nullable=False)
    sealed: Mapped[dict] = mapped_column(JSONDocument, nullable=False)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    state: Mapped[str] = mapped_column(String(16), nullable=False, default="waiting")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"))
    reason: Mapped[str | None] = mapped_column(Text)
