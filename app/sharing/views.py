"""The interview's report for a supervisor of the child's team: read in the recipient's
language (?lang=), printed, what the child asked not to share set, and each share recorded."""

import uuid
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from app.auth.policy import may_review
from app.auth.views import check_csrf, page_refusal
from app.codelists.services import code_labels
from app.core.errors import Conflict, ValidationFailed
from app.core.headers import private_page
from app.extensions import db
from app.i18n import current_language
from app.referrals.suggesting import kind_names
from app.review import services as review
from app.review.own_words import own_words_reader
from app.review.services import names_of_people
from app.sharing import services
from app.sharing.models import RECIPIENT_KINDS
from app.sharing.report import OFFER_RESPONSES, STATUS_NAMES, build_report

sharing_blueprint = Blueprint("sharing", __name__, url_prefix="/review/interviews")
sharing_blueprint.after_request(private_page)
LONDON = ZoneInfo("Europe/London")
RECIPIENT_NAMES = dict(zip(RECIPIENT_KINDS, (
    _l("The placing authority"), _l("The child's social worker"), _l("Someone else")),
    strict=True))


def _interview(interview_id: uuid.UUID):
    """The signed-off interview, or the response to give instead (404, or 409 before sign-off)."""
    try:
        return services.signed_off_interview(db.session, g.person, interview_id), None
    except Conflict as refused:
        db.session.rollback()
        return None, (render_template("sharing/not_signed_off.html", message=str(refused),
                                      interview_id=interview_id), 409)


def _labels_of_items(definition: dict | None, language: str) -> dict:
    return {q["id"]: q["label"][language] for part in (definition or {}).get("parts", [])
            for screen in part["screens"] for q in screen["questions"]}


def _page(interview, errors=None, status=200):
    language = current_language()
    labels = code_labels(db.session, interview.organisation_id, language)
    definition = review.definition_of(db.session, interview)
    own_words = own_words_reader(review.self_report_of(db.session, g.person, interview),
                                 interview.episode.child, labels, language)
    choice = services.choice_of(db.session, interview)
    report = build_report(db.session, interview, definition, labels, language, own_words, choice)
    shares = services.shares_of(db.session, interview)
    sharers = names_of_people(db.session, [share.shared_by for share in shares])
    item_labels = _labels_of_items(definition, language)
    db.session.commit()  # the read, in the audit trail
    return render_template(
        "sharing/report.html", report=report, choice=choice, shares=shares, sharers=sharers,
        keys=services.item_keys(definition), item_labels=item_labels,
        status_names=STATUS_NAMES, kind_names=kind_names(current_language()), offer_responses=OFFER_RESPONSES,
        recipient_names=RECIPIENT_NAMES, errors=errors or {}, form=request.form), status


@sharing_blueprint.get("/<uuid:interview_id>/report")
def report_page(interview_id: uuid.UUID):
    refused = page_refusal(may_review)
    if refused:
        return refused
    interview, refusal = _interview(interview_id)
    return refusal or _page(interview)


def _told_at(text: str | None) -> datetime | None:
    """The day the child was told (a date field), as noon that day in Wales."""
    try:
        day = date.fromisoformat((text or "").strip())
    except ValueError:
        return None
    return datetime.combine(day, time(12), tzinfo=LONDON).astimezone(UTC)


def _decide(interview_id: uuid.UUID, change):
    """A supervisor's change to the report's choices or shares, in one transaction: back to
    the report, or the report again with why it was refused."""
    refused = page_refusal(may_review, url_for("sharing.report_page", interview_id=interview_id))
    if refused:
        return refused
    check_csrf()
    interview, refusal = _interview(interview_id)
    if refusal:
        return refusal
    try:
        change(interview)
        db.session.commit()
    except ValidationFailed as failed:
        db.session.rollback()
        errors = {name: str(messages[0]) for name, messages in failed.errors.items()}
        return _page(interview, errors, 422)
    return redirect(url_for("sharing.report_page", interview_id=interview_id), 303)


@sharing_blueprint.post("/<uuid:interview_id>/report/choices")
def set_choices(interview_id: uuid.UUID):
    form = request.form
    return _decide(interview_id, lambda interview: services.set_choices(
        db.session, g.person, interview,
        services.item_keys(review.definition_of(db.session, interview)),
        form.getlist("withheld"), form.getlist("overridden"), form.get("override_reason"),
        _told_at(form.get("child_told_at"))))


@sharing_blueprint.post("/<uuid:interview_id>/report/shares")
def record_share(interview_id: uuid.UUID):
    form = request.form
    return _decide(interview_id, lambda interview: services.record_share(
        db.session, g.person, interview, form.get("recipient_kind", ""),
        form.get("recipient_name", ""), form.get("language", ""), form.get("reason", "")))
