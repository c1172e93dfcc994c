"""The shapes of push and pull messages, checked with marshmallow before anything is applied."""

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)

from sync.protocol import DELETE, PROTOCOL_VERSION, UPSERT, Mutation


class MutationSchema(Schema):
    class Meta:
        unknown = RAISE

    mutation_id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    collection = fields.String(required=True, validate=validate.Length(min=1, max=64))
    id = fields.UUID(required=True)
    op = fields.String(required=True, validate=validate.OneOf([UPSERT, DELETE]))
    base_rev = fields.Integer(required=True, allow_none=True, strict=True)
    # JSON object keys are always strings; which names are allowed is the store's to say.
    fields_ = fields.Dict(data_key="fields", load_default=dict)
    device_time = fields.String(load_default=None, allow_none=True)

    @post_load
    def make(self, data, **kwargs) -> Mutation:
        return Mutation(mutation_id=data["mutation_id"], collection=data["collection"],
                        id=data["id"], op=data["op"], base_rev=data["base_rev"],
                        fields=data["fields_"], device_time=data["device_time"])


class PushRequestSchema(Schema):
    class Meta:
        unknown = RAISE

    protocol = fields.Integer(required=True, validate=validate.Equal(PROTOCOL_VERSION))
    device_id = fields.UUID(required=True)
    mutations = fields.List(fields.Nested(MutationSchema), required=True)

    @validates_schema
    def increasing(self, data, **kwargs):
        ids = [m.mutation_id for m in data.get("mutations", [])]
        if any(b <= a for a, b in zip(ids, ids[1:], strict=False)):
            raise ValidationError("mutation_id must be strictly increasing", "mutations")


class PullQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    cursor = fields.String(load_default=None)
    limit = fields.Integer(load_default=500, validate=validate.Range(min=1, max=5000))
