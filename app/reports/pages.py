"""The annual report as pages: what the page /reports/annual and the printable document show,
made from a Report and its Labels in one language.

Per group of measures (measures.GROUPS) a section: a table of areas for the measures without
categories, a table of categories (in one area) for those with them, each table's charts, and
the measures' definitions. Every figure is read through Report.shown, so that a suppressed
report (a commissioner's, or "as published") never shows a hidden count, only the mark.
"""

from dataclasses import dataclass, field, replace
from pathlib import Path

from babel.numbers import format_decimal, format_percent
from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.services import record_access
from app.auth.models import Person, Role
from app.auth.policy import may_read_report
from app.cases.models import Area
from app.core.errors import Forbidden
from app.i18n import date_locale, full_date
from app.reports.charts import Bar, bar_chart
from app.reports.facts import ALL_AREAS, AREA_KINDS, NO_AREA, FactKey, Period, Report, Scope
from app.reports.figures import annual_report
from app.reports.grants import granted_areas
from app.reports.labels import Labels
from app.reports.measures import AREA_PLACEMENT, GROUPS, MEASURES, Measure
from app.reports.query import ReportQuery
from app.reports.suppression import SUPPRESSED_MARK, share, suppress

CSS_FILE = Path(__file__).resolve().parents[2] / "static" / "css" / "report.css"
NO_FIGURE = "—"  # a share or rate that cannot be given (a part or the whole hidden, or none)


@dataclass
class Row:
    heading: str
    cells: list[str]
    total: bool = False  # the whole scope's row, set apart as the table's total


@dataclass
class Table:
    table_id: str
    caption: str
    corner: str  # the heading of the rows' column
    columns: list[str]
    rows: list[Row]
    charts: list[Markup] = field(default_factory=list)


@dataclass
class Section:
    key: str
    title: str
    tables: list[Table]
    definitions: list[tuple[str, str, str]]  # each measure's title, definition and source


@dataclass
class ReportPage:
    query: ReportQuery
    errors: dict[str, str]
    sections: list[Section]
    exact: bool  # counts as they are (an admin's or a supervisor's, not as published)
    may_see_exact: bool  # whether the "as published" switch is offered
    published: bool
    area_options: list[tuple[str, str]]
    kinds: tuple[str, ...] = AREA_KINDS  # the area kinds the person has areas of
    no_areas: bool = False  # a commissioner with no area granted
    period_text: str = ""
    placement: str = ""


# --- the figures, in one language ------------------------------------------------------------

class Formatter:
    """Figures as the reader reads them: numbers for the locale, the suppression mark where a
    figure is hidden."""

    def __init__(self, report: Report, labels: Labels):
        self.report, self.labels = report, labels
        self.locale = date_locale(labels.language)

    def count(self, key: FactKey) -> str:
        value = self.report.shown(key)
        return SUPPRESSED_MARK if value is None else format_decimal(value, locale=self.locale)

    def share(self, part: FactKey, whole: FactKey) -> str:
        fraction = share(self.report, part, whole)
        return NO_FIGURE if fraction is None else format_percent(fraction, locale=self.locale)

    def per(self, part: FactKey, whole: FactKey) -> str:
        """part / whole to one decimal place, only when both are shown and the whole is not 0."""
        top, bottom = self.report.shown(part), self.report.shown(whole)
        if top is None or not bottom:
            return NO_FIGURE
        return format_decimal(round(top / bottom, 1), format="#,##0.0", locale=self.locale)

    def bar(self, label: str, key: FactKey) -> Bar:
        return Bar(label, self.report.shown(key), self.count(key))


def report_areas(report: Report, labels: Labels, area_kind: str, care_status: str) -> list[str]:
    """The areas the report has figures for, by name, then the unplaced, then the whole."""
    codes = {key.area for key in report.values
             if key.area_kind == area_kind and key.care_status == care_status}
    if report.scope.areas is not None:  # a commissioner's: the granted areas alone
        codes &= report.scope.areas | {ALL_AREAS, NO_AREA}
    named = sorted(codes - {ALL_AREAS, NO_AREA}, key=lambda code: labels.area(code).casefold())
    return named + [code for code in (NO_AREA, ALL_AREAS) if code in codes or code == ALL_AREAS]


