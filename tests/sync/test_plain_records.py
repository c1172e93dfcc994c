"""A pull reads its records as plain rows and dumps them without marshmallow's machinery
(app/syncing/plain_records.py, app/core/dumping.py). What it sends must be exactly what the
JSON API's schemas give for the same records loaded through the ORM: checked here on cases of
every shape, derived fields included (repeat counts, the 72-hour clock, out of area)."""

import json
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete
from sqlalchemy.orm import Session

from app.auth.models import Role
from app.auth.services import add_organisation, add_person
from app.cases.models import Area, Child, MissingEpisode
from app.core.dumping import quick_dumper
from app.interviews.models import (
    CODED_ANSWERS,
    Consent,
    InterviewAttempt,
    InterviewStatus,
    ReturnInterview,
)
from app.syncing.collections import COLLECTIONS, REFERENCE_PARTS
from app.syncing.store import SqlStore
from tests.conftest import remove_test_rows

# An area outside Wales, so that "placed outside Wales" is seen both ways.
ENGLISH_AREA = "E06000999"
WELSH_AREAS = ["W06000001", "W06000011", "W06000015"]

# Text either database keeps (PostgreSQL keeps no NUL, in text or in JSON).
storable = st.characters(codec="utf-8", exclude_characters="\x00")
texts = st.text(storable, max_size=30)
maybe_text = st.none() | texts
maybe_bool = st.none() | st.booleans()
codes = st.none() | st.sampled_from(["phone", "visit", "no_answer", "found_by_police"])
# Instants in several offsets (stored as UTC), to the microsecond.
instants = st.builds(
    lambda moment, hours: moment.replace(tzinfo=timezone(timedelta(hours=hours))),
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2027, 1, 1)),
    st.integers(-12, 14))

attempts = st.fixed_dictionaries({
    "attempted_at": instants, "method": st.sampled_from(["phone", "visit"]),
    "outcome": st.sampled_from(["no_answer", "appointment_made"]), "notes": maybe_text})

interviews = st.fixed_dictionaries({
    "status": st.sampled_from(list(InterviewStatus)), "consent": st.sampled_from(list(Consent)),
    "offered_at": st.none() | instants, "conducted_at": st.none() | instants,
    "consent_recorded_at": st.none() | instants, "declined_by": codes, "location": codes,
    "independent_of_police": maybe_bool, "child_chose_known_adult": maybe_bool,
    "language": st.none() | st.sampled_from(["cy", "en"]), "why_missing": maybe_text,
    "feeling_after": maybe_text, "notes": maybe_text, "submitted_at": st.none() | instants,
    "decline_reason": codes, "interviewer_type": codes, "by_the_worker": st.booleans(),
    "local_answers": st.dictionaries(
        st.text(storable, max_size=8),
        st.none() | st.booleans() | st.integers(-2**53, 2**53) | texts
        | st.floats(allow_nan=False, allow_infinity=False) | st.lists(texts, max_size=2),
        max_size=3),
    "coded": st.dictionaries(st.sampled_from(list(CODED_ANSWERS.values())),
                             st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=4),
                             max_size=4),
    "attempts": st.lists(attempts, max_size=2)})

episodes = st.fixed_dictionaries({
    "reported_missing_at": instants, "returned_after": st.none() | st.timedeltas(
        min_value=timedelta(0), max_value=timedelta(days=9)),
    "return_method": codes, "risk_grade": codes, "where_found": maybe_text,
    "reporting_force_code": st.none() | st.just("W15000001"),
    "interviews": st.lists(interviews, max_size=2)})

children = st.fixed_dictionaries({
    "given_name": texts.filter(bool), "family_name": texts.filter(bool),
    "date_of_birth": st.none() | st.dates(min_value=date(2005, 1, 1)),
    "preferred_language": st.none() | st.sampled_from(["cy", "en"]),
    "looked_after": st.booleans(), "residential_placement": st.booleans(),
    "unaccompanied_asylum_seeking": st.booleans(),
    "placing_authority_code": st.none() | st.sampled_from(WELSH_AREAS),
    "host_authority_code": st.none() | st.sampled_from([*WELSH_AREAS, ENGLISH_AREA]),
    "episodes": st.lists(episodes, max_size=3)})


@pytest.fixture
def english_area(app, session):
    session.add(Area(code=ENGLISH_AREA, kind="local_authority", country="england",
                     name_en="Somewhere in England", name_cy="Rhywle yn Lloegr"))
    session.commit()
    yield
    with app.app_context():
        remove_test_rows()  # the children placed there first
    session.execute(delete(Area).where(Area.code == ENGLISH_AREA))
    session.commit()


