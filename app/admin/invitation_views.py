"""The page an invitation's one-time link opens (no sign-in needed), in the invited person's
language unless they switch: set a password, or, where the organisation's own provider signs
its people in, learn that they need none. A used, expired or unknown link says so."""

from flask import Blueprint, g, render_template, request, url_for
from flask_babel import force_locale

from app.admin import invitations
from app.auth.views import check_csrf
from app.core.errors import ValidationFailed
from app.core.headers import private_page
from app.core.types import utcnow
from app.extensions import db
from app.i18n import requested_language

invitations_blueprint = Blueprint("invitations", __name__, url_prefix="/invitations")


@invitations_blueprint.after_request
def _no_referrer(response):
    # The address is the key to an account: kept from caches and from any other page's referrer.
    private_page(response)
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _language(invitation) -> str | None:
    chosen = requested_language()
    if chosen or invitation is None:
        return chosen
    return invitation.person.preferred_language


def _render(invitation, template: str, status: int = 200, **context):
    language = _language(invitation)
    if language is None:
        return render_template(template, **context), status
    with force_locale(language):
        return render_template(template, **context), status


def _unusable(invitation):
    """Why the link cannot be used: never made (404), or used or expired (410)."""
    if invitation is None:
        return _render(None, "invitations/unusable.html", 404, reason="unknown")
    expired = invitation.spent_at is None and invitation.expires_at <= utcnow()
    # A deactivated person's invitations are spent with it; either way, "used".
    reason = "expired" if expired and invitation.person.active else "spent"
    return _render(invitation, "invitations/unusable.html", 410, reason=reason,
                   email=invitation.person.email)


def _form(invitation, token, errors=None, status=200):
    with_provider = invitations.signs_in_with_provider(db.session, invitation.organisation_id)
    return _render(invitation, "invitations/accept.html", status, token=token,
                   person=invitation.person, errors=errors or {}, with_provider=with_provider,
                   minimum=invitations.PASSWORD_MIN_LENGTH)


@invitations_blueprint.get("/<token>")
def accept_form(token):
    g.person = None  # whoever else is signed in here, this page is the invited person's
    invitation = invitations.find_invitation(db.session, token)
    if not invitations.usable(invitation, utcnow()):
        return _unusable(invitation)
    return _form(invitation, token)


@invitations_blueprint.post("/<token>")
def accept(token):
    check_csrf()
    g.person = None
    invitation = invitations.find_invitation(db.session, token)
    if not invitations.usable(invitation, utcnow()):
        return _unusable(invitation)
    with_provider = invitations.signs_in_with_provider(db.session, invitation.organisation_id)
    try:
        person = invitations.accept(
            db.session, token, None if with_provider else request.form.get("password", ""),
            request.form.get("confirmation", ""), utcnow())
    except ValidationFailed as refusal:
        db.session.rollback()
        if "token" in refusal.errors:  # spent by another request a moment ago
            return _unusable(invitations.find_invitation(db.session, token))
        errors = {field: str(messages[0]) for field, messages in refusal.errors.items()}
        return _form(invitation, token, errors, 422)
    db.session.commit()
    language = _language(invitation) or person.preferred_language or "en"
    return _render(invitation, "invitations/accepted.html", person=person,
                   with_provider=with_provider,
                   sign_in=url_for("auth.sign_in_form", lang=language, another=1))
