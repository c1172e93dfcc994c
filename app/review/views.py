"""Supervisors' pages: the interviews of their cases, each read in full, and importing a
tablet's rescue file for when it cannot sync."""

import re
import uuid

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from werkzeug.exceptions import RequestEntityTooLarge

from app.auth.policy import may_review
from app.auth.views import check_csrf, page_refusal
from app.codelists.services import code_labels
from app.core.errors import Conflict, ValidationFailed
from app.core.headers import private_page
from app.extensions import db
from app.i18n import current_language
from app.interviews.clock import clock_state, clock_text
from app.interviews.models import InterviewStatus
from app.interviews.rules import STATE_NAMES, exploitation_indicated
from app.referrals.models import ReferralStatus
from app.referrals.suggesting import kind_names
from app.review import conflicts, decisions, priority, services
from app.review.answers import answer_sheet
from app.review.changes import differences
from app.review.models import Decision
from app.review.own_words import own_words_reader
from app.review.queue import review_queue
from app.syncing import quarantine, rescue

review_blueprint = Blueprint("review", __name__, url_prefix="/review")
REFERRAL_STATES = {
    ReferralStatus.SUGGESTED: _l("Suggested: not yet offered, made or dismissed"),
    ReferralStatus.OFFERED: _l("Offered"),
    ReferralStatus.MADE: _l("Made: waiting for an answer"),
    ReferralStatus.ACCEPTED: _l("Accepted"),
    ReferralStatus.DECLINED: _l("Declined"),
    ReferralStatus.DISMISSED: _l("Dismissed"),
}
OFFER_RESPONSES = {"pending": _l("Waiting for an answer"), "accepted": _l("Accepted"),
                   "declined": _l("Declined")}
DECISION_NAMES = {Decision.APPROVE: _l("Approved"), Decision.RETURN: _l("Returned with comments"),
                  Decision.REOPEN: _l("Reopened")}
review_blueprint.after_request(private_page)
TEMPLATE = "review/rescue.html"
# Room in the request for the form's other parts around the file.
FORM_ALLOWANCE = 64 * 1024


def allowed_reviewer(come_back_to: str | None = None):
    """None when the signed-in person may review; otherwise the response to give instead (for
    someone signed out, the sign-in, which leads back to this page or to come_back_to)."""
    return page_refusal(may_review, come_back_to)


def _page(errors=None, result=None, status=200, notice=None, applied=False):
    return render_template(TEMPLATE, errors=errors or {}, result=result, applied=applied,
                           lines=_summary_lines(result["counts"]) if result else [],
                           waiting=[] if result else _waiting(), notice=notice), status


def _waiting() -> list[dict]:
    """Each tablet's sealed changes waiting in quarantine, with the children they are about."""
    found = quarantine.waiting(db.session, g.person, current_app.instance_path)
    shown = [{"device": w.device, "owner": w.owner, "received_at": w.received_at,
              "count": w.count,
              "children": None if w.mutations is None
              else services.children_named_in(db.session, g.person, w.mutations)}
             for w in found]
    db.session.commit()  # the reading, in the audit trail
    return shown


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
    return allowed_reviewer() or _page()


