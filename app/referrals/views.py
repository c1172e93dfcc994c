"""The supervisor's page of what is outstanding: referrals waiting for their next step, and
looked-after children's interviews with no Active Offer of advocacy recorded; the admin's page
of the repeat-episode policy followed in each police force area."""

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from app.auth.policy import may_administer, may_review
from app.auth.services import names_of_people
from app.auth.views import check_csrf, page_refusal
from app.core.errors import ValidationFailed
from app.core.headers import private_page
from app.extensions import db
from app.i18n import current_language
from app.referrals import outstanding, policy_page
from app.referrals.models import ReferralStatus
from app.referrals.suggesting import kind_names

referrals_blueprint = Blueprint("referrals", __name__, url_prefix="/review/referrals")
referrals_blueprint.after_request(private_page)
repeat_policies_blueprint = Blueprint("repeat_policies", __name__,
                                      url_prefix="/admin/repeat-policies")
repeat_policies_blueprint.after_request(private_page)

# The kinds a suggestion names (app/referrals/suggesting.py), as a supervisor reads them.
WAITING_FOR = {
    ReferralStatus.SUGGESTED: _l("Suggested: not yet offered, made or dismissed"),
    ReferralStatus.OFFERED: _l("Offered: not yet made"),
    ReferralStatus.MADE: _l("Made: waiting for an answer"),
}
NO_ACTIVE_OFFER = _l("Looked after: no Active Offer of advocacy recorded")


def what_waits(item: outstanding.Outstanding) -> str:
    if item.referral is None:
        return str(NO_ACTIVE_OFFER)
    # Each kind's name in both languages is data, with the rules (app/referrals/data).
    kind = kind_names(current_language()).get(item.referral.kind)
    return f"{kind or item.referral.kind}: {WAITING_FOR[item.referral.status]}"


@referrals_blueprint.get("")
def outstanding_page():
    refused = page_refusal(may_review)
    if refused:
        return refused
    items = outstanding.outstanding(db.session, g.person)
    workers = outstanding.by_worker(items)
    names = names_of_people(db.session, list(workers))
    db.session.commit()  # the listing, in the audit trail
    return render_template("review/referrals.html", items=items, workers=workers, names=names,
                           children=outstanding.by_child(items), what_waits=what_waits)


def _policies_page(saved: bool, refusal: tuple[str, str] | None = None, status: int = 200):
    """The table; a refusal (the area's code, the service's words) in the error summary, linked
    to the area's select, or to the table when the code names no area of it."""
    language = current_language()
    rows = policy_page.read_choices(db.session, g.person, language)
    db.session.commit()  # the reading, in the audit trail
    errors = {}
    if refusal is not None:
        force_code, words = refusal
        listed = any(row.code == force_code for row in rows)
        errors = {policy_page.field_id(force_code) if listed else "repeat-policies": words}
    return render_template("admin/repeat_policies.html", rows=rows, errors=errors, saved=saved,
                           names=policy_page.policy_names(language),
                           field_id=policy_page.field_id), status


@repeat_policies_blueprint.get("")
def repeat_policies():
    refused = page_refusal(may_administer)
    if refused:
        return refused
    return _policies_page(saved=request.args.get("saved") == "1")


@repeat_policies_blueprint.post("")
def choose_repeat_policy():
    refused = page_refusal(may_administer)
    if refused:
        return refused
    check_csrf()
    force_code = request.form.get("police_force_code", "")
    # An empty choice is the rules' default.
    policy = request.form.get("policy") or None
    try:
        policy_page.save_choice(db.session, g.person, force_code, policy)
    except ValidationFailed as refusal:
        db.session.rollback()
        words = " ".join(str(message) for messages in refusal.errors.values()
                         for message in messages)
        return _policies_page(saved=False, refusal=(force_code, words), status=422)
    db.session.commit()
    return redirect(url_for("repeat_policies.repeat_policies", saved="1"))
