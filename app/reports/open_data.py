"""The annual report as open data: a zip of CSVs (one a group of measures, long and tidy, in the
reader's language, with its data dictionary) and a SQLite file ready for Datasette (the figures
in both languages, the dictionary, the areas and, for those who may see them, the de-identified
incidents).

Whatever leaves the service is published: every export is suppressed ("<5") before it is
written, whoever asks, and every export is in the audit trail."""

import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import sqlite_utils
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.services import record_access
from app.auth.models import Person
from app.auth.policy import may_read_report, may_review
from app.cases.models import Area
from app.core.errors import Forbidden, ValidationFailed
from app.core.spreadsheets import csv_text
from app.reports import dictionary
from app.reports.facts import (
    ALL_AREAS,
    AREA_KINDS,
    CARE_STATUSES,
    NO_AREA,
    FactKey,
    Period,
    Report,
    Scope,
)
from app.reports.figures import annual_report
from app.reports.incidents import BATCH, incident_code_rows, incident_rows
from app.reports.labels import Labels
from app.reports.measures import AREA_PLACEMENT, GROUPS, MEASURES, MEASURES_BY_KEY
from app.reports.pages import scope_of
from app.reports.suppression import published_value, suppress

# As the report page says it.
NO_AREAS_GRANTED = _l("No areas have been chosen for you yet. Ask an administrator of the "
                      "organisation to choose the areas whose figures you see.")
AREA_NOT_YOURS = _l("Choose an area from those you may read.")
DATABASE_NAME = "open-data"  # the SQLite file's name, which Datasette's metadata is keyed by
TITLE = _l("Return interviews for children who went missing: the annual figures")


@dataclass(frozen=True)
class Export:
    """What a person may take away: the figures of a scope, and whether the de-identified
    incidents go with them (never to a commissioner, who reads aggregates only)."""

    scope: Scope
    incidents: bool


def export_for(session: Session, person: Person, area: str = ALL_AREAS) -> Export:
    """The person's export, narrowed to one area when asked. Forbidden for a role the report
    does not serve, or a commissioner with no areas yet; ValidationFailed for an area not theirs."""
    if not may_read_report(person):
        raise Forbidden()
    scope = scope_of(session, person)
    if scope.areas is not None and not scope.areas:
        raise Forbidden(NO_AREAS_GRANTED)
    return Export(narrowed(session, scope, [] if area == ALL_AREAS else [area]),
                  incidents=may_review(person))


def narrowed(session: Session, scope: Scope, codes) -> Scope:
    """The scope restricted to these areas' incidents (none named: as it is). Each must be a
    known area, and within the scope's own areas when it has some."""
    if not codes:
        return scope
    wanted = frozenset(codes)
    known = frozenset(session.scalars(select(Area.code).where(Area.code.in_(wanted))))
    if wanted - known or (scope.areas is not None and not wanted <= scope.areas):
        raise ValidationFailed({"area": [AREA_NOT_YOURS]})
    return replace(scope, areas=wanted)


def published_report(session: Session, scope: Scope, period: Period) -> Report:
    return suppress(annual_report(session, scope, period))


def audit_export(session: Session, person: Person, what: str, export: Export,
                 period: Period) -> None:
    """One event an export: what, of which period, with incidents or not (no figure, no
    name: the report can be made again from these)."""
    detail = f"{what} {period.first_day}/{period.last_day}"
    record_access(session, person, "export", "reports", None,
                  detail=detail + (" incidents" if export.incidents else ""))


# --- the order facts are written in: a reader finds the whole first, areas by code, the
# unplaced last, and categories in their list's order.

@cache
def _category_positions(measure_key: str) -> dict[str, int]:
    return {code: n for n, code in enumerate(MEASURES_BY_KEY[measure_key].category_codes())}


MEASURE_POSITIONS = {measure.key: n for n, measure in enumerate(MEASURES)}


def _fact_order(key: FactKey) -> tuple:
    area_rank = 0 if key.area == ALL_AREAS else 2 if key.area == NO_AREA else 1
    return (MEASURE_POSITIONS[key.measure], AREA_KINDS.index(key.area_kind), area_rank, key.area,
            CARE_STATUSES.index(key.care_status),
            _category_positions(key.measure).get(key.category, 0), key.category)


def ordered_facts(report: Report, group: str | None = None) -> list[FactKey]:
    return sorted((key for key in report.values
                   if group is None or MEASURES_BY_KEY[key.measure].group == group),
                  key=_fact_order)


# --- the zip of CSVs, in the reader's language

def _figure_rows(report: Report, labels: Labels, group: str) -> Iterator[list]:
    yield list(dictionary.FIGURES_CSV.columns)
    for key in ordered_facts(report, group):
        measure = MEASURES_BY_KEY[key.measure]
        yield [key.area_kind, key.area, labels.area(key.area), key.care_status, key.measure,
               labels.text(measure.title), key.category,
               labels.category(measure, key.category) if key.category else "",
               published_value(report, key)]


def _dictionary_rows(labels: Labels) -> Iterator[list]:
    """The CSVs' columns, then each measure, then the rule placing incidents in areas."""
    yield ["name", "kind", "group", "unit", "title", "definition", "source"]
    for column, description in dictionary.FIGURES_CSV.columns.items():
        yield [column, "column", "", "", "", labels.text(description), ""]
    for measure in MEASURES:
        yield [measure.key, "measure", measure.group, measure.unit, labels.text(measure.title),
               labels.text(measure.definition), measure.source]
    yield ["area_placement", "rule", "", "", "", labels.text(AREA_PLACEMENT), ""]