def _add_cases(session, cases) -> tuple:
    """A worker and their supervisor, of a new organisation, with these cases assigned to the
    worker."""
    organisation, (team,) = add_organisation(session, "Plain", ["Team"])
    worker, supervisor = (
        add_person(session, organisation, team, role, role.value,
                   f"{role.value}.{uuid.uuid4().hex[:8]}@example.org")
        for role in (Role.WORKER, Role.SUPERVISOR))
    for case in cases:
        child = Child(organisation_id=organisation.id, team_id=team.id,
                      assigned_worker_id=worker.id,
                      **{k: v for k, v in case.items() if k != "episodes"})
        session.add(child)
        session.flush()
        for about in case["episodes"]:
            returned = about["returned_after"]
            episode = MissingEpisode(
                organisation_id=organisation.id, child_id=child.id,
                reported_missing_at=about["reported_missing_at"],
                returned_at=None if returned is None else about["reported_missing_at"] + returned,
                **{k: about[k] for k in ("return_method", "risk_grade", "where_found",
                                         "reporting_force_code")})
            session.add(episode)
            session.flush()
            for answers in about["interviews"]:
                interview = ReturnInterview(
                    organisation_id=organisation.id, episode_id=episode.id,
                    interviewer_id=worker.id if answers["by_the_worker"] else None,
                    **{k: v for k, v in answers.items()
                       if k not in ("coded", "attempts", "by_the_worker")})
                for list_name, chosen in answers["coded"].items():
                    interview.set_coded(list_name, chosen)
                session.add(interview)
                session.flush()
                session.add_all(InterviewAttempt(organisation_id=organisation.id,
                                                 interview_id=interview.id, **attempt)
                                for attempt in answers["attempts"])
    session.commit()
    return worker, supervisor


def _pulled(store, person, page_size: int) -> list:
    """Every change the person may see, page after page as a device pulls them."""
    changes, after = [], 0
    while True:
        page = store.changes_since(person, after, page_size)
        changes += page.changes
        after = page.last_rev
        if not page.more:
            return changes


def _as_json(record: dict) -> str:
    # As a device receives it: types (true, not 1) and the order of the keys count.
    return json.dumps(record, ensure_ascii=False)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(cases=st.lists(children, min_size=1, max_size=3), page_size=st.integers(1, 8))
def test_a_pull_sends_what_the_schemas_give(session, english_area, cases, page_size):
    # A session for each example: one that failed is closed, and the next starts clean.
    with Session(session.get_bind()) as own:
        people = _add_cases(own, cases)
        expected_count = sum(1 + sum(1 + sum(1 + len(i["attempts"]) for i in e["interviews"])
                                     for e in c["episodes"]) for c in cases)
        for person in people:
            changes = _pulled(SqlStore(own), person, page_size)
            own.expire_all()  # each record below loaded afresh, its relations lazily, by the ORM
            assert len(changes) == expected_count
            for change in changes:
                spec = COLLECTIONS[change.collection]
                stored = own.get(spec.model, change.id)
                expected = _as_json(spec.schema.dump(stored))
                assert _as_json(quick_dumper(spec.schema)(stored)) == expected
                assert _as_json({k: v for k, v in change.record.items()
                                 if k != "_conflicts"}) == expected


def test_a_plain_record_lacking_what_its_schema_reads_fails_loudly():
    dump = quick_dumper(COLLECTIONS["attempts"].schema)
    with pytest.raises(AttributeError):
        dump(SimpleNamespace(id=uuid.uuid4(), rev=1))


def test_a_dump_sends_instants_in_utc_with_their_offset(session, english_area):
    moment = datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(hours=1)))
    worker, _supervisor = _add_cases(session, [{
        "given_name": "Cerys", "family_name": "Test", "looked_after": True,
        "residential_placement": False, "date_of_birth": date(2012, 5, 1),
        "preferred_language": "cy", "placing_authority_code": "W06000015",
        "host_authority_code": ENGLISH_AREA,
        "episodes": [{"reported_missing_at": moment, "returned_after": timedelta(hours=5),
                      "return_method": None, "risk_grade": None, "where_found": None,
                      "reporting_force_code": None, "interviews": []}]}])
    records = {change.collection: change.record
               for change in SqlStore(session).changes_since(worker, 0, 100).changes}
    assert records["children"]["placed_outside_wales"] is True
    assert records["children"]["out_of_area"] is True
    assert records["children"]["date_of_birth"] == "2012-05-01"
    assert records["episodes"]["reported_missing_at"] == \
        moment.astimezone(UTC).isoformat()
    assert records["episodes"]["episode_length_minutes"] == 300
    assert records["episodes"]["episodes_last_4_weeks"] == 1


def test_reference_data_is_dumped_as_its_schemas_dump_it(app, session, english_area, world):
    """The versions every pull names are digests of these dumps."""
    assert set(REFERENCE_PARTS) == {"code_lists", "areas", "questionnaires", "limits", "sealing",
                                    "directory", "suggestion_rules"}
    for part in REFERENCE_PARTS.values():
        with app.app_context():  # the sealing key is the app's
            rows = list(part.rows(session, world.worker))
        assert rows
        assert [quick_dumper(part.schema)(row) for row in rows] == \
            part.schema.dump(rows, many=True)
