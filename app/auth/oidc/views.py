"""Sign-in with the organisation's own account (OpenID Connect), and the admin's page that sets
the organisation's provider."""


from flask import (
    Blueprint,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select

from app.audit.services import record_access
from app.auth.models import Role
from app.auth.oidc.models import IdentityProvider
from app.auth.oidc.services import (
    ProviderUnavailable,
    SignInRefused,
    begin_sign_in,
    finish_sign_in,
    open_client_secret,
    provider_for_email,
    provider_of,
    record_refusal,
)
from app.auth.oidc.settings import (
    form_values,
    people_without_password,
    read_settings,
    remove_provider,
    save_settings,
)
from app.auth.policy import may_administer
from app.auth.views import (
    RETURN_PAGES,
    check_csrf,
    complete_sign_in,
    language_chosen_at_sign_in,
    next_page,
    page_refusal,
    role_label,
)
from app.core.types import utcnow
from app.extensions import db

oidc_blueprint = Blueprint("oidc", __name__)
# The sign-in under way, in Flask's signed session cookie: state, nonce, code verifier, which
# provider, where to go after, when it began.
PENDING = "oidc_pending"
FIELD = "oidc-email"


@oidc_blueprint.app_context_processor
def _offered():
    def organisation_sign_in_offered() -> bool:
        return db.session.scalars(select(IdentityProvider.id).limit(1)).first() is not None
    return {"organisation_sign_in_offered": organisation_sign_in_offered}


def _refusal_message(reason: str) -> tuple[str, int]:
    """What a person is told when their sign-in through the provider does not go ahead."""
    if reason in ("not_started", "expired"):
        return _("Your sign-in took too long, or was not started on this device. Start again."), 400
    if reason == "wrong_state":
        return _("Adref could not check that this sign-in is yours. Start again."), 400
    if reason == "unavailable":
        return _("Your organisation's sign-in service cannot be reached. Try again later."), 503
    if reason == "provider_error":
        return _("Your organisation's sign-in service did not sign you in. Start again, or ask "
                 "your administrator."), 403
    if reason in ("exchange_failed", "bad_token"):
        return _("Your organisation's sign-in service sent a sign-in that Adref cannot trust. "
                 "Start again, or ask your administrator."), 403
    if reason == "too_old":
        return _("Sign in again at your organisation's sign-in service: this device needs a "
                 "fresh sign-in. Start again."), 403
    if reason == "no_role":
        return _("Your organisation's account has no role in Adref. Ask your administrator to "
                 "give you one."), 403
    if reason == "deactivated":
        return _("Your Adref account is switched off. Ask your administrator."), 403
    return _("Adref cannot match your organisation's account to an Adref account. Ask your "
             "administrator."), 403


def _sign_in_page(message: str, status: int, email: str = "", come_back_to: str | None = None):
    return render_template("auth/sign_in.html", errors={FIELD: message}, email="",
                           oidc_email=email, next=come_back_to or next_page(),
                           chosen_language=language_chosen_at_sign_in()), status


@oidc_blueprint.post("/sign-in/oidc")
def start():
    check_csrf()
    email = request.form.get("oidc_email", "").strip()
    if not email:
        return _sign_in_page(_("Enter your work email address"), 422)
    provider = provider_for_email(db.session, email)
    if provider is None:
        return _sign_in_page(_("Your organisation has no sign-in service of its own in Adref. "
                               "Sign in with your email address and password."), 422, email)
    try:
        url, pending = begin_sign_in(provider, url_for("oidc.callback", _external=True), email,
                                     next_page(), utcnow())
    except ProviderUnavailable:
        return _sign_in_page(*_refusal_message("unavailable"), email)
    pending["lang"] = language_chosen_at_sign_in()
    session[PENDING] = pending
    # Not a redirect: the sign-in page's content security policy lets its forms lead to this
    # site only, redirects included. A page that moves on at once (and a link, should it not).
    response = make_response(render_template("auth/oidc_continue.html", url=url))
    response.headers["Refresh"] = f"0;url={url}"
    response.headers["Cache-Control"] = "no-store"
    return response


@oidc_blueprint.get("/sign-in/oidc/callback")
def callback():
    # Used once, whatever happens: a second visit to this address finds nothing pending.
    pending = session.pop(PENDING, None)
    try:
        person, _provider = finish_sign_in(db.session, current_app.config["SECRET_KEY"], pending,
                                           request.args.to_dict(),
                                           url_for("oidc.callback", _external=True), utcnow())
    except SignInRefused as refusal:
        db.session.rollback()
        record_refusal(db.session, refusal,
                       pending.get("provider_id") if isinstance(pending, dict) else None)
        db.session.commit()
        # The sign-in page again, still leading where the person was going.
        wanted = pending.get("next") if isinstance(pending, dict) else None
        return _sign_in_page(*_refusal_message(refusal.reason),
                             come_back_to=wanted if RETURN_PAGES.fullmatch(wanted or "") else None)
    wanted = pending.get("next") or ""
    return complete_sign_in(person, pending.get("lang"),
                            wanted if RETURN_PAGES.fullmatch(wanted) else None)


def _role_names() -> str:
    return ", ".join(role_label(role) for role in Role)


@oidc_blueprint.route("/admin/sign-in", methods=["GET", "POST"])
def provider_settings():
    refusal = page_refusal(may_administer)
    if refusal is not None:
        return refusal
    server_secret = current_app.config["SECRET_KEY"]
    provider = provider_of(db.session, g.person.organisation_id)
    stored_state = "none" if provider is None else (
        "set" if open_client_secret(server_secret, provider.client_secret) is not None
        else "unreadable")
    if request.method == "GET":
        record_access(db.session, g.person, "read", "identity_providers",
                      provider.id if provider else None)
        db.session.commit()
        return render_template("auth/oidc_provider.html", values=form_values(provider, role_label),
                               errors={}, stored_state=stored_state, roles=_role_names(),
                               saved=request.args.get("saved") == "1",
                               removed=request.args.get("removed") == "1")
    check_csrf()
    settings, errors = read_settings(db.session, request.form, g.person.organisation_id,
                                     secret_kept=stored_state == "set")
    if errors:
        values = {**request.form.to_dict(), "prompt_login": request.form.get("prompt_login") == "yes"}
        return render_template("auth/oidc_provider.html", values=values, errors=errors,
                               stored_state=stored_state, roles=_role_names(), saved=False), 422
    save_settings(db.session, server_secret, g.person, provider, settings)
    db.session.commit()
    return redirect(url_for("oidc.provider_settings", saved="1"))


@oidc_blueprint.route("/admin/sign-in/remove", methods=["GET", "POST"])
def provider_removal():
    """Asks first, saying who would be left with no way in; then removes the provider."""
    refusal = page_refusal(may_administer)
    if refusal is not None:
        return refusal
    provider = provider_of(db.session, g.person.organisation_id)
    if provider is None:
        return redirect(url_for("oidc.provider_settings"))
    if request.method == "GET":
        return render_template("auth/oidc_remove.html", provider=provider,
                               without_password=people_without_password(
                                   db.session, g.person.organisation_id))
    check_csrf()
    remove_provider(db.session, g.person, provider)
    db.session.commit()
    return redirect(url_for("oidc.provider_settings", removed="1"))
