"""UTCDateTime on SQLite writes and reads its text in one step each way: the same text and the
same instants as SQLAlchemy's DateTime with the UTC steps of process_bind_param and
process_result_value, so rows written before and after read alike."""

import json
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import JSON, DateTime, bindparam, select, type_coerce
from sqlalchemy.dialects import sqlite

from app.core.types import FieldSources, JSONDocument, UTCDateTime, json_text, json_value

DIALECT = sqlite.dialect()
DATETIME_BIND = DateTime().dialect_impl(DIALECT).bind_processor(DIALECT)
DATETIME_RESULT = DateTime().dialect_impl(DIALECT).result_processor(DIALECT, None)
UTC_BIND = UTCDateTime().dialect_impl(DIALECT).bind_processor(DIALECT)
UTC_RESULT = UTCDateTime().dialect_impl(DIALECT).result_processor(DIALECT, None)

ZONES = st.sampled_from([UTC, timezone(timedelta(0)), timezone(timedelta(hours=1)),
                         timezone(timedelta(hours=-9, minutes=-30)),
                         timezone(timedelta(hours=5, minutes=45, seconds=30)),
                         ZoneInfo("Europe/London")])
INSTANTS = st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30),
                        timezones=ZONES)


@given(INSTANTS)
def test_an_instant_is_stored_as_datetime_stores_it_in_utc(at):
    assert UTC_BIND(at) == DATETIME_BIND(at.astimezone(UTC).replace(tzinfo=None))


@given(INSTANTS)
def test_the_stored_text_reads_back_as_the_same_instant_in_utc(at):
    text = UTC_BIND(at)
    read = UTC_RESULT(text)
    # In UTC: an instant in a zone's fold compares unequal to any instant in another zone.
    assert read == at.astimezone(UTC) and read.tzinfo is UTC
    assert read == DATETIME_RESULT(text).replace(tzinfo=UTC)


@pytest.mark.parametrize("text", ["2026-03-01 12:00:00", "2026-03-01", "2026-03-01T12:00:00.5"])
def test_text_written_otherwise_reads_as_datetime_reads_it(text):
    assert UTC_RESULT(text) == DATETIME_RESULT(text).replace(tzinfo=UTC)


def test_null_stays_null_both_ways():
    assert UTC_BIND(None) is None and UTC_RESULT(None) is None


def test_a_time_without_a_zone_is_refused():
    with pytest.raises(ValueError, match="naive"):
        UTC_BIND(datetime(2026, 3, 1, 12))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12)


@given(JSON_VALUES)
def test_a_json_column_reads_back_what_json_reads_from_its_text(value):
    text = json_text(value)
    assert json_value(text) == json.loads(text)
    assert json_value(text.encode()) == json.loads(text)


@pytest.mark.parametrize("text", ['"\\ud800 alone"', "[1e400, -1e400]", "[NaN, 2]"])
def test_text_only_json_writes_reads_as_json_reads_it(text):
    assert repr(json_value(text)) == repr(json.loads(text))


@pytest.mark.parametrize("value", [{"big": 2**70, "small": -(2**65)}, [1.5, -0.0, "ŵŷ", None]])
def test_values_only_json_reads_come_back_from_the_database(session, value):
    """A rejected mutation keeps its fields as sent, integers beyond 64 bits too."""
    stored = bindparam("value", value, type_=JSONDocument)
    assert session.scalar(select(type_coerce(stored, JSONDocument))) == value


@pytest.mark.parametrize("text", ["2026-03-01 12:00:00 ", "2026-03-01T12T", "20260301T1200050",
                                  "0001-01-01 0000400"])
def test_malformed_text_is_refused_as_datetime_refuses_it(text):
    with pytest.raises(ValueError):
        DATETIME_RESULT(text)
    with pytest.raises(ValueError):
        UTC_RESULT(text)


FIELD_NAMES = st.sampled_from(["episode_id", "consent", "why_missing", "status", "ŵ"])
SOURCES = st.tuples(st.integers(min_value=1, max_value=2**40),
                    st.none() | st.sampled_from(["01a24267-9f82-7bc9-983a-953fcf383413",
                                                 "tablet-2"]))


@pytest.mark.parametrize("serializer", [json_text, None])
@given(sources=st.none() | st.dictionaries(FIELD_NAMES, SOURCES, max_size=5))
def test_field_sources_are_written_as_the_steps_of_their_type_write_them(serializer, sources):
    """FieldSources' own binding on SQLite gives the text that grouping them and then JSON's
    processor give (with the app's serializer, and with json.dumps, JSON's own)."""
    dialect = sqlite.dialect(json_serializer=serializer)
    field_sources = FieldSources()
    steps = JSON().dialect_impl(dialect).bind_processor(dialect)
    expected = steps(field_sources.process_bind_param(sources, dialect))
    assert field_sources.dialect_impl(dialect).bind_processor(dialect)(sources) == expected
