"""Column types that behave the same on SQLite and PostgreSQL."""

import json
from datetime import UTC, datetime

import orjson
from sqlalchemy import JSON, DateTime
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator

# JSON on SQLite, JSONB (indexable, compact) on PostgreSQL.
JSONDocument = JSON().with_variant(JSONB(), "postgresql")


def json_text(value) -> str:
    """The text a JSON column stores (the engines' json_serializer). orjson writes it several
    times faster than json.dumps, which matters for a sync push: each record it writes carries
    its field_sources as JSON. Keys that are not strings become strings, as json.dumps makes
    them; what orjson cannot write (an integer beyond 64 bits) json.dumps writes as before."""
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    except orjson.JSONEncodeError:
        return json.dumps(value)


class UTCDateTime(TypeDecorator):
    """Stores an aware datetime as naive UTC and gives it back aware (UTC).

    SQLite has no time zones, so every instant is normalised to UTC on the way in; a naive
    value is refused because it would be ambiguous across the clocks changing.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: give a time zone (times are stored in UTC)")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class FieldSources(TypeDecorator):
    """A record's field_sources: in Python, {field: [revision, source]}; stored as groups,
    [[revision, source, [field, ...]], ...], one for each (revision, source) that fields share.

    A record made by one change has every field from the same revision and device: stored per
    field, its device's id was written once for each field, about 1,000 bytes of every
    interview (most of what a sync push wrote). Grouped, it is written once."""

    impl = JSON
    cache_ok = True
    hashable = False  # a dict: as JSON, so that the ORM never tries to hash one

    def load_dialect_impl(self, dialect):
        return dialect.type_descriptor(JSONB() if dialect.name == "postgresql" else JSON())

    def process_bind_param(self, value, dialect):
        return None if value is None else grouped_sources(value)

    def process_result_value(self, value, dialect):
        return None if value is None else sources_by_field(value)


def grouped_sources(sources: dict) -> list:
    if not sources:
        return []
    sources_in_order = list(sources.values())
    first = sources_in_order[0]
    if sources_in_order.count(first) == len(sources_in_order):
        # A record one change made: one group, found without a Python step per field.
        return [[first[0], first[1], list(sources)]]
    groups: dict[tuple, list[str]] = {}
    last_source = names = None
    for name, source in sources.items():
        # Fields changed together share one (revision, source) object: look it up once a run.
        if source is not last_source:
            names = groups.setdefault((source[0], source[1]), [])
            last_source = source
        names.append(name)
    return [[revision, device, names] for (revision, device), names in groups.items()]


def sources_by_field(groups: list) -> dict:
    return {name: [revision, device] for revision, device, names in groups for name in names}
