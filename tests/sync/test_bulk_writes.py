"""What the store's bulk INSERTs rely on: they store exactly what SQLAlchemy stores (on SQLite
they go to the DB-API cursor with values converted in app/core/bulk.py), so everything reading
the rows back sees the same records."""

import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select, type_coerce
from sqlalchemy.types import NullType

from app.audit.models import AuditEvent
from app.auth.models import Device
from app.cases.models import MissingEpisode
from app.core.bulk import insert_many, insert_rows
from app.interviews.models import InterviewCode, InterviewStatus, ReturnInterview
from app.syncing.collections import COLLECTIONS
from app.syncing.models import ResultBatch, SyncConflict

CONSENTS = ("pending", "accepted", "declined")


def test_no_field_a_device_writes_takes_null_where_its_column_has_a_default():
    """A Core INSERT writes None as NULL, where the ORM's bulk insert left such a column to its
    default: the two agree only while the schemas refuse null for every such field."""
    for spec in COLLECTIONS.values():
        for column in spec.model.__table__.columns:
            field = spec.schema.fields.get(column.key)
            if column.key in spec.device_fields and column.default is not None:
                assert field is not None and not field.allow_none, (spec.name, column.key)


def stored(session, model, where) -> dict:
    """A row as the database holds it: the driver's values, converted by no column type."""
    table = model.__table__
    columns = [type_coerce(column, NullType()).label(column.key) for column in table.columns]
    return session.execute(select(*columns).where(where)).one()._asdict()


def read(session, model, where) -> dict:
    """A row as the ORM reads it back."""
    session.expire_all()
    obj = session.scalars(select(model).where(where)).one()
    return {column.key: getattr(obj, column.key) for column in model.__table__.columns}


def write_both_ways(session, model, row: dict, key: str, twin_key_value) -> tuple:
    """Writes row with insert_rows, and its twin (row with another key) with a Core INSERT,
    which is what SQLAlchemy itself stores; returns the where clauses of the two."""
    column = model.__table__.c[key]
    insert_rows(session, model.__table__, [row])
    session.execute(model.__table__.insert(), [{**row, key: twin_key_value}])
    session.flush()
    return column == row[key], column == twin_key_value


def assert_alike(session, model, fast, core, differing: set) -> None:
    def without(row):
        return {name: value for name, value in row.items() if name not in differing}

    assert without(stored(session, model, fast)) == without(stored(session, model, core))
    assert without(read(session, model, fast)) == without(read(session, model, core))


def an_episode(session, world) -> MissingEpisode:
    episode = MissingEpisode(organisation_id=world.org_a.id, child_id=world.child.id,
                             reported_missing_at=datetime(2026, 3, 1, tzinfo=UTC))
    session.add(episode)
    session.flush()
    return episode


def test_an_interview_is_stored_as_sqlalchemy_stores_it(session, world):
    episode = an_episode(session, world)
    welsh_time = timezone(timedelta(hours=1))
    row = {
        "id": uuid.uuid4(), "rev": 41, "organisation_id": world.org_a.id,
        "episode_id": episode.id, "interviewer_id": world.worker.id,
        "status": InterviewStatus.SUBMITTED, "consent": "accepted",
        "offered_at": datetime(2026, 3, 2, 9, 30, tzinfo=welsh_time),  # no microseconds
        "conducted_at": datetime(2026, 3, 3, 23, 59, 59, 999_999, tzinfo=welsh_time),
        "consent_recorded_at": datetime(999, 1, 2, 3, 4, 5, tzinfo=UTC),
        "submitted_at": None, "independent_of_police": True,
        "independent_of_local_authority": False, "independent_of_placement": None,
        "language": "cy", "why_missing": "Ŵ ŷ — \"quoted\" \\ back\nslash",
        "local_answers": {"q1": ["Ŷ", 2, None, {"nested": True}], "q2": 1.5},
        "field_sources": {"why_missing": (41, str(uuid.uuid4())), "language": [7, None]},
        "created_at": datetime(2026, 3, 4, tzinfo=UTC),
        "updated_at": datetime(2026, 3, 4, 0, 0, 0, 1, tzinfo=UTC),
    }
    fast, core = write_both_ways(session, ReturnInterview, row, "id", uuid.uuid4())
    assert_alike(session, ReturnInterview, fast, core, differing={"id"})
    assert read(session, ReturnInterview, fast)["field_sources"]["why_missing"][0] == 41


