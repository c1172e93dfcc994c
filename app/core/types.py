"""Column types that behave the same on SQLite and PostgreSQL."""

import json
import re
from datetime import UTC, datetime, timedelta

import msgspec
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


def json_value(text: str | bytes):
    """The value a JSON column's text holds (the engines' json_deserializer): msgspec reads it
    several times faster than json.loads, and as exactly, integers beyond 64 bits too (orjson
    would make those floats). What msgspec refuses and json_text may have written (a lone
    surrogate escaped, NaN) json.loads reads as before."""
    try:
        return _read_json(text)
    except msgspec.DecodeError:
        return json.loads(text)


_read_json = msgspec.json.Decoder().decode


NAIVE_REFUSED = "naive datetime: give a time zone (times are stored in UTC)"


class UTCDateTime(TypeDecorator):
    """Stores an aware datetime as naive UTC and gives it back aware (UTC).

    SQLite has no time zones, so every instant is normalised to UTC on the way in; a naive
    value is refused because it would be ambiguous across the clocks changing.

    On SQLite, which stores the instant as text, the text is written and read in one step each
    way (sqlite_text, from_sqlite_text), giving what DateTime's own processors and the steps
    below give (a test holds). A sync push writes two instants of each of its hundreds of
    interviews and a pull reads several of each record, and on these machines
    datetime.replace costs several times what parsing the whole text does.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError(NAIVE_REFUSED)
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)

    def bind_processor(self, dialect):
        if dialect.name == "sqlite":
            return sqlite_text
        return super().bind_processor(dialect)

    def result_processor(self, dialect, coltype):
        if dialect.name == "sqlite":
            return from_sqlite_text
        return super().result_processor(dialect, coltype)


_NO_OFFSET = timedelta(0)


def sqlite_text(value: datetime | None) -> str | None:
    """An aware instant as SQLite's DATETIME stores it: UTC, naive, always with microseconds."""
    if value is None:
        return None
    offset = value.utcoffset()
    if offset is None:
        raise ValueError(NAIVE_REFUSED)
    if offset != _NO_OFFSET:
        value = value.astimezone(UTC)
    # An instant at UTC is written with the offset "+00:00" last: the text without it.
    return value.isoformat(" ", "microseconds")[:-6]


def from_sqlite_text(value: str | None) -> datetime | None:
    """The aware instant (UTC) that SQLite's DATETIME text names."""
    if value is None:
        return None
    if _AS_WRITTEN.fullmatch(value):
        return datetime.fromisoformat(value + "+00:00")
    # Not the text sqlite_text writes (a date alone, say): read as DateTime reads any other.
    # (Only that text is given its offset before parsing: with one, Python reads some
    # malformed texts that it refuses without.)
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


_AS_WRITTEN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}")


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

    def bind_processor(self, dialect):
        """On SQLite, what the steps of process_bind_param and then JSON's own processor give,
        in one function: a push writes field_sources for each of its hundreds of records, and
        the steps between cost more than grouping and writing them (a test holds the two
        alike)."""
        if dialect.name != "sqlite":
            return super().bind_processor(dialect)
        serialize = dialect._json_serializer or json.dumps

        def process(value):
            return serialize(None if value is None else grouped_sources(value))

        return process

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
