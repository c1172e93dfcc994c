from marshmallow import fields

from app.core.schemas import PageQuery, RecordSchema, bilingual


class CodeListItemSchema(RecordSchema):
    list_name = fields.String(dump_only=True)
    code = fields.String(dump_only=True)
    label = fields.Function(lambda item: bilingual(item, "label"), dump_only=True)
    position = fields.Integer(dump_only=True)
    active = fields.Boolean(dump_only=True)
    organisation_id = fields.UUID(dump_only=True)


class CodeListQuery(PageQuery):
    list_name = fields.String()
