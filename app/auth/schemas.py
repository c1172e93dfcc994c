from marshmallow import fields

from app.core.schemas import LANGUAGE, PageQuery, RecordSchema


class PersonSchema(RecordSchema):
    organisation_id = fields.UUID(dump_only=True)
    team_id = fields.UUID(dump_only=True)
    email = fields.Email(dump_only=True)
    display_name = fields.String(dump_only=True)
    role = fields.String(dump_only=True)
    preferred_language = fields.String(allow_none=True, validate=LANGUAGE)
    active = fields.Boolean(dump_only=True)


class PeopleQuery(PageQuery):
    role = fields.String()
    team_id = fields.UUID()
