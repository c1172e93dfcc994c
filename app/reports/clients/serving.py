"""What a report client is served: the annual report of its organisation, restricted to the
areas asked for and suppressed for publication, as JSON with the measures' definitions in
Welsh and English. Counts only: no name, date of birth or free text is in a fact."""

from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import Organisation
from app.cases.models import Area
from app.reports.clients.models import ReportClient
from app.reports.clients.services import record_report_read
from app.reports.facts import ALL_AREAS, Period, Report, Scope
from app.reports.figures import annual_report
from app.reports.measures import MEASURES
from app.reports.suppression import suppress

LANGUAGES = ("en", "cy")


def _in_each_language(lazy) -> dict[str, str]:
    result = {}
    for language in LANGUAGES:
        with force_locale(language):
            result[language] = str(lazy)
    return result


def definitions() -> dict:
    return {measure.key: {"title": _in_each_language(measure.title),
                          "definition": _in_each_language(measure.definition),
                          "unit": measure.unit, "source": measure.source}
            for measure in MEASURES}


def _areas(session: Session, codes: frozenset[str]) -> list[dict]:
    found = session.scalars(select(Area).where(Area.code.in_(codes)).order_by(Area.kind,
                                                                              Area.code))
    return [{"code": area.code, "kind": area.kind,
             "names": {"en": area.name_en, "cy": area.name_cy}} for area in found]


def facts(report: Report, codes: frozenset[str]) -> list[dict]:
    """Every fact of the report in the areas asked for (and the whole of them), as published:
    a suppressed count is null, and says so."""
    keys = sorted(key for key in set(report.values) | set(report.suppressed)
                  if key.area in codes or key.area == ALL_AREAS)
    return [{"measure": key.measure, "area_kind": key.area_kind, "area": key.area,
             "care_status": key.care_status, "category": key.category,
             "value": report.shown(key), "suppressed": key in report.suppressed}
            for key in keys]


def annual_figures_of(session: Session, client: ReportClient, period: Period,
                      codes: frozenset[str]) -> dict:
    """The figures, and the read in the audit trail."""
    report = suppress(annual_report(session, Scope(client.organisation_id, None, codes), period))
    organisation = session.get(Organisation, client.organisation_id)
    record_report_read(session, client, f"{period.first_day}..{period.last_day}", codes)
    return {"period": {"from": period.first_day.isoformat(), "to": period.last_day.isoformat()},
            "organisation": {"name": organisation.name},
            "areas": _areas(session, codes),
            "facts": facts(report, codes),
            "definitions": definitions()}