def report_categories(report: Report, measure: Measure) -> list[str]:
    """The measure's categories in their order, then any other the records hold (an
    organisation's own code, a retired one), as the figures count them."""
    known = list(measure.category_codes())
    found = {key.category for key in report.values if key.measure == measure.key}
    return known + sorted(found - set(known))


def _area_table(group: str, measures: list[Measure], fmt: Formatter, area_kind: str,
                care_status: str) -> Table:
    labels = fmt.labels
    key = lambda measure, area: FactKey(measure.key, area_kind, area, care_status)  # noqa: E731
    columns = []
    for measure in measures:
        columns.append(labels.text(measure.title))
        if group == "interviews":
            columns.append(_("%(measure)s: share of incidents", measure=labels.text(measure.title)))
    if group == "incidents":
        columns.append(_("Incidents per child"))
    rows = []
    areas = report_areas(fmt.report, labels, area_kind, care_status)
    for area in areas:
        cells = []
        for measure in measures:
            cells.append(fmt.count(key(measure, area)))
            if group == "interviews":
                cells.append(fmt.share(key(measure, area),
                                       FactKey("incidents", area_kind, area, care_status)))
        if group == "incidents":
            cells.append(fmt.per(FactKey("incidents", area_kind, area, care_status),
                                 FactKey("children", area_kind, area, care_status)))
        rows.append(Row(labels.area(area), cells, total=area == ALL_AREAS))
    table = Table(f"table-{group}-areas", labels.text(GROUPS[group]), labels.area_kind(area_kind),
                  columns, rows)
    first = measures[0]
    table.charts.append(bar_chart(
        f"chart-{group}-areas", _("%(measure)s by area", measure=labels.text(first.title)),
        [fmt.bar(labels.area(area), key(first, area)) for area in areas if area != ALL_AREAS],
        table.table_id))
    return table


def _category_table(group: str, measures: list[Measure], fmt: Formatter, area_kind: str,
                    care_status: str, area: str) -> Table:
    labels = fmt.labels
    codes = list(dict.fromkeys(code for measure in measures
                               for code in report_categories(fmt.report, measure)))
    key = lambda measure, code: FactKey(measure.key, area_kind, area, care_status, code)  # noqa: E731
    rows = [Row(labels.category(measures[0], code), [fmt.count(key(m, code)) for m in measures])
            for code in codes]
    table = Table(f"table-{group}-categories",
                  _("%(group)s: %(area)s", group=labels.text(GROUPS[group]),
                    area=labels.area(area)),
                  _("Category"), [labels.text(measure.title) for measure in measures], rows)
    for index, measure in enumerate(measures):
        table.charts.append(bar_chart(
            f"chart-{group}-{index}", _("%(group)s: %(measure)s", group=labels.text(GROUPS[group]),
                                        measure=labels.text(measure.title)),
            [fmt.bar(labels.category(measure, code), key(measure, code)) for code in codes],
            table.table_id))
    return table


def report_sections(report: Report, labels: Labels, area_kind: str = "local_authority",
                    care_status: str = "all", area: str = ALL_AREAS) -> list[Section]:
    """Every group's section, in the order of GROUPS, in the Labels' language."""
    fmt = Formatter(report, labels)
    sections = []
    with force_locale(labels.language):
        for group, title in GROUPS.items():
            measures = [measure for measure in MEASURES if measure.group == group]
            plain = [measure for measure in measures if measure.categories is None]
            with_categories = [measure for measure in measures if measure.categories is not None]
            tables = []
            if plain:
                tables.append(_area_table(group, plain, fmt, area_kind, care_status))
            if with_categories:
                tables.append(_category_table(group, with_categories, fmt, area_kind,
                                              care_status, area))
            sections.append(Section(group, labels.text(title), tables,
                                    [(labels.text(m.title), labels.text(m.definition),
                                      m.source) for m in measures]))
    return sections


def period_text(period: Period, language: str) -> str:
    with force_locale(language):
        return _("From %(first)s to %(last)s", first=full_date(period.first_day, language),
                 last=full_date(period.last_day, language))


# --- who sees what ----------------------------------------------------------------------------

