"""The partner intelligence submission for supervisors: a page to read and print, and the same
as a CSV download. Before the interview is approved both answer 409 with a page saying why."""

import uuid
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, current_app, g, render_template, url_for
from flask_babel import gettext as _

from app.auth.policy import may_review
from app.auth.views import page_refusal
from app.core.errors import Conflict
from app.core.headers import private_page
from app.core.types import utcnow
from app.extensions import db
from app.i18n import current_language
from app.intelligence.export import submission_csv
from app.intelligence.submission import details_of, read_submission

intelligence_blueprint = Blueprint("intelligence", __name__, url_prefix="/review")
intelligence_blueprint.after_request(private_page)


def _submission(interview_id: uuid.UUID, action: str):
    """The submission, or the response that refuses it (a 404, or the 409 page)."""
    try:
        found = read_submission(db.session, g.person, interview_id, current_language(), action)
    except Conflict as refusal:
        return None, (render_template("review/intelligence_not_yet.html", reason=str(refusal),
                                      interview_id=interview_id), 409)
    db.session.commit()  # the read or the export, in the audit trail
    return found, None


@intelligence_blueprint.get("/interviews/<uuid:interview_id>/intelligence")
def submission_page(interview_id: uuid.UUID):
    refused = page_refusal(may_review)
    if refused:
        return refused
    found, refusal = _submission(interview_id, "read")
    return refusal or render_template("review/intelligence.html", submission=found,
                                      details_of=details_of, today=utcnow())


@intelligence_blueprint.get("/interviews/<uuid:interview_id>/intelligence.csv")
def submission_download(interview_id: uuid.UUID):
    refused = page_refusal(may_review, url_for(".submission_page", interview_id=interview_id))
    if refused:
        return refused
    found, refusal = _submission(interview_id, "export")
    if refusal:
        return refusal
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    name = _("intelligence") + "-" + utcnow().astimezone(zone).strftime("%Y-%m-%d") + ".csv"
    return Response(submission_csv(found, zone), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="adref-{name}"'})
