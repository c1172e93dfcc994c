"""The admin's pages: the organisation's people (inviting, role and team, deactivating,
reactivating, unlocking) and its teams. Only an admin, and only their own organisation's
people and teams: another organisation's answer 404. And the public page an invitation's
one-time link opens (its own blueprint, /invitations)."""

import uuid

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from app.admin import invitations, people, teams
from app.admin.mail import invitation_message, mail_configured, send_invitation
from app.auth.models import Role
from app.auth.policy import may_administer
from app.auth.services import unlock_person
from app.auth.views import check_csrf, page_refusal
from app.core.errors import ValidationFailed
from app.core.headers import private_page
from app.core.types import utcnow
from app.extensions import db
from app.i18n import requested_language

admin_blueprint = Blueprint("admin", __name__, url_prefix="/admin")
admin_blueprint.after_request(private_page)

ROLES = (Role.WORKER, Role.SUPERVISOR, Role.ADMIN, Role.COMMISSIONER)


def _notices():
    # Shown once after a change: the page is reached by a redirect that names what was done.
    return {"role": _("Role and team saved."), "deactivated": _("The account is deactivated."),
            "reactivated": _("The account is active again."),
            "unlocked": _("The account is unlocked."), "created": _("Team added."),
            "renamed": _("Team renamed.")}


def _notice():
    return _notices().get(request.args.get("done", ""))


def _refused():
    return page_refusal(may_administer)


