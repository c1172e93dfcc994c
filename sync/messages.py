"""The shapes of push and pull messages, checked with marshmallow before anything is applied."""

import uuid

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


_MUTATION_KEYS = frozenset({"mutation_id", "collection", "id", "op", "base_rev", "fields",
                            "device_time"})
_OPS = frozenset({UPSERT, DELETE})


class _NotPlain(Exception):
    """The fast check cannot vouch for this body: the schema judges it (and words the errors)."""


def load_push_request(body) -> dict:
    """The same as PushRequestSchema().load(body), for a well-formed push without marshmallow's
    per-field machinery (most of the cost of a large batch). It accepts only what the schema
    accepts and returns what the schema returns; anything else, or anything unusual, goes to the
    schema, so every refusal keeps the schema's own messages."""
    try:
        return _load_plain_push(body)
    except (_NotPlain, ValueError):
        return PushRequestSchema().load(body)


def _load_plain_push(body) -> dict:
    if type(body) is not dict or body.keys() != {"protocol", "device_id", "mutations"}:
        raise _NotPlain
    protocol, device_id, mutations = body["protocol"], body["device_id"], body["mutations"]
    if type(protocol) is not int or protocol != PROTOCOL_VERSION or type(device_id) is not str \
            or type(mutations) is not list:
        raise _NotPlain
    loaded = [_plain_mutation(m) for m in mutations]
    ids = [m.mutation_id for m in loaded]
    if any(b <= a for a, b in zip(ids, ids[1:], strict=False)):
        raise _NotPlain
    return {"protocol": protocol, "device_id": uuid.UUID(device_id), "mutations": loaded}


def _plain_mutation(m) -> Mutation:
    """One mutation as MutationSchema loads it, checking each type exactly (an int that is not a
    bool, a str) so that nothing the schema would refuse or convert gets through."""
    if type(m) is not dict or not m.keys() <= _MUTATION_KEYS:
        raise _NotPlain
    mutation_id, collection = m.get("mutation_id"), m.get("collection")
    op, base_rev, record_id = m.get("op"), m.get("base_rev", False), m.get("id")
    fields_, device_time = m.get("fields", {}), m.get("device_time")
    if type(mutation_id) is not int or mutation_id < 1 or type(collection) is not str \
            or not 1 <= len(collection) <= 64 or type(op) is not str or op not in _OPS \
            or (base_rev is not None and type(base_rev) is not int) \
            or type(record_id) is not str or type(fields_) is not dict \
            or (device_time is not None and type(device_time) is not str):
        raise _NotPlain
    return Mutation(mutation_id=mutation_id, collection=collection, id=uuid.UUID(record_id),
                    op=op, base_rev=base_rev, fields=dict(fields_), device_time=device_time)


class PullQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    cursor = fields.String(load_default=None)
    limit = fields.Integer(load_default=500, validate=validate.Range(min=1, max=5000))
