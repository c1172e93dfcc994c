"""Downloads for supervisors: the interviews they can see, as a spreadsheet."""

from zoneinfo import ZoneInfo

from flask import Blueprint, Response, current_app, g, request, url_for
from flask_babel import gettext as _

from app.core.headers import private_page
from app.core.types import utcnow
from app.extensions import db
from app.i18n import current_language
from app.reports.exports import interviews_csv
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
