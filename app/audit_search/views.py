"""/admin/audit: an administrator searches their organisation's audit trail by person, by
child and by date."""

import uuid
from datetime import date

from flask import Blueprint, g, render_template, request
from flask_babel import lazy_gettext as _l

from app.audit_search import services
from app.auth.policy import may_administer
from app.auth.views import page_refusal
from app.core.headers import private_page
from app.extensions import db

audit_search_blueprint = Blueprint("audit_search", __name__, url_prefix="/admin")
audit_search_blueprint.after_request(private_page)

# What each action and collection of the trail is called, in the reader's language. A code
# not named here (an action added later) is shown as it is stored.
ACTION_NAMES = {
    "list": _l("Listed"), "read": _l("Read"), "create": _l("Created"), "update": _l("Changed"),
    "export": _l("Exported"), "share": _l("Shared"), "search": _l("Searched"),
    "sync-create": _l("Created on a tablet"), "sync-update": _l("Changed on a tablet"),
    "sync-delete": _l("Deleted on a tablet"), "pull": _l("Sent to a tablet"),
    "resolve": _l("Conflict resolved"), "rescue-import": _l("Rescue file imported"),
    "sealed-import": _l("Sealed changes handed in"), "sealed-read": _l("Sealed changes read"),
    "sealed-apply": _l("Sealed changes applied"),
    "sealed-discard": _l("Sealed changes discarded"),
    "sign-in": _l("Signed in"), "sign-out": _l("Signed out"),
    "sign-in-failed": _l("Sign-in failed"), "locked": _l("Account locked"),
    "unlock": _l("Account unlocked"), "enrol": _l("Tablet set up"),
    "revoke": _l("Tablet's access withdrawn"), "refresh": _l("Tablet's access renewed"),
    "sign-out-all": _l("Signed out everywhere"), "renew": _l("Tablet signed in again"),
    "2fa-enrolled": _l("Second factor set up"), "2fa-reset": _l("Second factor reset"),
    "2fa-recovery": _l("Recovery code used"), "2fa-wrong-code": _l("Wrong sign-in code"),
    "2fa-locked": _l("Second factor locked"), "2fa-new-codes": _l("New recovery codes made"),
    "invite": _l("Invited"), "accept": _l("Invitation accepted"),
    "change-role": _l("Role changed"), "change-team": _l("Team changed"),
    "deactivate": _l("Account deactivated"), "reactivate": _l("Account reactivated"),
    "rename": _l("Renamed"), "assign": _l("Worker assigned"),
    "intake-offer": _l("Offered as a possible match"), "intake-find": _l("Chosen at intake"),
    "intake-create": _l("Created at intake"),
    "review-approve": _l("Interview approved"), "review-return": _l("Interview returned"),
    "review-reopen": _l("Interview reopened"),
    "report-areas": _l("Report areas granted"), "token": _l("Access token issued"),
    "api-report": _l("Annual figures read by a system"),
}
COLLECTION_NAMES = {
    "children": _l("child"), "episodes": _l("missing episode"), "interviews": _l("interview"),
    "attempts": _l("attempt at an interview"), "self_reports": _l("young person's own section"),
    "referrals": _l("referral"), "advocacy_offers": _l("Active Offer"),
    "intelligence_items": _l("information for the police"),
    "report_choices": _l("what the report leaves out"),
    "interview_reports": _l("interview report"), "people": _l("person"),
    "devices": _l("tablet"), "sync": _l("tablet's sync"), "audit_events": _l("audit trail"),
    "questionnaires": _l("questionnaire"), "areas": _l("area"),
    "missing_episodes": _l("missing episode"), "teams": _l("team"),
    "invitations": _l("invitation"), "identity_providers": _l("organisation's sign-in"),
    "board": _l("board"), "review_decisions": _l("review decision"),
    "annual_report": _l("annual report"), "report_clients": _l("report client"),
}
# The form's fields, in the order of the page (and of its error summary).
FIELDS = ("person", "child", "date_from", "date_to")


def _day(text: str) -> date | None:
    """A day as a date field sends it (2026-12-06); ValueError for anything else."""
    return date.fromisoformat(text) if text else None


def _filters(form, people: list) -> tuple[services.Filters, dict]:
    """The search asked for, and what is wrong with it, field by field."""
    errors, filters = {}, services.Filters(child=form.get("child", "").strip() or None)
    person = form.get("person", "")
    if person:
        try:
            filters.person_id = uuid.UUID(person)
        except ValueError:
            pass
        if filters.person_id not in {someone.id for someone in people}:
            errors["person"] = _l("Choose a person from the list.")
    for field, message in (("date_from", _l("Enter “From date” as a real date, for example "
                                            "2026-12-06.")),
                           ("date_to", _l("Enter “To date” as a real date, for example "
                                          "2026-12-06."))):
        try:
            setattr(filters, field, _day(form.get(field, "").strip()))
        except ValueError:
            errors[field] = message
    if filters.date_from and filters.date_to and filters.date_to < filters.date_from:
        errors["date_to"] = _l("“To date” must be the same as “From date” or after it.")
    return filters, errors


def _page_number(text: str) -> int:
    return int(text) if text.isdigit() and 0 < int(text) < 1_000_000 else 1


@audit_search_blueprint.get("/audit")
def trail():
    refused = page_refusal(may_administer)
    if refused:
        return refused
    people = services.people_of_organisation(db.session, g.person)
    filters, errors = _filters(request.args, people)
    page = _page_number(request.args.get("page", ""))
    found = None
    if not errors:
        found = services.search_events(db.session, g.person, filters, page)
    names = {someone.id: someone.display_name for someone in people}
    db.session.commit()  # the search, in the audit trail
    return render_template(
        "audit/trail.html", people=people, names=names, filters=filters, found=found,
        errors=errors, page=page, form=request.args, action_names=ACTION_NAMES,
        collection_names=COLLECTION_NAMES), 422 if errors else 200