def scope_of(session: Session, person: Person) -> Scope:
    """An admin's organisation, a supervisor's team, a commissioner's granted areas."""
    if person.role == Role.ADMIN:
        return Scope(person.organisation_id)
    if person.role == Role.SUPERVISOR:
        return Scope(person.organisation_id, team_id=person.team_id)
    return Scope(person.organisation_id, areas=granted_areas(session, person))


def kinds_of(session: Session, scope: Scope) -> tuple[str, ...]:
    """The area kinds with figures for the person: both, or those of a commissioner's areas."""
    if scope.areas is None:
        return AREA_KINDS
    granted = set(session.scalars(select(Area.kind).where(Area.code.in_(scope.areas))))
    return tuple(kind for kind in AREA_KINDS if kind in granted)


def area_options(session: Session, scope: Scope, labels: Labels,
                 area_kind: str) -> list[tuple[str, str]]:
    """The areas whose categories the person may ask for: the whole first, then each area of the
    kind they may see (a commissioner's granted ones), then the unplaced."""
    stmt = select(Area.code).where(Area.kind == area_kind)
    if scope.areas is not None:
        stmt = stmt.where(Area.code.in_(scope.areas))
    codes = sorted(session.scalars(stmt), key=lambda code: labels.area(code).casefold())
    if scope.areas is None:
        codes.append(NO_AREA)
    return [(code, labels.area(code)) for code in [ALL_AREAS, *codes]]


def report_page(session: Session, person: Person, query: ReportQuery, language: str,
                published: bool = False) -> ReportPage:
    """What the report page shows the person: the query's problems, or the report (exact for
    an admin or a supervisor unless asked as published, always suppressed for a commissioner),
    its view in the audit trail."""
    if not may_read_report(person):
        raise Forbidden()
    scope = scope_of(session, person)
    labels = Labels(session, person.organisation_id, language)
    may_see_exact = person.role != Role.COMMISSIONER
    kinds = kinds_of(session, scope)
    if kinds and query.area_kind not in kinds:
        # A commissioner given police force areas alone has no figures by local authority (the
        # default): their own kind instead.
        query = replace(query, area_kind=kinds[0])
    options = area_options(session, scope, labels, query.area_kind)
    errors = {name: messages[0] for name, messages in query.errors.items()}
    if query.area not in {code for code, _name in options}:
        with force_locale(language):
            errors["area"] = _("Choose one of the options given.")
    page = ReportPage(query, errors, [], exact=False, may_see_exact=may_see_exact,
                      published=published or not may_see_exact, area_options=options, kinds=kinds,
                      placement=labels.text(AREA_PLACEMENT))
    if not kinds:
        page.no_areas = True
        return page
    if errors:
        return page
    report = annual_report(session, scope, query.period)
    if page.published:
        report = suppress(report)
    page.exact = not page.published
    page.sections = report_sections(report, labels, query.area_kind, query.care_status,
                                    query.area)
    page.period_text = period_text(query.period, language)
    # Which report, never a figure: the trail says who read the report and for when.
    record_access(session, person, "read", "annual_report", None,
                  detail=f"{query.period.first_day}/{query.period.last_day}"
                         f"{' published' if page.published else ''}")
    return page


# --- the whole report as one printable document ----------------------------------------------

def report_html(report: Report, labels: Labels, area_kind: str = "local_authority",
                care_status: str = "all", area: str = ALL_AREAS, title: str | None = None,
                published: bool | None = None) -> str:
    """The report as a whole HTML document in the Labels' language, its styles within it: for
    `flask report annual --format html`. Needs an app context, not a request. The report is
    shown as given: pass a suppressed one for anything published (said so on it: `published`,
    by default whether any figure is hidden)."""
    with force_locale(labels.language):
        return render_template(
            "reports/annual_document.html", language=labels.language,
            title=title or _("Annual report"), period_text=period_text(report.period,
                                                                       labels.language),
            sections=report_sections(report, labels, area_kind, care_status, area),
            placement=labels.text(AREA_PLACEMENT),
            published=bool(report.suppressed) if published is None else published,
            area_kind=labels.area_kind(area_kind), care_status=labels.care_status(care_status),
            styles=Markup(CSS_FILE.read_text(encoding="utf-8")))  # noqa: S704 our own file