def test_a_column_left_out_gets_its_default_as_with_sqlalchemy(session, world):
    episode = an_episode(session, world)
    now = datetime.now(UTC)
    row = {"id": uuid.uuid4(), "organisation_id": world.org_a.id, "episode_id": episode.id,
           "created_at": now, "updated_at": now, "field_sources": {}}
    fast, core = write_both_ways(session, ReturnInterview, row, "id", uuid.uuid4())
    assert_alike(session, ReturnInterview, fast, core, differing={"id"})
    assert read(session, ReturnInterview, fast)["local_answers"] == {}
    assert read(session, ReturnInterview, fast)["status"] == InterviewStatus.DRAFT


def test_rows_of_other_tables_are_stored_as_sqlalchemy_stores_them(session, world):
    device_id = uuid.uuid4()
    conflict = {"id": uuid.uuid4(), "organisation_id": world.org_a.id,
                "collection": "interviews", "record_id": uuid.uuid4(), "field": "consent",
                "server_value": None, "device_value": "ŵ", "device_id": device_id,
                "mutation_id": 2**40, "base_rev": None, "created_at": datetime.now(UTC)}
    results = {"device_id": device_id, "first_mutation_id": 1, "last_mutation_id": 2,
               "results": [{"mutation_id": 1, "status": "applied", "rev": 3}]}
    session.add(Device(id=device_id, organisation_id=world.org_a.id, person_id=world.worker.id,
                       name="Tablet", last_mutation_id=0))
    session.flush()
    assert_alike(session, SyncConflict,
                 *write_both_ways(session, SyncConflict, conflict, "id", uuid.uuid4()),
                 differing={"id"})
    assert_alike(session, ResultBatch,
                 *write_both_ways(session, ResultBatch, results, "last_mutation_id", 3),
                 differing={"last_mutation_id"})


@given(at=st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30),
                       timezones=st.sampled_from([UTC, timezone(timedelta(hours=1)),
                                                  timezone(timedelta(hours=-9, minutes=-30))])),
       record_id=st.uuids() | st.none())
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_instant_and_uuid_are_stored_as_sqlalchemy_stores_them(session, world, at, record_id):
    row = {"organisation_id": world.org_a.id, "person_id": world.worker.id, "at": at,
           "action": "sync-create", "collection": "interviews", "record_id": record_id}
    insert_rows(session, AuditEvent.__table__, [row])
    session.execute(AuditEvent.__table__.insert(), [row])
    fast, core = session.scalars(select(AuditEvent.id).order_by(AuditEvent.id.desc())
                                 .limit(2)).all()[::-1]
    assert_alike(session, AuditEvent, AuditEvent.id == fast, AuditEvent.id == core,
                 differing={"id"})
    session.execute(delete(AuditEvent))


def test_codes_are_stored_as_sqlalchemy_stores_them(session, world):
    episode = an_episode(session, world)
    interview = ReturnInterview(organisation_id=world.org_a.id, episode_id=episode.id)
    session.add(interview)
    session.flush()
    row = {"interview_id": interview.id, "list_name": "push_factor", "code": "ŵ_code"}
    insert_rows(session, InterviewCode.__table__, [row])
    session.execute(InterviewCode.__table__.insert(), [{**row, "code": "other"}])
    assert_alike(session, InterviewCode, InterviewCode.code == "ŵ_code",
                 InterviewCode.code == "other", differing={"code"})


@pytest.mark.parametrize("count", [1, 63, 64, 65, 200])
def test_many_rows_are_each_stored_once_as_sqlalchemy_stores_them(session, world, count):
    """On SQLite many rows go in statements of several rows each, values that repeat down a
    column converted once: every row must still be stored once, with its own values."""
    episode = an_episode(session, world)
    start = datetime(2026, 3, 2, 9, 30, tzinfo=timezone(timedelta(hours=1)))
    now = datetime.now(UTC)
    rows = [{"id": uuid.uuid4(), "rev": n + 1, "organisation_id": world.org_a.id,
             "episode_id": episode.id, "interviewer_id": world.worker.id,
             "status": list(InterviewStatus)[n % 4], "consent": CONSENTS[n % 3],
             "independent_of_police": (True, False, None)[n % 3],
             "offered_at": start + timedelta(minutes=n), "why_missing": f"rheswm {n} ŵ",
             "local_answers": {"n": n}, "field_sources": {"why_missing": [n + 1, None]},
             "created_at": now, "updated_at": now} for n in range(count)]
    twins = {row["id"]: uuid.uuid4() for row in rows}

    insert_rows(session, ReturnInterview.__table__, rows)
    session.execute(ReturnInterview.__table__.insert(),
                    [{**row, "id": twins[row["id"]]} for row in rows])
    session.flush()

    assert session.scalar(select(func.count()).select_from(ReturnInterview).where(
        ReturnInterview.episode_id == episode.id)) == 2 * count
    for row in rows:
        assert_alike(session, ReturnInterview, ReturnInterview.id == row["id"],
                     ReturnInterview.id == twins[row["id"]], differing={"id"})
        assert read(session, ReturnInterview, ReturnInterview.id == row["id"])["rev"] == row["rev"]


