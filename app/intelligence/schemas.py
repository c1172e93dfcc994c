"""The one definition of an intelligence item's fields: what the API and a sync push load, and
what they give back. A vehicle's registration is kept in capitals without spaces, a phone
number in E.164 (when it is a valid number: the rules refuse one that is not)."""

import re

from marshmallow import fields, validate

from app.core.schemas import PageQuery, RecordSchema, code, text
from app.intelligence.models import LIMITS
from app.intelligence.phones import normalised


class Registration(fields.String):
    """A vehicle registration, as the police search for it: "ab12 cde" is kept as "AB12CDE"."""

    def _deserialize(self, value, attr, data, **kwargs):
        written = super()._deserialize(value, attr, data, **kwargs)
        return re.sub(r"\s+", "", written).upper()


class PhoneNumber(fields.String):
    """A phone number, kept in E.164 when it is a valid UK or international number."""

    def _deserialize(self, value, attr, data, **kwargs):
        return normalised(super()._deserialize(value, attr, data, **kwargs))


class IntelligenceItemSchema(RecordSchema):
    organisation_id = fields.UUID(dump_only=True)
    interview_id = fields.UUID(required=True)
    kind = code(required=True, allow_none=False)
    name = text(LIMITS["name"])
    nickname = text(LIMITS["nickname"])
    description = text(LIMITS["description"])
    address_or_place = text(LIMITS["address_or_place"])
    vehicle_registration = Registration(
        allow_none=True, validate=validate.Length(max=LIMITS["vehicle_registration"]))
    vehicle_description = text(LIMITS["vehicle_description"])
    phone_number = PhoneNumber(allow_none=True,
                               validate=validate.Length(max=LIMITS["phone_number"]))
    platform = text(LIMITS["platform"])
    handle = text(LIMITS["handle"])
    relationship = text(LIMITS["relationship"])
    sharing_view = code(allow_none=False)


class IntelligenceItemQuery(PageQuery):
    interview_id = fields.UUID()
    kind = fields.String(validate=validate.Length(max=64))