def _uploaded(max_bytes: int) -> bytes | None:
    """The uploaded file's bytes (one more than the limit at most, to tell "at" from "over")."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return None
    return upload.stream.read(rescue.file_limit(max_bytes) + 1)


def _import(raw: bytes, max_bytes: int) -> dict | int:
    """All of the file's changes in one transaction, or none of them: a file of sealed copies
    into quarantine (how many), an older tablet's rescue file applied (what happened)."""
    try:
        if len(raw) > rescue.file_limit(max_bytes):
            raise rescue.too_large(max_bytes)
        sealed = quarantine.sealed_file(raw)
        result = quarantine.import_file(db.session, g.person, sealed) if sealed else \
            rescue.import_rescue(db.session, g.person, current_app.config["SECRET_KEY"], raw,
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
        return allowed_reviewer() or _page({"file": too_large}, status=413)
    refused = allowed_reviewer()
    if refused:
        return refused
    if raw is None:
        return _page({"file": _("Choose a rescue file to import.")}, status=422)
    try:
        result = _import(raw, max_bytes)
    except ValidationFailed as failed:
        return _page({"file": str(failed.errors["file"][0])}, status=422)
    if result == 0:
        return _page(notice=_("Every change in the file was applied or discarded already."))
    if isinstance(result, int):
        return _page(notice=ngettext(
            "%(num)d change from the file is waiting below: apply it or discard it.",
            "%(num)d changes from the file are waiting below: apply them or discard them.",
            result))
    return _page(result=result)


# --- sealed changes in quarantine ---------------------------------------------------------------
def _decide(device_id: uuid.UUID, decide, shown):
    """A supervisor's decision on a tablet's sealed changes, in one transaction: the page shown
    with its outcome, or with why it was refused beside the tablet's reason field."""
    refused = allowed_reviewer(url_for("review.rescue_form"))
    if refused:
        return refused
    check_csrf()
    try:
        outcome = decide()
        db.session.commit()
    except ValidationFailed as failed:
        db.session.rollback()
        message = str(next(iter(failed.errors.values()))[0])
        return _page({f"reason-{device_id}": message}, status=422)
    return shown(outcome)


@review_blueprint.post("/rescue/sealed/<uuid:device_id>/apply")
def sealed_apply(device_id: uuid.UUID):
    return _decide(device_id, lambda: quarantine.apply(db.session, g.person,
                                                       current_app.instance_path, device_id),
                   lambda result: _page(result=result, applied=True))


@review_blueprint.post("/rescue/sealed/<uuid:device_id>/discard")
def sealed_discard(device_id: uuid.UUID):
    return _decide(device_id, lambda: quarantine.discard(db.session, g.person, device_id,
                                                         request.form.get("reason")),
                   lambda count: _page(notice=ngettext("%(num)d change discarded.",
                                                       "%(num)d changes discarded.", count)))


# --- interviews ---------------------------------------------------------------------------------
def chosen_filters() -> tuple[str, InterviewStatus | None]:
    """The search and the state asked for; a state we do not know shows every state."""
    search = request.args.get("q", "").strip()[:200]
    status = request.args.get("status")
    return search, InterviewStatus(status) if status in set(InterviewStatus) else None


def interviews_asked_for() -> list:
    """The interviews the signed-in reviewer's search and state filter find (the list page and
    its spreadsheet show the same ones)."""
    search, status = chosen_filters()
    return services.find_interviews(db.session, g.person, search, status)


PER_PAGE = 50


def clock_of(interview):
    """Where the 72-hour clock stands for the interview (worded by clock_text, as the worker's
    app words it)."""
    return clock_state(interview.episode, interview)


def chosen_page() -> int:
    """The page asked for (the first when none or nonsense; the services keep it within the
    pages there are)."""
    asked = request.args.get("page", "")
    return int(asked) if re.fullmatch(r"[0-9]{1,6}", asked) else 1


@review_blueprint.get("/")
def interviews():
    refused = allowed_reviewer()
    if refused:
        return refused
    search, status = chosen_filters()
    found = services.find_interviews_page(db.session, g.person, search, status, chosen_page(),
                                          PER_PAGE)
    interviewers = services.names_of_people(db.session, [i.interviewer_id for i in found.rows])
    page = render_template("review/interviews.html", interviews=found.rows, total=found.total,
                           page=found.page, pages=found.pages, search=search, status=status,
                           states=STATE_NAMES, interviewers=interviewers,
                           clock_of=clock_of, clock_text=clock_text)
    # The listing, in the audit trail; after the page is drawn, since a commit forgets what
    # was read and drawing would read every row again, one by one.
    db.session.commit()
    return page


@review_blueprint.get("/queue")
def queue():
    refused = allowed_reviewer()
    if refused:
        return refused
    found = review_queue(db.session, g.person, chosen_page())
    interviewers = services.names_of_people(db.session,
                                            [i.interviewer_id for i in found.rows])
    page = render_template("review/queue.html", queue=found, interviewers=interviewers,
                           reasons=priority.reasons, clock_of=clock_of, clock_text=clock_text)
    db.session.commit()  # the listing, in the audit trail (after drawing, as the list's)
    return page


def _review_parts(found, language: str, labels: dict) -> dict:
    """What the review page shows besides the interview itself: its referrals and Active
    Offer, the decisions so far, what changed since the last, and the decisions open now."""
    referrals, offer = services.referrals_of(db.session, g.person, found)
    history = decisions.decisions_of(db.session, found.id)
    definition = services.definition_of(db.session, found)
    changed = differences(definition, history[-1].snapshot,
                          decisions.snapshot_of(db.session, found), labels,
                          language) if history else None
    return {"referrals": referrals, "offer": offer, "history": history, "changed": changed,
            "open_decisions": decisions.open_decisions(g.person, found),
            "kind_names": kind_names(language), "referral_states": REFERRAL_STATES,
            "offer_responses": OFFER_RESPONSES, "decision_names": DECISION_NAMES}


def _interview_page(interview_id: uuid.UUID, errors=None, status=200, given=None):
    found = services.read_interview(db.session, g.person, interview_id)
    language = current_language()
    labels = code_labels(db.session, found.organisation_id, language)
    definition = services.definition_of(db.session, found)
    own_words = own_words_reader(services.self_report_of(db.session, g.person, found),
                                 found.episode.child, labels, language)
    sheet = answer_sheet(definition, found, labels, language, own_words) if definition else []
    people = services.names_of_people(db.session, [found.interviewer_id])
    parts = _review_parts(found, language, labels)
    db.session.commit()  # the read, in the audit trail
    return render_template("review/interview.html", interview=found, sheet=sheet,
                           labels=labels, states=STATE_NAMES,
                           exploited=exploitation_indicated(found.harms),
                           interviewer=people.get(found.interviewer_id),
                           clock_of=clock_of, clock_text=clock_text, errors=errors or {},
                           given=given or {}, decided=request.args.get("decided"),
                           **parts), status


@review_blueprint.get("/interviews/<uuid:interview_id>")
def interview(interview_id: uuid.UUID):
    return allowed_reviewer() or _interview_page(interview_id)


# Each decision's form: its field's id on the page (the error summary links to it).
FORM_FIELDS = {Decision.RETURN: "return-comment", Decision.REOPEN: "reopen-reason",
               Decision.APPROVE: "approve"}


@review_blueprint.post("/interviews/<uuid:interview_id>/<any(approve, return, reopen):decision>")
def decide(interview_id: uuid.UUID, decision: str):
    """A decision posted: made in one transaction and the page shown again (303), or the page
    with why it was refused (409 for a move the rules refuse, 422 for missing words)."""
    refused = allowed_reviewer(url_for("review.interview", interview_id=interview_id))
    if refused:
        return refused
    check_csrf()
    chosen = Decision(decision)
    comment = request.form.get("comment", "")
    try:
        decisions.decide(db.session, g.person, interview_id, chosen, comment)
        db.session.commit()
    except (Conflict, ValidationFailed) as failed:
        db.session.rollback()
        message = str(next(iter((failed.errors or {}).values()))[0])
        return _interview_page(interview_id, {FORM_FIELDS[chosen]: message}, failed.status,
                               {FORM_FIELDS[chosen]: comment})
    return redirect(url_for("review.interview", interview_id=interview_id, decided=decision),
                    303)


# --- sync conflicts -----------------------------------------------------------------------------
def _conflicts_page(errors=None, status=200, notice=None):
    shown = conflicts.open_conflicts(db.session, g.person, current_language())
    db.session.commit()  # the listing, in the audit trail
    return render_template("review/conflicts.html", conflicts=shown, errors=errors or {},
                           notice=notice), status


@review_blueprint.get("/conflicts")
def conflicts_page():
    return allowed_reviewer() or _conflicts_page()


@review_blueprint.post("/conflicts/<uuid:conflict_id>/resolve")
def resolve_conflict(conflict_id: uuid.UUID):
    refused = allowed_reviewer(url_for("review.conflicts_page"))
    if refused:
        return refused
    check_csrf()
    keep = request.form.get("keep")
    if keep not in ("device", "server"):
        abort(400)
    try:
        conflicts.resolve(db.session, g.person, conflict_id, keep == "device")
        db.session.commit()
    except ValidationFailed as failed:
        db.session.rollback()
        message = " ".join(str(m) for messages in failed.errors.values() for m in messages)
        return _conflicts_page({f"conflict-{conflict_id}": message}, 422)
    return _conflicts_page(notice=_("Saved. Every tablet gets the value kept at its next sync."))
