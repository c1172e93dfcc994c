"""The second factor's tables: a person's TOTP secret, and their recovery codes as digests."""

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.core.ids import new_id
from app.core.types import UTCDateTime
from app.extensions import db


class SecondFactor(db.Model):
    """A person's TOTP secret. Until enrolled_at is set the secret is only offered (shown as a
    QR code) and not yet confirmed with a code from their app."""

    __tablename__ = "second_factors"
    person_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("people.id"), primary_key=True)
    secret: Mapped[str] = mapped_column(String(64), nullable=False)  # base32
    enrolled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The TOTP time-step (seconds since 1970 / 30) of the last code accepted: none at or before
    # it is accepted again.
    last_step: Mapped[int | None] = mapped_column(BigInteger)
    wrong_codes: Mapped[int] = mapped_column(nullable=False, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RecoveryCode(db.Model):
    """One recovery code, kept as a SHA-256 of the person's id and the code (60 random bits: a
    salted fast digest is enough for a code no one chose, and the password is needed as well)."""

    __tablename__ = "recovery_codes"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"), nullable=False,
                                                 index=True)
    code_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
