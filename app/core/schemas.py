"""Field helpers shared by every capability's marshmallow schemas."""

from marshmallow import Schema, ValidationError, fields, validate

LANGUAGE = validate.OneOf(["cy", "en"])


class RecordSchema(Schema):
    """Fields every synced record has: a client-made UUID, times and the server revision."""

    id = fields.UUID()
    rev = fields.Integer(dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)


class PageQuery(Schema):
    """Paging parameters every list accepts; a list's filters extend it."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=None, validate=validate.Range(min=1))


def text(max_length: int | None = None, **kwargs):
    checks = [validate.Length(max=max_length)] if max_length else []
    return fields.String(**({"allow_none": True} | kwargs), validate=checks)


def instant(**kwargs):
    """A moment in time; it must carry a UTC offset (a bare local time is ambiguous)."""
    return fields.AwareDateTime(**({"allow_none": True} | kwargs))


def code(**kwargs):
    """A code from a code list; the service checks it against the list."""
    return fields.String(**({"allow_none": True} | kwargs), validate=validate.Length(min=1, max=64))


def bilingual(obj, attribute: str) -> dict:
    return {"en": getattr(obj, f"{attribute}_en"), "cy": getattr(obj, f"{attribute}_cy")}


def load_changed_fields(schema: Schema, data: dict) -> dict:
    """Loads a partial update field by field: the same fields, types and validators as
    schema.load(data, partial=True), without the schema's per-call machinery, which is most of
    the cost of a sync push. Anything unusual (an unknown field, a bad value) goes through the
    full load, so the error messages are the schema's own."""
    loaded = {}
    try:
        for name, value in data.items():
            field = schema.load_fields[name]
            if field.dump_only:
                raise KeyError(name)
            loaded[field.attribute or name] = field.deserialize(value, name, data)
    except (KeyError, ValidationError):
        return schema.load(data, partial=True)
    return loaded
