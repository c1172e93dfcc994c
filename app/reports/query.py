"""Which report is asked for: a year, or a range of days, read from a page's, a download's or the
API's query in one way, with the reasons in the reader's language when it cannot be read."""

from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from app.core.types import utcnow
from app.reports.facts import ALL_AREAS, AREA_KINDS, CARE_STATUSES, Period

WALES = ZoneInfo("Europe/London")
FIRST_YEAR = 2000  # no service kept records before this; a typo such as 202 is refused


@dataclass
class ReportQuery:
    period: Period | None
    area_kind: str = "local_authority"
    care_status: str = "all"
    area: str = ALL_AREAS
    errors: dict[str, list[str]] = field(default_factory=dict)


def last_whole_year() -> int:
    return utcnow().astimezone(WALES).year - 1


def _year(text: str | None, errors: dict) -> Period | None:
    this_year = utcnow().astimezone(WALES).year
    try:
        year = int(text) if text else last_whole_year()
    except ValueError:
        year = None
    if year is None or not FIRST_YEAR <= year <= this_year:
        errors["year"] = [_("Give a year from %(first)s to %(last)s.", first=FIRST_YEAR,
                            last=this_year)]
        return None
    return Period.year(year)


def _day(text: str, name: str, errors: dict) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[name] = [_("Give a date as year-month-day, for example 2026-04-01.")]
        return None


def _range(first: str, last: str, errors: dict) -> Period | None:
    first_day, last_day = _day(first, "from", errors), _day(last, "to", errors)
    if first_day and last_day and last_day < first_day:
        errors["to"] = [_("The last day must not come before the first.")]
    return None if errors else Period(first_day, last_day)


def _choice(args, name: str, choices: tuple, default: str, errors: dict) -> str:
    value = args.get(name) or default
    if value not in choices:
        errors[name] = [_("Choose one of the options given.")]
        return default
    return value


def report_query(args) -> ReportQuery:
    """The query of a request (a MultiDict or a plain dict): `year`, or `from` and `to` (both),
    and what the page shows: `kind`, `status`, `area`."""
    errors: dict[str, list[str]] = {}
    if args.get("from") or args.get("to"):
        period = _range(args.get("from", ""), args.get("to", ""), errors)
    else:
        period = _year(args.get("year"), errors)
    return ReportQuery(
        period=period if not errors else None,
        area_kind=_choice(args, "kind", AREA_KINDS, "local_authority", errors),
        care_status=_choice(args, "status", CARE_STATUSES, "all", errors),
        area=args.get("area") or ALL_AREAS,
        errors=errors)
