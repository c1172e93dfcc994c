"""The de-identified incidents: one row an incident in the report's scope and period, with
nothing that names a child. Days instead of times, an age band instead of a date of birth,
codes instead of words, and a number of this export's own instead of any record's id.

Each table is read with one query, streamed, so an export of many years holds no more than a
batch of rows at a time (and the numbers given to the incidents)."""

from collections.abc import Iterator
from datetime import date, datetime
from types import SimpleNamespace

from sqlalchemy import and_, func, literal, or_, select, union
from sqlalchemy.orm import Session

from app.cases.derived import is_out_of_area
from app.cases.models import Child
from app.interviews.clock import within_deadline
from app.interviews.models import InterviewCode, ReturnInterview
from app.reports.facts import NO_AREA, Period, Scope
from app.reports.figures import incidents_counted
from app.reports.query import WALES
from app.youngperson.models import SelfReport, SelfReportCode

BATCH = 1000
# Age on the day reported missing, as (band, youngest, oldest); None is no limit.
AGE_BANDS = (("under_10", None, 9), ("10-11", 10, 11), ("12-13", 12, 13), ("14-15", 14, 15),
             ("16-17", 16, 17), ("18+", 18, None))
UNKNOWN_AGE = "unknown"
# The coded answers published, by who gave them.
WORKER_LISTS = ("push_factor", "pull_factor", "harm")
YOUNG_PERSON_LISTS = ("push_factor", "pull_factor")


def age_band(born: date | None, on_day: date) -> str:
    """The band of the age a child born on `born` is on `on_day` (a birthday counts from its
    own day)."""
    if born is None or born > on_day:
        return UNKNOWN_AGE
    age = on_day.year - born.year - ((on_day.month, on_day.day) < (born.month, born.day))
    for band, youngest, oldest in AGE_BANDS:
        if (youngest is None or age >= youngest) and (oldest is None or age <= oldest):
            return band
    return UNKNOWN_AGE


def _local_day(moment: datetime | None) -> str | None:
    return moment.astimezone(WALES).date().isoformat() if moment else None


def _in_scope(scope: Scope, period: Period):
    """The incidents the report of this scope and period counts, placed in their areas as it
    places them (app.reports.figures: one rule for both); with areas in the scope, those
    placed in one of them, of either kind."""
    counted = incidents_counted(scope, period)
    if scope.areas is None:
        return counted, None
    return counted, or_(counted.c.local_authority.in_(sorted(scope.areas)),
                        counted.c.police_force.in_(sorted(scope.areas)))


def _area(code: str) -> str | None:
    return None if code == NO_AREA else code


def _chosen_interviews(counted):
    """One interview an incident counted: the one held last, else the one offered last (an
    episode rarely has more than one)."""
    rank = func.row_number().over(
        partition_by=ReturnInterview.episode_id,
        order_by=(ReturnInterview.conducted_at.is_(None), ReturnInterview.conducted_at.desc(),
                  ReturnInterview.offered_at.is_(None), ReturnInterview.offered_at.desc(),
                  ReturnInterview.id.desc()))
    return select(ReturnInterview.episode_id, ReturnInterview.offered_at,
                  ReturnInterview.conducted_at, ReturnInterview.interviewer_type,
                  rank.label("rank")
                  ).where(ReturnInterview.episode_id.in_(select(counted.c.episode_id))).subquery()


def incident_rows(session: Session, scope: Scope, period: Period,
                  numbers: dict) -> Iterator[dict]:
    """The incidents table's rows, in the order they were reported. `numbers` is filled with
    each episode's number in this export, for incident_code_rows."""
    counted, in_areas = _in_scope(scope, period)
    chosen = _chosen_interviews(counted)
    stmt = (select(counted, Child.date_of_birth, chosen.c.offered_at, chosen.c.conducted_at,
                   chosen.c.interviewer_type)
            .join(Child, Child.id == counted.c.child_id)
            .outerjoin(chosen, and_(chosen.c.episode_id == counted.c.episode_id,
                                    chosen.c.rank == 1))
            .order_by(counted.c.reported_missing_at, counted.c.episode_id))
    if in_areas is not None:
        stmt = stmt.where(in_areas)
    for row in session.execute(stmt.execution_options(yield_per=BATCH)):
        number = numbers[row.episode_id] = len(numbers) + 1
        out_of_area = is_out_of_area(SimpleNamespace(
            looked_after=row.looked_after, placing_authority_code=row.placing_authority_code,
            host_authority_code=row.host_authority_code))
        within = within_deadline(row.returned_at, row.conducted_at)
        yield {
            "incident": number,
            "reported_missing_on": _local_day(row.reported_missing_at),
            "returned_on": _local_day(row.returned_at),
            "age_band": age_band(row.date_of_birth,
                                 row.reported_missing_at.astimezone(WALES).date()),
            "care_status": "looked_after" if row.looked_after else "not_looked_after",
            "out_of_area": None if out_of_area is None else int(out_of_area),
            "local_authority_code": _area(row.local_authority),
            "police_force_code": _area(row.police_force),
            "risk_grade": row.risk_grade,
            "interview_offered_on": _local_day(row.offered_at),
            "interview_held_on": _local_day(row.conducted_at),
            "held_within_72_hours": None if within is None else int(within),
            "interviewer_type": row.interviewer_type,
        }


def incident_code_rows(session: Session, scope: Scope, period: Period,
                       numbers: dict) -> Iterator[dict]:
    """The push and pull factors and harms of the incidents numbered by incident_rows (read
    first), from every interview of each, once each."""
    counted, in_areas = _in_scope(scope, period)
    episodes = select(counted.c.episode_id)
    if in_areas is not None:
        episodes = episodes.where(in_areas)
    worker = (select(ReturnInterview.episode_id, literal("worker").label("source"),
                     InterviewCode.list_name, InterviewCode.code)
              .join(InterviewCode, InterviewCode.interview_id == ReturnInterview.id)
              .where(InterviewCode.list_name.in_(WORKER_LISTS),
                     ReturnInterview.episode_id.in_(episodes)))
    young_person = (select(ReturnInterview.episode_id, literal("young_person").label("source"),
                           SelfReportCode.list_name, SelfReportCode.code)
                    .join(SelfReport, SelfReport.interview_id == ReturnInterview.id)
                    .join(SelfReportCode, SelfReportCode.self_report_id == SelfReport.id)
                    .where(SelfReportCode.list_name.in_(YOUNG_PERSON_LISTS),
                           ReturnInterview.episode_id.in_(episodes)))
    for row in session.execute(union(worker, young_person).execution_options(yield_per=BATCH)):
        # An episode written between the two reads has no number: it is in neither table.
        if row.episode_id in numbers:
            yield {"incident": numbers[row.episode_id], "source": row.source,
                   "list_name": row.list_name, "code": row.code}
