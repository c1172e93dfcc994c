"""The limits a tablet checks before it queues a change, served as the reference part `limits`.

They are read off the registered collections, never written beside them: for each field a device
may write, its kind, whether a new record needs it, whether it may be empty (null), its lengths
and choices (its schema field's validators), the code list it draws from (the collection's
code_fields), the reference part whose items it must name (its chosen_from: an area of the
right kind), and the times that must come in order (its time_order). Each message is sent as
its msgid (the English source of our message) and its values, worded by the same steps as the
server's own refusals (app/core/messages.py), for the app to word in the reader's language with
its catalogs, which carry these messages too (app/i18n.py).

A field with a validator of another kind fails here loudly: the tablet would not know that
limit, so it is added here first.
"""

from dataclasses import dataclass

from marshmallow import Schema, ValidationError, fields, validate

from app.core.messages import for_the_app, msgid_of, unknown_codes
from app.i18n import also_worded_by_the_app
from app.syncing import collections as registry
from app.syncing.collections import ReferencePart, SyncCollection

# The kind of each field (the first that fits: a UUID is a string, a date a datetime, to
# marshmallow).
KINDS = ((fields.UUID, "id"), (fields.Date, "date"), (fields.DateTime, "instant"),
         (fields.Boolean, "boolean"), (fields.String, "text"), (fields.List, "list"),
         (fields.Dict, "object"), (fields.Integer, "integer"))
# A value of no field's kind: what a field says of it is the message of its kind.
_NO_KIND = object()


@dataclass(frozen=True)
class CollectionLimits:
    """One collection's limits, as the part's rows."""

    collection: str
    # The field naming the record's parent and the parent's collection (a time order may read
    # the parent), or None.
    parent: dict | None
    field_limits: dict  # by field name
    time_order: list


class LimitsSchema(Schema):
    collection = fields.String(dump_only=True)
    parent = fields.Raw(dump_only=True)
    field_limits = fields.Raw(dump_only=True, data_key="fields")
    time_order = fields.Raw(dump_only=True)


def collection_limits(spec: SyncCollection) -> CollectionLimits:
    schema_fields = spec.schema.fields
    chosen = {choice.field: choice for choice in spec.chosen_from}
    strays = (set(spec.code_fields) | set(chosen)) - spec.device_fields
    if strays:
        raise ValueError(f"{spec.name}: code fields no device writes: {sorted(strays)}")
    limits = {}
    for name in sorted(spec.device_fields):
        field = schema_fields[name]
        limits[name] = field_limits(field, f"{spec.name}.{name}")
        limits[name]["required"] = field.required
        if field.required:
            limits[name]["messages"]["required"] = for_the_app(
                field.error_messages["required"])
        code_list = spec.code_fields.get(name)
        limits[name]["code_list"] = code_list
        if code_list:
            # The codes not in the list are the app's to fill in, as the server does.
            limits[name]["messages"]["code"] = {"msgid": msgid_of(unknown_codes([])),
                                                "params": {}}
        limits[name]["chosen_from"] = _chosen_from(chosen.get(name), limits[name]["messages"])
    return CollectionLimits(
        collection=spec.name,
        parent={"field": spec.parent.field, "collection": spec.parent.collection}
        if spec.parent else None,
        field_limits=limits,
        time_order=[_time_order(spec, order) for order in spec.time_order])


def _chosen_from(choice, messages: dict) -> dict | None:
    """The reference part the value must name an item of, and the items that count."""
    if choice is None:
        return None
    messages["chosen"] = for_the_app(choice.message)
    return {"part": choice.part, "key": choice.key, "where": choice.where}


