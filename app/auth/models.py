"""Organisations, teams, people and their server-side sign-in sessions."""

import enum
import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Enum, ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.ids import new_id
from app.core.models import SyncedRecord, Timestamped
from app.core.types import UTCDateTime
from app.extensions import db


class Role(enum.StrEnum):
    WORKER = "worker"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    COMMISSIONER = "commissioner"


def enum_column(enum_class):
    # Stored as text with a CHECK, the same on SQLite and PostgreSQL, so adding a value is easy.
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        name=enum_class.__name__.lower(),
    )


class Organisation(SyncedRecord, db.Model):
    __tablename__ = "organisations"
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    # Whether the organisation is independent of police and local authority (DOMAIN.md).
    kind: Mapped[str] = mapped_column(String(40), nullable=False, default="independent_service")


class Team(SyncedRecord, db.Model):
    __tablename__ = "teams"
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    organisation = relationship(Organisation)


class Person(SyncedRecord, db.Model):
    __tablename__ = "people"
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id"), nullable=False, index=True
    )
    team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("teams.id"), index=True)
    email: Mapped[str] = mapped_column(String(320), nullable=False, unique=True)
    display_name: Mapped[str] = mapped_column(String(200), nullable=False)
    role: Mapped[Role] = mapped_column(enum_column(Role), nullable=False)
    preferred_language: Mapped[str | None] = mapped_column(String(2))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(nullable=False, default=True)
    # Who the person is at their organisation's OpenID Connect provider (issuer, subject), so that
    # a changed e-mail address still finds them; none for local accounts.
    oidc_issuer: Mapped[str | None] = mapped_column(String(500))
    oidc_subject: Mapped[str | None] = mapped_column(String(255))
    organisation = relationship(Organisation)
    team = relationship(Team)
    __table_args__ = (Index("ix_people_oidc_identity", "oidc_issuer", "oidc_subject", unique=True),)


class SignInSession(Timestamped, db.Model):
    """A server-side session: the cookie holds only a random token's id, so a session can be ended."""

    __tablename__ = "sign_in_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("people.id"), nullable=False, index=True
    )
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    person = relationship(Person)


class Device(Timestamped, db.Model):
    """A tablet enrolled by a signed-in person. Its tokens work only while it is not revoked."""

    __tablename__ = "devices"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id"), nullable=False, index=True
    )
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"), nullable=False,
                                                 index=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str | None] = mapped_column(String(64))
    # Signed out everywhere by its person: its tokens work no more, but unlike a revoked device
    # it is not told to erase anything; the person signs in on the tablet again.
    signed_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The highest mutation_id this device has had processed: a replay applies nothing twice.
    last_mutation_id: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    # What the tablet last said of itself (sync/PROTOCOL.md, "What a device reports"): how many
    # changes its outbox held unsent, its app version, and when it said so. Null until it does.
    unsent_count: Mapped[int | None] = mapped_column()
    app_version: Mapped[str | None] = mapped_column(String(64))
    reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The cursor this device was last given with more pages waiting, and when: the next page of
    # that pull does not settle again which cases leave the tablet (app/syncing/retiring.py).
    continuing_cursor: Mapped[str | None] = mapped_column(String(200))
    continuing_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    person = relationship(Person)


class RefreshToken(db.Model):
    """A device's refresh token, kept only as a SHA-256. Each is spent on use; presenting a
    spent one again means it was copied, and revokes the device."""

    __tablename__ = "refresh_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("devices.id"), nullable=False,
                                                 index=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    spent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SignInThrottle(db.Model):
    """Wrong passwords in a row for one e-mail address or one network address, kept under a
    keyed digest of it (never the address itself, never a password), so that guessing slows
    down and then stops for a while. A row for an e-mail address no account has behaves the same,
    so a refusal does not tell whether an account exists."""

    __tablename__ = "sign_in_throttles"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)  # "account" or "address"
    failures: Mapped[int] = mapped_column(nullable=False, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
