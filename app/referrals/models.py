"""Referrals (suggested, offered, made, answered, with their outcome, or dismissed with a reason)
and the Active Offer of independent advocacy, one per interview."""

import enum
import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.auth.models import enum_column
from app.core.models import DeviceWritable
from app.core.types import UTCDateTime
from app.extensions import db
from app.referrals.suggesting import suggestion_rules

# The kinds of referral: each a suggestion's kind (app/referrals/suggesting.py names them when
# it suggests one), or "other" for a referral the worker thought of.
# The kinds of referral: each kind the suggestion rules can suggest, and "other" (named in both
# languages with the rules, app/referrals/data/suggestion_rules.json).
KINDS = tuple(suggestion_rules()["kinds"])


class ReferralStatus(enum.StrEnum):
    SUGGESTED = "suggested"
    OFFERED = "offered"
    MADE = "made"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    DISMISSED = "dismissed"


class OfferResponse(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Referral(DeviceWritable, db.Model):
    """One referral of an interview: a kind of help (a suggestion rule's kind, or "other"), the
    service it goes to, and each step with its time."""

    __tablename__ = "referrals"
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id"), nullable=False, index=True
    )
    interview_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("return_interviews.id"), nullable=False, index=True
    )
    kind: Mapped[str] = mapped_column(String(64), nullable=False)
    service_id: Mapped[str | None] = mapped_column(String(64))
    rule: Mapped[str | None] = mapped_column(String(64))
    rule_version: Mapped[int | None] = mapped_column()
    status: Mapped[ReferralStatus] = mapped_column(
        enum_column(ReferralStatus), nullable=False, default=ReferralStatus.SUGGESTED
    )
    suggested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    offered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    made_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    made_to: Mapped[str | None] = mapped_column(Text)
    made_how: Mapped[str | None] = mapped_column(String(64))
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(Text)
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    dismissed_reason: Mapped[str | None] = mapped_column(Text)


class ActiveOffer(DeviceWritable, db.Model):
    """The Active Offer of independent advocacy made at an interview: whether, when and by whom
    it was offered, and the child's answer."""

    __tablename__ = "advocacy_offers"
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id"), nullable=False, index=True
    )
    interview_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("return_interviews.id"), nullable=False, unique=True
    )
    offered: Mapped[bool] = mapped_column(nullable=False, default=False)
    offered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    offered_by: Mapped[str | None] = mapped_column(String(64))
    response: Mapped[OfferResponse] = mapped_column(
        enum_column(OfferResponse), nullable=False, default=OfferResponse.PENDING
    )
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    provider: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)


class RepeatPolicyChoice(db.Model):
    """An organisation's choice of the repeat-episode policy (the rules' `policies`: gwent,
    dyfed_powys, england) for a police force area ("*": any area not named), laid over the
    rules' own defaults (suggesting.policies_by_area)."""

    __tablename__ = "repeat_policy_choices"
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    police_force_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    policy: Mapped[str] = mapped_column(String(40), nullable=False)
