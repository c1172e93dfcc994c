"""Instants in SQL, the same on SQLite and PostgreSQL: the 72-hour deadline of a return.

UTCDateTime keeps instants as naive UTC: a `timestamp` on PostgreSQL, and on SQLite the text
"YYYY-MM-DD HH:MM:SS.ffffff" (app/core/types.sqlite_text). UTC wall time is real time, so adding
hours is exact on both; the clocks changing cannot stretch the deadline."""

from datetime import datetime, time, timedelta

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from app.core.types import UTCDateTime
from app.interviews.clock import DEADLINE
from app.reports.facts import Period
from app.reports.query import WALES

DEADLINE_HOURS = int(DEADLINE / timedelta(hours=1))


class deadline_of(FunctionElement):  # noqa: N801 (an SQL function, named as SQL names them)
    """The instant 72 hours (clock.DEADLINE) after an instant column: held by then is held in
    time, as app.interviews.clock.within_deadline says of one interview."""

    type = UTCDateTime()
    inherit_cache = True
    name = "deadline_of"


@compiles(deadline_of)
def _deadline_postgresql(element, compiler, **kw):
    (instant,) = element.clauses
    return f"({compiler.process(instant, **kw)} + interval '{DEADLINE_HOURS} hours')"


@compiles(deadline_of, "sqlite")
def _deadline_sqlite(element, compiler, **kw):
    # The whole seconds moved by SQLite's date arithmetic, the microseconds copied as written:
    # SQLite keeps milliseconds only, and rounding them could move the deadline by a second.
    # The result is text in the stored form, so comparing it with a stored instant is exact.
    (instant,) = element.clauses
    instant = compiler.process(instant, **kw)
    return (f"(strftime('%Y-%m-%d %H:%M:%S', substr({instant}, 1, 19), "
            f"'+{DEADLINE_HOURS} hours') || substr({instant}, 20))")


def period_instants(period: Period) -> tuple[datetime, datetime]:
    """The period's first instant and the first instant after it: its first and last day are
    days in Wales, whatever the clocks said (midnight is never a changing hour in the UK)."""
    start = datetime.combine(period.first_day, time(0), WALES)
    after = datetime.combine(period.last_day + timedelta(days=1), time(0), WALES)
    return start, after
