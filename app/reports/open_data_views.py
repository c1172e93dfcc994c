"""The annual report's open data, downloaded: the zip of CSVs and the SQLite file, for the same
query as the report page (/reports/annual)."""

import tempfile
from pathlib import Path

from flask import Blueprint, Response, g, request
from flask_babel import gettext as _

from app.auth.policy import may_read_report
from app.auth.views import page_refusal
from app.core.errors import Forbidden, ValidationFailed
from app.core.headers import private_page
from app.extensions import db
from app.i18n import current_language
from app.reports.labels import Labels
from app.reports.open_data import (
    DATABASE_NAME,
    audit_export,
    export_for,
    figures_zip,
    open_data_sqlite,
    published_report,
)
from app.reports.query import report_query

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