def datasette_metadata(labels: Labels, incidents: bool) -> dict:
    """The SQLite file's tables and columns described for Datasette (metadata.json)."""
    tables = {name: {"description": labels.text(table.description),
                     "columns": {column: dictionary.described(column, text, labels.text)
                                 for column, text in table.columns.items()}}
              for name, table in _tables(incidents).items()}
    return {"title": labels.text(TITLE), "databases": {DATABASE_NAME: {"tables": tables}}}


def figures_zip(report: Report, labels: Labels, path, incidents: bool) -> None:
    """Writes the zip: a CSV a group (named by its key), data_dictionary.csv, and the
    metadata.json of the matching SQLite file."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for group in GROUPS:
            archive.writestr(f"{group}.csv", csv_text(_figure_rows(report, labels, group)))
        archive.writestr("data_dictionary.csv", csv_text(_dictionary_rows(labels)))
        archive.writestr("metadata.json", json.dumps(datasette_metadata(labels, incidents),
                                                     ensure_ascii=False, indent=2))


# --- the SQLite file, both languages

def _tables(incidents: bool) -> dict:
    return {name: table for name, table in dictionary.SQLITE_TABLES.items()
            if incidents or name not in dictionary.INCIDENT_TABLES}


def _names(key: FactKey, labels: Labels) -> dict:
    """A fact's names in one Labels' language."""
    measure = MEASURES_BY_KEY[key.measure]
    return {"area": labels.area(key.area), "care_status": labels.care_status(key.care_status),
            "measure_title": labels.text(measure.title),
            "category": labels.category(measure, key.category) if key.category else ""}


def _bilingual_figures(report: Report, english: Labels, welsh: Labels) -> Iterator[dict]:
    for key in ordered_facts(report):
        shown = report.shown(key)
        names = {f"{name}_en": words for name, words in _names(key, english).items()} | {
            f"{name}_cy": words for name, words in _names(key, welsh).items()}
        yield {"area_kind": key.area_kind, "area_code": key.area,
               "care_status": key.care_status, "measure": key.measure,
               "category": key.category, **names,
               "value": shown, "suppressed": int(shown is None)}


def _write_figures(database, report: Report, english: Labels, welsh: Labels) -> None:
    columns = {column: str for column in dictionary.SQLITE_TABLES["figures"].columns}
    database["figures"].create(
        columns | {"value": int, "suppressed": int},
        pk=("measure", "area_kind", "area_code", "care_status", "category"),
        not_null=set(columns) - {"value"})
    database["figures"].insert_all(_bilingual_figures(report, english, welsh),
                                   batch_size=BATCH)


def _write_dictionary(database, english: Labels, welsh: Labels, incidents: bool) -> None:
    database["data_dictionary"].insert_all(({
        "measure": measure.key, "group": measure.group, "unit": measure.unit,
        "title_en": english.text(measure.title), "title_cy": welsh.text(measure.title),
        "definition_en": english.text(measure.definition),
        "definition_cy": welsh.text(measure.definition), "source": measure.source,
        "area_placement_en": english.text(AREA_PLACEMENT),
        "area_placement_cy": welsh.text(AREA_PLACEMENT)} for measure in MEASURES),
        pk="measure")
    database["columns"].insert_all(({
        "table_name": table, "column_name": column,
        "description_en": dictionary.described(column, text, english.text),
        "description_cy": dictionary.described(column, text, welsh.text)}
        for table, written in _tables(incidents).items()
        for column, text in written.columns.items()), pk=("table_name", "column_name"))


def _write_areas(database, session: Session) -> None:
    rows = session.execute(select(Area.code, Area.kind, Area.name_en, Area.name_cy,
                                  Area.police_force_code).order_by(Area.code))
    database["areas"].insert_all((row._asdict() for row in rows), pk="code")


def _write_incidents(database, session: Session, scope: Scope, period: Period) -> None:
    numbers: dict = {}
    columns = dictionary.SQLITE_TABLES["incidents"].columns
    whole = ("incident", "out_of_area", "held_within_72_hours")
    database["incidents"].create(
        {column: int if column in whole else str for column in columns}, pk="incident",
        not_null={"incident", "reported_missing_on", "age_band", "care_status"})
    database["incidents"].insert_all(incident_rows(session, scope, period, numbers),
                                     batch_size=BATCH)
    database["incident_codes"].create(
        {"incident": int, "source": str, "list_name": str, "code": str},
        pk=("incident", "source", "list_name", "code"),
        foreign_keys=[("incident", "incidents", "incident")])
    database["incident_codes"].insert_all(incident_code_rows(session, scope, period, numbers),
                                          batch_size=BATCH)


def open_data_sqlite(session: Session, report: Report, path: Path, incidents: bool) -> None:
    """Writes the SQLite file at `path` (replacing any file there): the report's figures, its
    dictionary, the areas, and with `incidents` the de-identified incidents of its scope."""
    english = Labels(session, report.scope.organisation_id, "en")
    welsh = Labels(session, report.scope.organisation_id, "cy")
    database = sqlite_utils.Database(path, recreate=True)
    try:
        _write_figures(database, report, english, welsh)
        _write_dictionary(database, english, welsh, incidents)
        _write_areas(database, session)
        if incidents:
            _write_incidents(database, session, report.scope, report.period)
    finally:
        database.conn.close()
