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
