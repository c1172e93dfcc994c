"""Supervisors' pages. For now: importing a tablet's rescue file, for when it cannot sync."""

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.exceptions import RequestEntityTooLarge

from app.auth.policy import may_review
from app.auth.views import check_csrf
from app.core.errors import NotFound, ValidationFailed
from app.extensions import db
from app.syncing import rescue

review_blueprint = Blueprint("review", __name__, url_prefix="/review")
TEMPLATE = "review/rescue.html"
# Room in the request for the form's other parts around the file.
FORM_ALLOWANCE = 64 * 1024


def _allowed():
    """None when the signed-in person may import; otherwise the response to give instead."""
    if g.person is None:
        return redirect(url_for("auth.sign_in_form", next=url_for("review.rescue_form")))
    if not may_review(g.person):
        abort(403)
    return None


def _page(errors=None, result=None, status=200):
    return render_template(TEMPLATE, errors=errors or {}, result=result,
                           lines=_summary_lines(result["counts"]) if result else []), status


def _summary_lines(counts: dict) -> list[str]:
    """One sentence per kind of result that happened, in the reader's language."""
    sentences = {
        "applied": ngettext("%(num)d change applied.", "%(num)d changes applied.",
                            counts["applied"]),
        "duplicate": ngettext("%(num)d change was already there.",
                              "%(num)d changes were already there.", counts["duplicate"]),
        "merged": ngettext("%(num)d change merged with changes made since.",
                           "%(num)d changes merged with changes made since.", counts["merged"]),
        "conflict": ngettext("%(num)d change clashes with a change made since and needs a decision.",
                             "%(num)d changes clash with changes made since and need a decision.",
                             counts["conflict"]),
        "rejected": ngettext("%(num)d change could not be applied.",
                             "%(num)d changes could not be applied.", counts["rejected"]),
    }
    return [sentences[status] for status in rescue.STATUSES if counts[status]]


@review_blueprint.get("/rescue")
def rescue_form():
    return _allowed() or _page()


def _uploaded(max_bytes: int) -> bytes | None:
    """The uploaded file's bytes (one more than the limit at most, to tell "at" from "over")."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return None
    return upload.stream.read(rescue.file_limit(max_bytes) + 1)


def _import(raw: bytes, max_bytes: int) -> dict:
    """All of the file's changes in one transaction, or none of them."""
    try:
        result = rescue.import_rescue(db.session, g.person, current_app.config["SECRET_KEY"], raw,
                                      max_bytes)
        db.session.commit()
        return result
    except BaseException:
        db.session.rollback()
        raise


@review_blueprint.post("/rescue")
def rescue_upload():
    max_bytes = current_app.config["SYNC_MAX_BYTES"]
    # A rescue file may be as large as a push, more than the site's usual form limit.
    request.max_content_length = rescue.file_limit(max_bytes) + FORM_ALLOWANCE
    try:
        check_csrf()
        raw = _uploaded(max_bytes)
    except RequestEntityTooLarge:
        too_large = str(rescue.too_large(max_bytes).errors["file"][0])
        return _allowed() or _page({"file": too_large}, status=413)
    refused = _allowed()
    if refused:
        return refused
    if raw is None:
        return _page({"file": _("Choose a rescue file to import.")}, status=422)
    try:
        result = _import(raw, max_bytes)
    except ValidationFailed as failed:
        return _page({"file": str(failed.errors["file"][0])}, status=422)
    except NotFound:
        abort(404)
    return _page(result=result)
