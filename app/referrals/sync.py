"""Referrals and Active Offers as synced collections: what a device may write, their rules and
defaults, and the interview each belongs to."""

from app.referrals import rules
from app.referrals.models import ActiveOffer, Referral
from app.referrals.schemas import ActiveOfferSchema, ReferralSchema
from app.referrals.services import visible_offers, visible_referrals
from app.syncing.collections import Parent, SyncCollection

REFERRALS = SyncCollection(
    name="referrals", model=Referral, schema=ReferralSchema(), visible=visible_referrals,
    device_fields=frozenset({
        "interview_id", "kind", "service_id", "rule", "rule_version", "status", "suggested_at",
        "offered_at", "made_at", "made_to", "made_how", "responded_at", "outcome", "outcome_at",
        "dismissed_reason"}),
    rules=rules.referral_errors,
    parent=Parent("interview_id", "interviews", rules.NO_SUCH_INTERVIEW),
    defaults=rules.referral_defaults,
    code_fields=rules.REFERRAL_CODE_FIELDS,
    time_order=rules.REFERRAL_TIMES,
    chosen_from=rules.SERVICE,
)

ADVOCACY_OFFERS = SyncCollection(
    name="advocacy_offers", model=ActiveOffer, schema=ActiveOfferSchema(),
    visible=visible_offers,
    device_fields=frozenset({"interview_id", "offered", "offered_at", "offered_by", "response",
                             "responded_at", "provider", "notes"}),
    rules=rules.offer_errors,
    parent=Parent("interview_id", "interviews", rules.NO_SUCH_INTERVIEW),
    defaults=rules.offer_defaults,
    code_fields=rules.OFFER_CODE_FIELDS,
    time_order=rules.OFFER_TIMES,
)

COLLECTIONS = (REFERRALS, ADVOCACY_OFFERS)
