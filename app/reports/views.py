"""Downloads for supervisors: the interviews they can see, as a spreadsheet. The annual report's
page, the admin's page of the areas a commissioner sees in it, and the report's open data."""

import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, current_app, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.auth.policy import may_administer, may_read_report
from app.auth.views import check_csrf, page_refusal
from app.core.errors import Forbidden, ValidationFailed
from app.core.headers import private_page
from app.core.types import utcnow
from app.extensions import db
from app.i18n import current_language
from app.reports import grants
from app.reports.clients.services import areas_by_group
from app.reports.exports import interviews_csv
from app.reports.facts import CARE_STATUSES
from app.reports.labels import AREA_GROUP_NAMES, AREA_KIND_NAMES, CARE_STATUS_NAMES, Labels
from app.reports.open_data import (
    DATABASE_NAME,
    audit_export,
    export_for,
    figures_zip,
    open_data_sqlite,
    published_report,
)
from app.reports.pages import report_page
from app.reports.query import last_whole_year, report_query
from app.review.views import allowed_reviewer, interviews_asked_for

reports_blueprint = Blueprint("reports", __name__, url_prefix="/reports")
reports_blueprint.after_request(private_page)


@reports_blueprint.get("/interviews.csv")
def interviews_csv_download():
    # Signed out: back to the list the download was asked from, not to a download that would
    # leave the sign-in page on the screen.
    query = request.query_string.decode("ascii", "replace")
    refused = allowed_reviewer(url_for("review.interviews") + (f"?{query}" if query else ""))
    if refused:
        return refused
    found = interviews_asked_for()
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    text = interviews_csv(db.session, g.person, found, current_language(), zone)
    db.session.commit()  # the export, in the audit trail
    # The file's name in the reader's language; letters a file system anywhere accepts.
    name = _("interviews") + "-" + utcnow().astimezone(zone).strftime("%Y-%m-%d") + ".csv"
    return Response(text, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="adref-{name}"'})


# --- the annual report ------------------------------------------------------------------------

@reports_blueprint.get("/annual")
def annual():
    if refused := page_refusal(may_read_report):
        return refused
    query = report_query(request.args)
    page = report_page(db.session, g.person, query, current_language(),
                       published=request.args.get("published") == "1")
    db.session.commit()  # the reading, in the audit trail
    return render_template(
        "reports/annual.html", page=page, sections=page.sections, placement=page.placement,
        last_year=last_whole_year(),
        # The downloads are of the same days; the page's area chooses its category tables only.
        period_args={name: request.args[name] for name in ("year", "from", "to")
                     if request.args.get(name)},
        kind_options=[(kind, AREA_KIND_NAMES[kind]) for kind in page.kinds],
        status_options=[(status, CARE_STATUS_NAMES[status]) for status in CARE_STATUSES],
    ), 422 if page.errors else 200


# --- the commissioners' areas (the admin's page) ----------------------------------------------
# Under /admin with the admin's other pages of a person; its own blueprint, as reports_blueprint
# lives under /reports.
report_areas_blueprint = Blueprint("report_areas", __name__, url_prefix="/admin")
report_areas_blueprint.after_request(private_page)


def _report_areas_page(person_id, chosen=None, errors=None, status=200, saved=False):
    person = grants.organisation_commissioner(db.session, g.person, person_id)
    return render_template(
        "reports/report_areas.html", person=person, groups=areas_by_group(db.session),
        group_names=AREA_GROUP_NAMES, errors=errors or {},
        chosen=grants.granted_areas(db.session, person) if chosen is None else chosen,
        saved=saved), status


@report_areas_blueprint.get("/people/<uuid:person_id>/report-areas")
def report_areas(person_id):
    if refused := page_refusal(may_administer):
        return refused
    return _report_areas_page(person_id, saved=request.args.get("done") == "saved")


@report_areas_blueprint.post("/people/<uuid:person_id>/report-areas")
def save_report_areas(person_id):
    check_csrf()
    if refused := page_refusal(may_administer):
        return refused
    codes = request.form.getlist("area")
    try:
        grants.grant_areas(db.session, g.person, person_id, codes)
    except ValidationFailed as refusal:
        db.session.rollback()
        return _report_areas_page(person_id, frozenset(codes),
                                  {"areas": str(refusal.errors["areas"][0])}, 422)
    db.session.commit()
    return redirect(url_for("report_areas.report_areas", person_id=person_id, done="saved"))


@reports_blueprint.app_context_processor
def _report_helpers():
    return {"may_read_report": may_read_report,
            "area_kind_name": lambda kind: AREA_KIND_NAMES[kind]}


# --- the annual report's open data, downloaded: the zip of CSVs and the SQLite file, for the
# same query as the report page ------------------------------------------------------------------
open_data_blueprint = Blueprint("open_data", __name__, url_prefix="/reports/annual")
open_data_blueprint.after_request(private_page)
REPORT_PAGE = "/reports/annual"


def _refusal(status: int, messages) -> Response:
    """A download that cannot be made: why, in the reader's language, as plain text (a file
    was asked for; a page would be saved under the file's name)."""
    return Response("\n".join(str(message) for message in messages) + "\n", status=status,
                    mimetype="text/plain")


def _download(what: str, write, mimetype: str, file_name: str) -> Response:
    """Parse the query, check the person may have it, write the file with `write(report,
    export, path)`, audit it, send it."""
    # Signed out: back to the report page the download was asked from, not to a download that
    # would leave the sign-in page on the screen.
    query = request.query_string.decode("ascii", "replace")
    refused = page_refusal(may_read_report, REPORT_PAGE + (f"?{query}" if query else ""))
    if refused:
        return refused
    asked = report_query(request.args)
    if asked.errors:
        return _refusal(400, [m for messages in asked.errors.values() for m in messages])
    try:
        export = export_for(db.session, g.person, asked.area)
    except Forbidden as refusal:
        return _refusal(403, refusal.args or [_("You may not download these figures.")])
    except ValidationFailed as refusal:
        return _refusal(400, [m for messages in refusal.errors.values() for m in messages])
    report = published_report(db.session, export.scope, asked.period)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / file_name
        write(report, export, path)
        body = path.read_bytes()
    audit_export(db.session, g.person, what, export, asked.period)
    db.session.commit()  # the export, in the audit trail
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{file_name}"'})


@open_data_blueprint.get("/figures.zip")
def figures():
    def write(report, export, path):
        labels = Labels(db.session, report.scope.organisation_id, current_language())
        figures_zip(report, labels, path, export.incidents)

    return _download("figures.zip", write, "application/zip", "adref-figures.zip")


@open_data_blueprint.get("/open-data.sqlite")
def open_data():
    def write(report, export, path):
        open_data_sqlite(db.session, report, path, export.incidents)

    # Named as Datasette's metadata (in the zip) names it.
    return _download("open-data.sqlite", write, "application/vnd.sqlite3",
                     f"{DATABASE_NAME}.sqlite")