def field_limits(field: fields.Field, where: str) -> dict:
    """A field's kind, whether it may be null, its lengths and choices, each with its message
    (a list's items and an object's keys and values are fields of their own)."""
    limits = {"kind": _kind(field, where), "null": field.allow_none, "min_length": None,
              "max_length": None, "choices": None,
              "messages": {"kind": _refusal(field.deserialize, _NO_KIND, where)}}
    messages = limits["messages"]
    if not field.allow_none:
        messages["null"] = for_the_app(field.error_messages["null"])
    for validator in field.validators:
        if type(validator) is validate.Length:
            _lengths(validator, limits, where)
        elif type(validator) is validate.OneOf:
            limits["choices"] = list(validator.choices)
            messages["choices"] = _refusal(validator, _NO_KIND, where)
        else:
            raise ValueError(f"{where}: the tablet is not told of a {type(validator).__name__} "
                             "limit: add it to app/syncing/limits.py and static/app/limits.js")
    if isinstance(field, fields.List):
        limits["items"] = field_limits(field.inner, f"{where}[]")
    if isinstance(field, fields.Dict):
        for part, inner in (("keys", field.key_field), ("values", field.value_field)):
            if inner is not None:
                limits[part] = field_limits(inner, f"{where}.{part}")
    return limits


def _kind(field: fields.Field, where: str) -> str:
    for field_type, kind in KINDS:
        if isinstance(field, field_type):
            return kind
    raise ValueError(f"{where}: no kind of limits for a {type(field).__name__} field")


def _lengths(validator: validate.Length, limits: dict, where: str) -> None:
    """The bounds, and the message marshmallow gives for a value just outside each."""
    low = validator.equal if validator.equal is not None else validator.min
    high = validator.equal if validator.equal is not None else validator.max
    limits["min_length"], limits["max_length"] = low, high
    if low:
        limits["messages"]["too_short"] = _refusal(validator, "x" * (low - 1), where)
    if high is not None:
        limits["messages"]["too_long"] = _refusal(validator, "x" * (high + 1), where)


def _refusal(check, value, where: str) -> dict:
    """What the check (a validator, or a field's deserialize) says of this value, as sent."""
    try:
        check(value)
    except ValidationError as error:
        (message,) = error.messages
        return for_the_app(message)
    raise ValueError(f"{where}: {value!r} was expected to be refused")


def _time_order(spec: SyncCollection, order) -> dict:
    """A time order as sent. Its `parent` is the collection holding the earlier time: the
    record's parent, or that parent's parent (a device follows each collection's `parent`)."""
    if order.later not in spec.device_fields:
        raise ValueError(f"{spec.name}: {order.later} is not a field a device writes")
    if not order.via and order.earlier not in spec.device_fields:
        raise ValueError(f"{spec.name}: {order.earlier} is not a field a device writes")
    child = spec
    for field_name, collection in order.via:
        if child.parent is None or (child.parent.field, child.parent.collection) != (
                field_name, collection):
            raise ValueError(f"{spec.name}: {collection} is not {child.name}'s parent")
        child = registry.COLLECTIONS[collection]
        # What a push reads of a stored parent: the link on to the next, or the time.
        needed = order.earlier if child.name == order.parent else child.parent.field
        if needed not in child.read_by_children:
            raise ValueError(f"{spec.name}: add {needed} to {child.name}'s read_by_children")
    return {"later": order.later, "earlier": order.earlier, "parent": order.parent,
            "message": for_the_app(order.message)}


def all_limits() -> list[CollectionLimits]:
    """The limits of every registered collection. Read once for each set of registered
    collections: their schemas and declarations are code, which does not change while the
    server runs, and each pull names the part's version (reading the limits again for each was
    a third of the work of a pull's reference data). So a test that changes a schema registers
    its collection again, with that schema."""
    return _read()[0]


def messages_sent() -> frozenset[str]:
    """The msgid of every message the limits send (the app's catalogs carry them)."""
    return _read()[1]


def _read() -> tuple[list[CollectionLimits], frozenset[str]]:
    specs = tuple(registry.COLLECTIONS.values())
    key = tuple(map(id, specs))
    if _last[0] != key:
        read = [collection_limits(spec) for spec in specs]
        sent = frozenset(_msgids([[one.field_limits, one.time_order] for one in read]))
        _last[:] = [key, (read, sent)]
    return _last[1]


# The ids of the collections last read, and what was read of them (shared: read it, never
# change it).
_last: list = [None, None]


def _msgids(value):
    if isinstance(value, dict):
        if "msgid" in value:
            yield value["msgid"]
        value = list(value.values())
    if isinstance(value, list):
        for inner in value:
            yield from _msgids(inner)


also_worded_by_the_app(messages_sent)
REFERENCE = (ReferencePart("limits", lambda session, person: all_limits(), LimitsSchema()),)