def test_ids_made_for_rows_that_leave_them_out_are_all_different(session, world):
    """A default made afresh for each row (a new id) is converted for that row alone."""
    episode = an_episode(session, world)
    now = datetime.now(UTC)
    rows = [{"rev": n + 1, "organisation_id": world.org_a.id, "episode_id": episode.id,
             "created_at": now, "updated_at": now, "field_sources": {}} for n in range(200)]

    insert_rows(session, ReturnInterview.__table__, rows)

    made = session.scalars(select(ReturnInterview.id).where(
        ReturnInterview.episode_id == episode.id)).all()
    assert len(made) == 200 and len(set(made)) == 200


AUDITED = {"action": "sync-create", "collection": "interviews"}


@given(at=st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30),
                       timezones=st.sampled_from([UTC, timezone(timedelta(hours=-9))])),
       record_ids=st.lists(st.uuids() | st.none(), min_size=1, max_size=6))
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_rows_sharing_values_are_stored_as_sqlalchemy_stores_them(session, world, at,
                                                                  record_ids):
    """insert_many: values every row shares, and one column of each row's own (on SQLite the
    rows go as a JSON array that SQLite unpacks)."""
    same = {"organisation_id": world.org_a.id, "person_id": world.worker.id, "at": at, **AUDITED}
    insert_many(session, AuditEvent.__table__, same, ("record_id",),
                [(record_id,) for record_id in record_ids])
    session.execute(AuditEvent.__table__.insert(),
                    [{**same, "record_id": record_id} for record_id in record_ids])
    made = session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)).all()
    assert len(made) == 2 * len(record_ids)
    fast, core = made[:len(record_ids)], made[len(record_ids):]
    for fast_id, core_id, record_id in zip(fast, core, record_ids, strict=True):
        assert_alike(session, AuditEvent, AuditEvent.id == fast_id, AuditEvent.id == core_id,
                     differing={"id"})
        assert read(session, AuditEvent, AuditEvent.id == fast_id)["record_id"] == record_id
    session.execute(delete(AuditEvent))


def test_rows_of_several_columns_are_each_stored_once_in_order(session, world):
    episode = an_episode(session, world)
    interviews = [ReturnInterview(organisation_id=world.org_a.id, episode_id=episode.id)
                  for _ in range(3)]
    session.add_all(interviews)
    session.flush()
    rows = [(interview.id, list_name, f"{list_name}_{n}_ŵ") for n, interview in enumerate(interviews)
            for list_name in ("push_factor", "pull_factor")]

    insert_many(session, InterviewCode.__table__, {}, ("interview_id", "list_name", "code"),
                rows)

    stored_rows = session.execute(select(InterviewCode.interview_id, InterviewCode.list_name,
                                         InterviewCode.code)).all()
    assert sorted(map(tuple, stored_rows)) == sorted(rows)
    for interview_id, list_name, code in rows:
        session.execute(InterviewCode.__table__.insert(),
                        [{"interview_id": interview_id, "list_name": list_name,
                          "code": code + "_core"}])
        assert_alike(session, InterviewCode, InterviewCode.code == code,
                     InterviewCode.code == code + "_core", differing={"code"})


def test_rows_sharing_values_must_give_every_column_made_in_python(session, world):
    """Left out, the time of an audit event would be NULL on SQLite: refused on every
    database alike, before anything is written."""
    same = {"organisation_id": world.org_a.id, "person_id": world.worker.id, **AUDITED}
    with pytest.raises(ValueError, match="give at for audit_events"):
        insert_many(session, AuditEvent.__table__, same, ("record_id",), [(uuid.uuid4(),)])
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_a_column_given_both_as_shared_and_as_varying_is_refused(session, world):
    """The two paths would store different ones of its two values: refused on every database
    alike, before anything is written."""
    same = {"organisation_id": world.org_a.id, "person_id": world.worker.id, **AUDITED,
            "at": datetime(2026, 3, 1, tzinfo=UTC)}
    with pytest.raises(ValueError, match="give collection in same or in varying, not in both"):
        insert_many(session, AuditEvent.__table__, same, ("record_id", "collection"),
                    [(uuid.uuid4(), "episodes")])
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == 0
