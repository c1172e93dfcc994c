"""The one definition of a directory entry's fields, checked whenever the data file is read
(services.py) and used to dump what the tablets are sent (sync.py)."""

import re
from functools import cache

from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from app.cases.services import AREAS_FILE, ENGLISH_AREAS_FILE
from app.core.reference import read_json
from app.directory.hours import hours_problems
from app.directory.phones import is_free_to_call, phone_problem

NEEDS = ("advocacy", "helpline", "exploitation", "trafficking", "emergency", "adults_worried",
         "reporting")
SLUG = validate.Regexp(r"[a-z][a-z0-9_]*\Z", error="A slug: lower case letters, digits and _.")
WEB = re.compile(r"https://[a-z0-9.-]+\.[a-z]{2,}(/\S*)?\Z")  # Regexp matches from the start


@cache
def known_area_codes() -> set[str]:
    """The codes of every area, Welsh and English, as app/cases/data holds them."""
    documents = [read_json(path) for path in (AREAS_FILE, ENGLISH_AREAS_FILE)]
    return {area["code"] for document in documents
            for kind in ("police_forces", "local_authorities") for area in document[kind]}


def not_blank(text: str) -> None:
    if not text.strip():
        raise ValidationError("Write it out: it may not be blank.")


class BilingualSchema(Schema):
    """Both languages, neither empty."""

    en = fields.String(required=True, validate=not_blank)
    cy = fields.String(required=True, validate=not_blank)


class ForWhomSchema(Schema):
    # null: no bound (the service names none).
    min_age = fields.Integer(required=True, allow_none=True, validate=validate.Range(0, 25))
    max_age = fields.Integer(required=True, allow_none=True, validate=validate.Range(0, 25))
    care_status = fields.String(required=True, validate=validate.OneOf(("any", "looked_after")))
    areas = fields.Raw(required=True)  # "all", or area codes (app/cases/data)
    needs = fields.List(fields.String(validate=validate.OneOf(NEEDS)), required=True,
                        validate=validate.Length(min=1))

    @validates("areas")
    def known_areas(self, areas, **_kwargs) -> None:
        if areas == "all":
            return
        if not isinstance(areas, list) or not areas or \
                not all(isinstance(code, str) for code in areas):
            raise ValidationError('"all", or a list of area codes.')
        unknown = sorted(set(areas) - known_area_codes())
        if unknown:
            raise ValidationError(f"Unknown area codes: {unknown}.")

    @validates_schema
    def ages_in_order(self, data, **_kwargs) -> None:
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and low > high:
            raise ValidationError("The youngest age is above the oldest.", "max_age")


class ContactSchema(Schema):
    phone = fields.String(required=True, allow_none=True)
    text = fields.String(required=True, allow_none=True)
    web = fields.String(required=True, allow_none=True,
                        validate=validate.Regexp(WEB, error="An https:// address."))
    chat = fields.Boolean(required=True)

    @validates("phone")
    def phone_number(self, phone, **_kwargs) -> None:
        if phone is not None and (problem := phone_problem(phone)):
            raise ValidationError(problem)

    @validates("text")
    def text_number(self, text, **_kwargs) -> None:
        if text is not None and (problem := phone_problem(text, text=True)):
            raise ValidationError(problem)


class HoursField(fields.Raw):
    """Opening hours (hours.py): refused when they do not parse."""

    def _deserialize(self, value, attr, data, **kwargs):
        problems = hours_problems(value)
        if problems:
            raise ValidationError(problems)
        return value


class ServiceSchema(Schema):
    id = fields.String(required=True, validate=SLUG)
    name = fields.Nested(BilingualSchema, required=True)
    what_it_does = fields.Nested(BilingualSchema, required=True)
    for_whom = fields.Nested(ForWhomSchema, required=True)
    contact = fields.Nested(ContactSchema, required=True)
    free = fields.Boolean(required=True)
    hours = HoursField(required=True, allow_none=True)
    welsh_language = fields.Boolean(required=True)
    independent_advocacy = fields.Boolean(required=True)
    audience = fields.String(required=True, validate=validate.OneOf(("child", "worker", "both")))
    confirmed = fields.Boolean(required=True)

    @validates_schema
    def reachable_and_honest(self, data, **_kwargs) -> None:
        contact = data.get("contact") or {}
        phone = contact.get("phone")
        if data.get("free") and phone is not None and not is_free_to_call(phone):
            raise ValidationError("A free service's phone number is freephone.", "free")
        reachable = any(contact.get(way) for way in ("phone", "text", "web", "chat"))
        if data.get("confirmed") and contact and not reachable:
            raise ValidationError("A confirmed service says how to reach it.", "contact")


class DirectorySchema(Schema):
    version = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    services = fields.List(fields.Nested(ServiceSchema), required=True)

    @validates("services")
    def distinct_ids(self, services, **_kwargs) -> None:
        ids = [service.get("id") for service in services if service.get("id")]
        doubled = sorted({one for one in ids if ids.count(one) > 1})
        if doubled:
            raise ValidationError(f"Ids used twice: {doubled}.")
