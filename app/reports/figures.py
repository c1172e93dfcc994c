"""The annual report's figures, counted by the database: every value is one row of a grouped
query (SQLAlchemy Core), by area, care status and category, never a loop over episodes here.

The incidents in scope are one common table (`incidents`): the organisation's episodes (a
team's, for a supervisor) reported missing in the period, each with its local authority and its
police force area placed as measures.py's docstring says. Each measure is a query over it
giving (unit, category) rows: the unit counted (an incident, a child, a referral) and the
category it falls in.

One statement a measure gives the rows of both area kinds, built on the incidents once. Units
that are incidents or referrals are in one local authority, one police force area and one care
status each: they are counted once (distinct) by both areas, care status and category, a few
hundred rows, and every grouping the report shows (by area and care status, by area for all
children, for all areas by care status, all together; for each kind) is a SUM over those rows.
Children have one local authority and one care status but may go missing in two police force
areas: each kind counts them by its areas, and the sums hold over care statuses and, for local
authorities, over areas; the police forces' whole is the authorities' (the same children) unless
areas are granted, when it is counted on its own. Measured on 6 December 2026 (bench/report.py):
the report took 1.09 times the bare GROUP BY queries on SQLite and 0.71 on PostgreSQL at
100,000 episodes (where the four groupings each counted again took 3.94 and 3.61), 0.86 and
0.59 at 1,000,000."""

from collections.abc import Callable

