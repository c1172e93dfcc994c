"""The one definition of the fields of a referral and of an Active Offer."""

from marshmallow import fields, validate

from app.core.schemas import PageQuery, RecordSchema, code, instant, text
from app.referrals.models import KINDS, OfferResponse, ReferralStatus

REFERRAL_STATUS = validate.OneOf([s.value for s in ReferralStatus])
RESPONSE = validate.OneOf([r.value for r in OfferResponse])
KIND = validate.OneOf(KINDS)


class ReferralSchema(RecordSchema):
    organisation_id = fields.UUID(dump_only=True)
    interview_id = fields.UUID(required=True)
    kind = fields.String(required=True, validate=KIND)
    service_id = code()
    rule = code()
    rule_version = fields.Integer(allow_none=True, strict=True)  # (its range: rules.py)
    status = fields.String(validate=REFERRAL_STATUS)
    suggested_at = instant()
    offered_at = instant()
    made_at = instant()
    made_to = text(500)
    made_how = code()
    responded_at = instant()
    outcome = text(5000)
    outcome_at = instant()
    dismissed_reason = text(2000)


class ReferralQuery(PageQuery):
    interview_id = fields.UUID()
    status = fields.String(validate=REFERRAL_STATUS)
    kind = fields.String(validate=KIND)


class ActiveOfferSchema(RecordSchema):
    organisation_id = fields.UUID(dump_only=True)
    interview_id = fields.UUID(required=True)
    offered = fields.Boolean()
    offered_at = instant()
    offered_by = code()
    response = fields.String(validate=RESPONSE)
    responded_at = instant()
    provider = text(200)
    notes = text(5000)


class ActiveOfferQuery(PageQuery):
    interview_id = fields.UUID()
    response = fields.String(validate=RESPONSE)
