"""Referrals as synced collections (referrals, advocacy_offers): what a device may write, their
rules and defaults, and the interview each belongs to; and what a device is sent of the
suggestion rules: the definition (data/suggestion_rules.json) as its one item, the very
document app/referrals/suggesting.py reads, so that the tablet's static/app/suggesting.js
gives the same suggestions offline (served from the file: versioned data shipped with the
release; the part's version is the digest of its dump)."""

from types import SimpleNamespace

from marshmallow import Schema, fields

from app.interviews.rules import NO_SUCH_INTERVIEW
from app.referrals import rules
from app.referrals.models import ActiveOffer, Referral
from app.referrals.policies import rules_for
from app.referrals.schemas import ActiveOfferSchema, ReferralSchema
from app.referrals.services import visible_offers, visible_referrals
from app.syncing.collections import Parent, ReferencePart, SyncCollection


class SuggestionRulesSchema(Schema):
    """The definition's keys, dumped as they are (data/suggestion_rules.json says what each
    holds; tests/referrals/test_suggestion_rules_data.py checks them)."""

    version = fields.Integer(dump_only=True)
    about = fields.String(dump_only=True)
    kinds_about = fields.String(dump_only=True)
    kinds = fields.Raw(dump_only=True)
    conditions = fields.String(dump_only=True)
    windows = fields.String(dump_only=True)
    policies_by_area = fields.Raw(dump_only=True)
    policies_by_area_about = fields.String(dump_only=True)
    coverage = fields.Raw(dump_only=True)
    signs = fields.Raw(dump_only=True)
    rules = fields.Raw(dump_only=True)
    policies = fields.Raw(dump_only=True)


def suggestion_rules_rows(session, person) -> list[SimpleNamespace]:
    # With the person's organisation's choice of repeat policies in place; the dump reads
    # attributes, as of the other parts' rows.
    return [SimpleNamespace(**rules_for(session, person.organisation_id))]


REFERENCE = (ReferencePart("suggestion_rules", suggestion_rules_rows, SuggestionRulesSchema()),)


REFERRALS = SyncCollection(
    name="referrals", model=Referral, schema=ReferralSchema(), visible=visible_referrals,
    device_fields=frozenset({
        "interview_id", "kind", "service_id", "rule", "rule_version", "status", "suggested_at",
        "offered_at", "made_at", "made_to", "made_how", "responded_at", "outcome", "outcome_at",
        "dismissed_reason"}),
    rules=rules.referral_errors,
    parent=Parent("interview_id", "interviews", NO_SUCH_INTERVIEW),
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
    parent=Parent("interview_id", "interviews", NO_SUCH_INTERVIEW),
    defaults=rules.offer_defaults,
    code_fields=rules.OFFER_CODE_FIELDS,
    time_order=rules.OFFER_TIMES,
)

COLLECTIONS = (REFERRALS, ADVOCACY_OFFERS)