from sqlalchemy import (
    Boolean,
    String,
    and_,
    case,
    cast,
    distinct,
    func,
    literal_column,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from app.cases.models import Area, Child, MissingEpisode
from app.interviews.models import Consent, InterviewCode, ReturnInterview
from app.referrals.models import ActiveOffer, OfferResponse, Referral, ReferralStatus
from app.reports.facts import ALL_AREAS, AREA_KINDS, NO_AREA, FactKey, Period, Relation, Report, Scope
from app.reports.instants import deadline_of, period_instants
from app.reports.measures import BANDS, MEASURES, MEASURES_BY_KEY, NOT_RECORDED, Measure
from app.review.priority import THRESHOLD_KINDS
from app.youngperson.models import SelfReport, SelfReportCode

NO_CATEGORY = literal_column("''", String)
MADE = (ReferralStatus.MADE, ReferralStatus.ACCEPTED, ReferralStatus.DECLINED)
CARE_BY_FLAG = {True: "looked_after", False: "not_looked_after", None: "all"}


def _sql_text(value: str):
    """A constant written into the SQL, not a bound parameter: PostgreSQL cannot tell the type
    of a parameter that is only selected, and never groups by one."""
    return literal_column("'" + value.replace("'", "''") + "'", String)


# --- the incidents in scope -----------------------------------------------------------------
def incidents_counted(scope: Scope, period: Period):
    """The episodes counted, one row each, with each area kind's area (NO_AREA when there is
    none) as a column named by the kind."""
    start, after = period_instants(period)
    authority_code = func.coalesce(Child.placing_authority_code, Child.host_authority_code)
    authority = aliased(Area)
    unknown = _sql_text(NO_AREA)
    stmt = (
        select(MissingEpisode.id.label("episode_id"), MissingEpisode.child_id,
               MissingEpisode.reported_missing_at, MissingEpisode.returned_at,
               MissingEpisode.risk_grade, Child.looked_after,
               Child.placing_authority_code, Child.host_authority_code,
               func.coalesce(authority_code, unknown).label("local_authority"),
               func.coalesce(MissingEpisode.reporting_force_code, authority.police_force_code,
                             unknown).label("police_force"))
        .join(Child, Child.id == MissingEpisode.child_id)
        .outerjoin(authority, authority.code == authority_code)
        .where(MissingEpisode.organisation_id == scope.organisation_id,
               Child.organisation_id == scope.organisation_id,
               MissingEpisode.reported_missing_at >= start,
               MissingEpisode.reported_missing_at < after))
    if scope.team_id is not None:
        stmt = stmt.where(Child.team_id == scope.team_id)
    return stmt.cte("incidents")


# --- what each measure counts: (unit, category) rows from the incidents ---------------------
def _each(inc, unit=None, category=NO_CATEGORY):
    return select((inc.c.episode_id if unit is None else unit).label("unit"),
                  category.label("category")).select_from(inc)


def _interviews(inc, scope: Scope, *conditions, unit=None, category=NO_CATEGORY):
    """Incidents with an interview meeting the conditions (counted once, however many)."""
    return (_each(inc, unit, category)
            .join(ReturnInterview, ReturnInterview.episode_id == inc.c.episode_id)
            .where(ReturnInterview.organisation_id == scope.organisation_id, *conditions))


def _repeats(inc, scope):
    earlier = aliased(MissingEpisode)
    before = (select(earlier.id).where(earlier.child_id == inc.c.child_id,
                                       earlier.reported_missing_at < inc.c.reported_missing_at)
              .exists())
    return _each(inc).where(before)


def _out_of_area(inc, scope):
    # app.cases.derived.is_out_of_area, in SQL: looked after, both authorities known, unlike.
    return _each(inc).where(inc.c.looked_after,
                            inc.c.placing_authority_code != inc.c.host_authority_code)


def _within_72_hours(inc, scope):
    return _interviews(inc, scope, ReturnInterview.conducted_at.is_not(None),
                       inc.c.returned_at.is_not(None),
                       ReturnInterview.conducted_at <= deadline_of(inc.c.returned_at))


def _conducted_by(inc, scope):
    """Each held incident once, by whoever held its latest interview (the latest id among
    interviews held at the same instant), so that the categories add up to `conducted`."""
    other = aliased(ReturnInterview)
    latest = (select(other.id)
              .where(other.episode_id == inc.c.episode_id, other.conducted_at.is_not(None),
                     other.organisation_id == scope.organisation_id)
              .order_by(other.conducted_at.desc(), other.id.desc()).limit(1)
              .scalar_subquery())
    who = func.coalesce(ReturnInterview.interviewer_type, _sql_text(NOT_RECORDED))
    return _interviews(inc, scope, ReturnInterview.id == latest, category=who)


def _worker_codes(list_name: str):
    def counted(inc, scope):
        return (_interviews(inc, scope, InterviewCode.list_name == list_name,
                            category=InterviewCode.code)
                .join(InterviewCode, InterviewCode.interview_id == ReturnInterview.id))
    return counted


def _young_person_codes(list_name: str):
    def counted(inc, scope):
        return (_interviews(inc, scope, SelfReportCode.list_name == list_name,
                            SelfReport.organisation_id == scope.organisation_id,
                            category=SelfReportCode.code)
                .join(SelfReport, SelfReport.interview_id == ReturnInterview.id)
                .join(SelfReportCode, SelfReportCode.self_report_id == SelfReport.id))
    return counted


def _risk_grades(inc, scope):
    return _each(inc, category=func.coalesce(inc.c.risk_grade, _sql_text(NOT_RECORDED)))


def _referrals(*conditions, unit_is_referral=False):
    def counted(inc, scope):
        return (_interviews(inc, scope, Referral.organisation_id == scope.organisation_id,
                            *conditions, unit=Referral.id if unit_is_referral else None,
                            category=Referral.kind if unit_is_referral else NO_CATEGORY)
                .join(Referral, Referral.interview_id == ReturnInterview.id))
    return counted


def _advocacy(*conditions):
    def counted(inc, scope):
        return (_interviews(inc, scope, ActiveOffer.organisation_id == scope.organisation_id,
                            *conditions)
                .join(ActiveOffer, ActiveOffer.interview_id == ReturnInterview.id))
    return counted


COUNTED: dict[str, Callable] = {
    "incidents": lambda inc, scope: _each(inc),
    "children": lambda inc, scope: _each(inc, unit=inc.c.child_id),
    "repeat_incidents": _repeats,
    "out_of_area_incidents": _out_of_area,
    "offered": lambda inc, scope: _interviews(inc, scope, ReturnInterview.offered_at.is_not(None)),
    "accepted": lambda inc, scope: _interviews(inc, scope,
                                               ReturnInterview.consent == Consent.ACCEPTED),
    "declined": lambda inc, scope: _interviews(inc, scope,
                                               ReturnInterview.consent == Consent.DECLINED),
    "conducted": lambda inc, scope: _interviews(inc, scope,
                                                ReturnInterview.conducted_at.is_not(None)),
    "conducted_within_72_hours": _within_72_hours,
    "conducted_by": _conducted_by,
    "push_factor_worker": _worker_codes("push_factor"),
    "push_factor_young_person": _young_person_codes("push_factor"),
    "pull_factor_worker": _worker_codes("pull_factor"),
    "pull_factor_young_person": _young_person_codes("pull_factor"),
    "harms": _worker_codes("harm"),
    "risk_grades": _risk_grades,
    "referrals_made": _referrals(Referral.status.in_(MADE), unit_is_referral=True),
    "advocacy_offered": _advocacy(ActiveOffer.offered.is_(True)),
    "advocacy_taken_up": _advocacy(ActiveOffer.response == OfferResponse.ACCEPTED),
    "thresholds_crossed": _referrals(Referral.kind.in_(sorted(THRESHOLD_KINDS))),
}


# --- counting: each measure once at its finest grain, the coarser rows summed over it -------
# A measure's statement gives rows (area kind, area, care status, category, count) for every
# area kind counted; a NULL care status is "all", ALL_AREAS every (granted) area together.
EVERY_STATUS = cast(null(), Boolean)


def _placed_in(column, granted: frozenset | None) -> list:
    """The condition that an incident's area (column) is one granted: none with every area."""
    return [] if granted is None else [column.in_(sorted(granted))]


def _by_area(fine, kind: str, granted) -> list:
    """Rows of `fine` (counts by the kind's area, care status and category) by area and care
    status, and by area for all children: the second a sum, exact as every unit counted has
    one care status."""
    area, units, category = fine.c[kind], func.sum(fine.c.units), fine.c.category
    placed = _placed_in(area, granted)
    return [select(_sql_text(kind), area, fine.c.looked_after, category, units).where(*placed)
            .group_by(area, fine.c.looked_after, category),
            select(_sql_text(kind), area, EVERY_STATUS, category, units).where(*placed)
            .group_by(area, category)]


def _whole(fine, kind: str, conditions=()) -> list:
    """The whole's rows by care status and for all children: sums of `fine`'s rows (exact where
    every unit counted is in one of them)."""
    units, category, every_area = func.sum(fine.c.units), fine.c.category, _sql_text(ALL_AREAS)
    return [select(_sql_text(kind), every_area, fine.c.looked_after, category, units)
            .where(*conditions).group_by(fine.c.looked_after, category),
            select(_sql_text(kind), every_area, EVERY_STATUS, category, units)
            .where(*conditions).group_by(category)]


def _units_statement(measure: Measure, inc, scope: Scope, granted_by_kind: dict):
    """A measure whose units (incidents, referrals) are each in one local authority, one
    police force area and one care status: counted once, by both areas, care status and
    category (`fine`, a few hundred rows); every row of both area kinds is a sum over it."""
    counted = COUNTED[measure.key](inc, scope).add_columns(
        *(inc.c[kind] for kind in AREA_KINDS), inc.c.looked_after)
    if scope.areas is not None:  # only incidents placed in a granted area of a kind counted
        counted = counted.where(or_(*(inc.c[kind].in_(sorted(granted))
                                      for kind, granted in granted_by_kind.items())))
    rows = counted.subquery("measured")
    grain = (*(rows.c[kind] for kind in AREA_KINDS), rows.c.looked_after, rows.c.category)
    fine = (select(*grain, func.count(distinct(rows.c.unit)).label("units"))
            .group_by(*grain).cte("fine"))
    return union_all(*(row for kind, granted in granted_by_kind.items()
                       for row in (*_by_area(fine, kind, granted),
                                   *_whole(fine, kind, _placed_in(fine.c[kind], granted)))))


def _children_statement(measure: Measure, inc, scope: Scope, granted_by_kind: dict):
    """A measure of children: a child has one local authority and one care status, but may go
    missing in two police force areas. Each kind counts distinct children by area, care status
    and category, summed over care statuses; the authorities' whole is their sum. The police
    forces' whole is the same children as the authorities' when every area is counted (the
    same sums), else a count of its own over the forces granted."""
    counted = CHILDREN_COUNTED[measure.key]
    statements, fine_by_kind = [], {}
    for kind, granted in granted_by_kind.items():
        rows = counted(inc, kind, granted, per_area=True).subquery(f"{kind}_rows")
        fine_by_kind[kind] = fine = (
            select(rows.c.area.label(kind), rows.c.looked_after, rows.c.category,
                   func.count(distinct(rows.c.unit)).label("units"))
            .group_by(rows.c.area, rows.c.looked_after, rows.c.category)
            .cte(f"fine_{kind}"))
        statements += _by_area(fine, kind, None)
    for kind, granted in granted_by_kind.items():
        if kind == "local_authority" or scope.areas is None:
            statements += _whole(fine_by_kind["local_authority"], kind)
        else:
            rows = counted(inc, kind, granted, per_area=False).subquery(f"{kind}_whole_rows")
            whole = (select(rows.c.looked_after, rows.c.category,
                            func.count(distinct(rows.c.unit)).label("units"))
                     .group_by(rows.c.looked_after, rows.c.category).cte(f"whole_{kind}"))
            statements += _whole(whole, kind)
    return union_all(*statements)


def _bands(inc, area_kind: str, granted, per_area: bool):
    """Each child once with the band of how many incidents they had: in the row's area
    (per_area), or in the whole scope (every granted area together)."""
    placed = _placed(select(inc.c.child_id.label("unit")).select_from(inc), inc, area_kind,
                     granted).subquery("placed")
    area = placed.c.area if per_area else _sql_text(ALL_AREAS)
    grouping = (placed.c.area,) if per_area else ()
    per_child = (select(placed.c.unit, area.label("area"), placed.c.looked_after,
                        func.count().label("incidents"))
                 .group_by(placed.c.unit, *grouping, placed.c.looked_after)
                 .subquery("per_child"))
    counted = per_child.c.incidents
    band = case(*[(counted >= fewest if most is None else and_(counted >= fewest, counted <= most),
                   _sql_text(name)) for name, fewest, most in BANDS])
    return select(per_child.c.unit, band.label("category"), per_child.c.area,
                  per_child.c.looked_after)


def _children(inc, kind: str, granted, per_area: bool):
    """(unit, category, area, looked_after) rows of `children`: each incident's child (the
    same rows for the whole, which counts them over every area)."""
    placed = _placed(select(inc.c.child_id.label("unit"), NO_CATEGORY.label("category"))
                     .select_from(inc), inc, kind, granted).subquery("placed")
    return select(placed.c.unit, placed.c.category, placed.c.area, placed.c.looked_after)


# Each children measure's (unit, category, area, looked_after) rows, by area or for the whole.
CHILDREN_COUNTED: dict[str, Callable] = {"children": _children, "children_by_band": _bands}


def _placed(counted, inc, area_kind: str, granted: frozenset | None):
    """The measure's rows with the incident's area and care status; with granted areas, only
    incidents placed in one of them."""
    return (counted.add_columns(inc.c[area_kind].label("area"), inc.c.looked_after)
            .where(*_placed_in(inc.c[area_kind], granted)))


def _counts(session: Session, measure: Measure, inc, scope: Scope, granted_by_kind: dict):
    """Area kind -> (area, care status, category) -> the database's count, for one measure."""
    statement = (_children_statement if measure.unit == "children" else _units_statement)(
        measure, inc, scope, granted_by_kind)
    counts = {kind: {} for kind in granted_by_kind}
    for kind, area, flag, category, count in session.execute(statement):
        counts[kind][(area, CARE_BY_FLAG[flag], category)] = int(count)  # PostgreSQL: numeric
    return counts


# --- the report ----------------------------------------------------------------------------
def _granted_by_kind(session: Session, scope: Scope) -> dict[str, frozenset | None]:
    """Each area kind's granted areas (None: every area)."""
    if scope.areas is None:
        return dict.fromkeys(AREA_KINDS)
    rows = session.execute(select(Area.kind, Area.code).where(Area.code.in_(sorted(scope.areas))))
    granted = {kind: set() for kind in AREA_KINDS}
    for kind, code in rows:
        granted[kind].add(code)
    return {kind: frozenset(codes) for kind, codes in granted.items()}


def annual_report(session: Session, scope: Scope, period: Period) -> Report:
    """Every measure's figures for every area with an incident (or every granted area), the
    areas not recorded, and all areas together; each care status and category, zeros included;
    and the relations the figures hold."""
    inc = incidents_counted(scope, period)
    report = Report(period=period, scope=scope)
    granted_by_kind = {kind: granted for kind, granted in _granted_by_kind(session, scope).items()
                       if granted is None or granted}  # nothing of a kind granted: no rows
    if not granted_by_kind:
        return report
    counts = {measure.key: _counts(session, measure, inc, scope, granted_by_kind)
              for measure in MEASURES}
    for area_kind, granted in granted_by_kind.items():
        if granted is None:
            areas = sorted({area for area, _status, _cat in counts["incidents"][area_kind]}
                           - {ALL_AREAS})
        else:
            areas = sorted(granted)
        areas.append(ALL_AREAS)
        for measure in MEASURES:
            measured = counts[measure.key][area_kind]
            categories = _categories(measure, measured)
            _fill(report, measure, area_kind, areas, categories, measured)
            report.relations += _relations(measure, area_kind, areas, categories)
    return report


def _categories(measure: Measure, counts: dict) -> tuple[str, ...]:
    """The measure's categories, then any other code the records hold (an organisation's own,
    a retired one), so that every unit counted is in a category."""
    known = measure.category_codes()
    found = sorted({category for _area, _status, category in counts} - set(known))
    return known + tuple(found)


def _fill(report: Report, measure: Measure, area_kind: str, areas, categories, counts) -> None:
    for area in areas:
        for status in CARE_BY_FLAG.values():
            for category in categories:
                report.values[FactKey(measure.key, area_kind, area, status, category)] = (
                    counts.get((area, status, category), 0))


def _relations(measure: Measure, area_kind: str, areas, categories) -> list[Relation]:
    def key(area, status, category=""):
        return FactKey(measure.key, area_kind, area, status, category)

    found = [Relation(key(area, "all", category),
                      (key(area, "looked_after", category), key(area, "not_looked_after", category)))
             for area in areas for category in categories]
    parts_of_whole = [area for area in areas if area != ALL_AREAS]
    if measure.adds_over_areas(area_kind) and parts_of_whole:
        found += [Relation(key(ALL_AREAS, status, category),
                           tuple(key(area, status, category) for area in parts_of_whole))
                  for status in CARE_BY_FLAG.values() for category in categories]
    if measure.sums_to:
        total = MEASURES_BY_KEY[measure.sums_to]
        found += [Relation(FactKey(total.key, area_kind, area, status, ""),
                           tuple(key(area, status, category) for category in categories))
                  for area in areas for status in CARE_BY_FLAG.values()]
    return found