def _uuid(text: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(text) if text else None
    except ValueError:
        return None


def _errors(refusal: ValidationFailed) -> dict:
    return {field: str(messages[0]) for field, messages in refusal.errors.items()}


def _person_or_404(person_id):
    return people.organisation_person(db.session, g.person, person_id)


# --- people -----------------------------------------------------------------------------------

@admin_blueprint.get("/people")
def people_list():
    if refused := _refused():
        return refused
    team_id = _uuid(request.args.get("team"))
    all_teams = teams.teams_of(db.session, g.person)
    if team_id not in {team.id for team in all_teams}:
        team_id = None
    rows = people.people_of(db.session, g.person, team_id, utcnow())
    return render_template("admin/people.html", rows=rows, teams=all_teams, team_id=team_id)


def _person_page(person, errors=None, status=200):
    return render_template(
        "admin/person.html", person=person, roles=ROLES, errors=errors or {},
        teams=teams.teams_of(db.session, g.person), notice=_notice(),
        last_sign_in=people.last_sign_in(db.session, person),
        cases=people.cases_held(db.session, person),
        invited=person.id in people.invited_people(db.session, [person.id], utcnow())), status


@admin_blueprint.get("/people/<uuid:person_id>")
def person_page(person_id):
    if refused := _refused():
        return refused
    return _person_page(_person_or_404(person_id))


@admin_blueprint.post("/people/<uuid:person_id>/role")
def person_role(person_id):
    check_csrf()
    if refused := _refused():
        return refused
    person = _person_or_404(person_id)
    role = request.form.get("role", "")
    try:
        people.change_role_and_team(db.session, g.person, person.id,
                                    Role(role) if role in set(Role) else person.role,
                                    _team_of_form())
    except ValidationFailed as refusal:
        db.session.rollback()
        return _person_page(_person_or_404(person_id), _errors(refusal), 422)
    db.session.commit()
    return redirect(url_for("admin.person_page", person_id=person.id, done="role"))


def _team_of_form() -> uuid.UUID | None:
    """The team chosen, which must be one of the organisation's (else 404)."""
    chosen = request.form.get("team", "")
    team_id = _uuid(chosen)
    if chosen and team_id is None:
        abort(404)
    team = _team_or_404(team_id)
    return team.id if team else None


@admin_blueprint.route("/people/<uuid:person_id>/deactivate", methods=["GET", "POST"])
def person_deactivate(person_id):
    if request.method == "POST":
        check_csrf()
    if refused := _refused():
        return refused
    person = _person_or_404(person_id)
    errors, status = {}, 200
    if request.method == "POST":
        try:
            people.deactivate(db.session, g.person, person.id, utcnow())
            db.session.commit()
            return redirect(url_for("admin.person_page", person_id=person.id, done="deactivated"))
        except ValidationFailed as refusal:
            db.session.rollback()
            person, errors, status = _person_or_404(person_id), _errors(refusal), 422
    return render_template("admin/deactivate.html", person=person, errors=errors,
                           cases=people.cases_held(db.session, person)), status


@admin_blueprint.post("/people/<uuid:person_id>/reactivate")
def person_reactivate(person_id):
    check_csrf()
    if refused := _refused():
        return refused
    person = _person_or_404(person_id)
    people.reactivate(db.session, g.person, person.id)
    db.session.commit()
    return redirect(url_for("admin.person_page", person_id=person.id, done="reactivated"))


@admin_blueprint.post("/people/<uuid:person_id>/unlock")
def person_unlock(person_id):
    check_csrf()
    if refused := _refused():
        return refused
    person = _person_or_404(person_id)
    unlock_person(db.session, current_app.config["SECRET_KEY"], g.person, person.id)
    db.session.commit()
    return redirect(url_for("admin.person_page", person_id=person.id, done="unlocked"))


# --- invitations ------------------------------------------------------------------------------

def _link(issued) -> str | None:
    if issued is None:
        return None
    return url_for("invitations.accept_form", token=issued.token, _external=True)


def _mailed(issued) -> bool | None:
    """Whether the invitation went by e-mail: None when no mail server is configured."""
    config = current_app.config
    if not mail_configured(config):
        return None
    person = issued.person
    message = invitation_message(
        config, person.email, person.display_name, person.preferred_language or "en",
        _link(issued), invitations.signs_in_with_provider(db.session, person.organisation_id))
    return send_invitation(config, message)


def _invite_page(form=None, errors=None, status=200):
    return render_template(
        "admin/invite.html", roles=ROLES, teams=teams.teams_of(db.session, g.person),
        form=form or {}, errors=errors or {},
        with_provider=invitations.signs_in_with_provider(db.session, g.person.organisation_id)
    ), status


@admin_blueprint.get("/people/invite")
def invite_form():
    if refused := _refused():
        return refused
    return _invite_page({"language": g.person.preferred_language or "en"})


@admin_blueprint.post("/people/invite")
def invite():
    check_csrf()
    if refused := _refused():
        return refused
    form = {name: request.form.get(name, "") for name in ("email", "name", "role", "team",
                                                          "language")}
    try:
        issued = invitations.invite(db.session, g.person, form["email"], form["name"],
                                    form["role"], _team_of_form(), form["language"] or None,
                                    utcnow())
    except ValidationFailed as refusal:
        db.session.rollback()
        return _invite_page(form, _errors(refusal), 422)
    db.session.commit()
    return _invited_page(issued)


def _invited_page(issued):
    return render_template("admin/invited.html", person=issued.person, link=_link(issued),
                           emailed=_mailed(issued), expires_at=issued.invitation.expires_at)


@admin_blueprint.post("/people/<uuid:person_id>/invite")
def person_reinvite(person_id):
    check_csrf()
    if refused := _refused():
        return refused
    person = _person_or_404(person_id)
    try:
        issued = invitations.reinvite(db.session, g.person, person, utcnow())
    except ValidationFailed as refusal:
        db.session.rollback()
        return _person_page(_person_or_404(person_id), _errors(refusal), 422)
    db.session.commit()
    return _invited_page(issued)


# --- teams ------------------------------------------------------------------------------------

def _teams_page(errors=None, name="", status=200):
    return render_template("admin/teams.html", rows=teams.team_rows(db.session, g.person),
                           errors=errors or {}, name=name, notice=_notice()), status


@admin_blueprint.get("/teams")
def teams_list():
    return _refused() or _teams_page()


@admin_blueprint.post("/teams")
def team_create():
    check_csrf()
    if refused := _refused():
        return refused
    name = request.form.get("name", "")
    try:
        teams.create_team(db.session, g.person, name)
    except ValidationFailed as refusal:
        db.session.rollback()
        return _teams_page(_errors(refusal), name, 422)
    db.session.commit()
    return redirect(url_for("admin.teams_list", done="created"))


def _team_or_404(team_id):
    return people.organisation_team(db.session, g.person, team_id)


@admin_blueprint.get("/teams/<uuid:team_id>")
def team_page(team_id):
    if refused := _refused():
        return refused
    team = _team_or_404(team_id)
    return render_template("admin/team.html", team=team, name=team.name, errors={})


@admin_blueprint.post("/teams/<uuid:team_id>")
def team_rename(team_id):
    check_csrf()
    if refused := _refused():
        return refused
    team = _team_or_404(team_id)
    name = request.form.get("name", "")
    try:
        teams.rename_team(db.session, g.person, team.id, name)
    except ValidationFailed as refusal:
        db.session.rollback()
        return render_template("admin/team.html", team=_team_or_404(team_id), name=name,
                               errors=_errors(refusal)), 422
    db.session.commit()
    return redirect(url_for("admin.teams_list", done="renamed"))


# --- the page an invitation's link opens ------------------------------------------------------
# No sign-in needed: in the invited person's language unless they switch. They set a password,
# or, where the organisation's own provider signs its people in, learn that they need none. A
# used, expired or unknown link says so.

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
    return _render(invitation, "invitations/unusable.html", 410, reason=reason)


def _accept_form(invitation, token, errors=None, status=200):
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
    return _accept_form(invitation, token)


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
        return _accept_form(invitation, token, errors, 422)
    db.session.commit()
    language = _language(invitation) or "en"
    return _render(invitation, "invitations/accepted.html", person=person,
                   with_provider=with_provider,
                   sign_in=url_for("auth.sign_in_form", lang=language, another=1))
