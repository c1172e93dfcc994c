"""Sign-in and sign-out pages for local accounts."""

import re
import secrets
import uuid
from datetime import datetime, timedelta

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from app.audit.services import record_access
from app.auth.policy import may_administer, may_review, may_work_on_cases
from app.auth.second_factor.services import is_enrolled, needs_second_factor
from app.auth.services import sign_in_attempt
from app.auth.sessions import (
    SESSION_COOKIE,
    end_session,
    person_for_token,
    set_session_cookie,
    start_session,
)
from app.core.types import utcnow
from app.extensions import db
from app.i18n import LANG_COOKIE, requested_language, supported_languages

auth_blueprint = Blueprint("auth", __name__)


@auth_blueprint.before_app_request
def load_signed_in_person():
    """g.person: whom this browser's session cookie names (None for no one), for every request;
    a ?lang= switch becomes their preferred language."""
    idle_limit = timedelta(seconds=current_app.config["SESSION_IDLE_SECONDS"])
    absolute_limit = timedelta(seconds=current_app.config["SESSION_ABSOLUTE_SECONDS"])
    g.person = person_for_token(request.cookies.get(SESSION_COOKIE), idle_limit, absolute_limit)
    language = requested_language()
    if g.person is not None and language and g.person.preferred_language != language:
        g.person.preferred_language = language
    if db.session.dirty:
        db.session.commit()


def csrf_token() -> str:
    """A per-browser token, kept in Flask's signed cookie, that every form posts back."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def check_csrf() -> None:
    sent = request.form.get("csrf_token", "")
    if not sent or not secrets.compare_digest(sent, session.get("csrf", "")):
        abort(400)


def role_label(role: str) -> str:
    labels = {"worker": _("worker"), "supervisor": _("supervisor"), "admin": _("administrator"),
              "commissioner": _("commissioner")}
    return labels.get(str(role), str(role))


@auth_blueprint.app_context_processor
def _template_helpers():
    return {"csrf_token": csrf_token, "role_label": role_label, "may_review": may_review,
            "may_work_on_cases": may_work_on_cases, "may_administer": may_administer}


def language_chosen() -> bool:
    return bool(requested_language() or request.cookies.get(LANG_COOKIE)
                or (g.person is not None and g.person.preferred_language))


# The pages a sign-in may return to, named exactly (with their query), so that `next` can never
# send anyone to another site. The query holds no control character: a CR or LF in the Location
# header would be a header of its own (werkzeug refuses to send it, with a 500).
RETURN_PAGES = re.compile(
    r"/(app|review/|(review|admin|board|intake|account|reports)(/[A-Za-z0-9_-]+)*/?)"
    r"(\?[^\\\x00-\x1f\x7f]*)?")


def page_refusal(may, come_back_to: str | None = None):
    """None when the signed-in person passes may(person); otherwise the response to give
    instead: for someone signed out, the sign-in, which leads back to this page (or to
    come_back_to); for anyone else, 403."""
    if g.person is None:
        return redirect(url_for("auth.sign_in_form",
                                next=come_back_to or request.full_path.rstrip("?")))
    if not may(g.person):
        abort(403)
    return None


def next_page() -> str | None:
    """Where to go after signing in: one of our own pages."""
    wanted = request.values.get("next", "")
    return wanted if RETURN_PAGES.fullmatch(wanted) else None


@auth_blueprint.get("/sign-in")
def sign_in_form():
    if g.person is not None and request.args.get("another") is None:
        # Already signed in: on to where they were going. A shared tablet's next worker signs
        # in over them from the "Set up this tablet for another worker" link (?another=1).
        return redirect(next_page() or url_for("pages.landing"))
    if not language_chosen():
        return render_template("auth/choose_language.html", next=next_page())
    # Sent back here when the second step took too long.
    notice = _("Signing in took too long. Sign in again.") if request.args.get("expired") \
        else None
    return render_template("auth/sign_in.html", errors={}, email="", next=next_page(),
                           chosen_language=requested_language(), notice=notice)


def language_chosen_at_sign_in() -> str | None:
    """The language picked on the way to this sign-in (the active offer, or the switch on the
    sign-in page), which becomes the person's own; None when they picked none this time, so
    a language left in a shared browser does not overwrite theirs."""
    chosen = request.form.get("lang")
    return chosen if chosen in supported_languages() else None


@auth_blueprint.post("/sign-in")
def sign_in():
    check_csrf()
    email = request.form.get("email", "").strip()
    password = request.form.get("password", "")
    errors = {}
    if not email:
        errors["email"] = _("Enter your email address")
    if not password:
        errors["password"] = _("Enter your password")
    status = 422
    person = None
    if not errors:
        outcome = sign_in_attempt(db.session, current_app.config["SECRET_KEY"], email, password,
                                  request.remote_addr, utcnow())
        db.session.commit()  # the count of wrong passwords, whatever the answer
        person = outcome.person
        if outcome.refused_until is not None:
            # The same words whether or not an account has this address.
            errors["email"] = _("There have been too many wrong passwords. Signing in is locked "
                                "for up to 30 minutes. Try again later, or ask an administrator "
                                "to unlock your account.")
            status = 429
        elif person is None:
            errors["email"] = _("The email address or password is not right")
    if errors:
        return render_template("auth/sign_in.html", errors=errors, email=email,
                               next=next_page(), chosen_language=language_chosen_at_sign_in()), status
    if needs_second_factor(db.session, person):
        # The password was right; the session starts only after the second factor.
        language = language_chosen_at_sign_in()
        begin_half_sign_in(person.id, language, next_page(), utcnow())
        step = "second_factor.code_form" if is_enrolled(db.session, person) \
            else "second_factor.enrol_form"
        return redirect(url_for(step, lang=language))
    return complete_sign_in(person, language_chosen_at_sign_in(), next_page())


# Between a right password and a right second code: who, since when, and where they were going,
# in Flask's signed session cookie. Never a server session: nothing is open to someone who knows
# only the password, and the state is worth nothing after HALF_SIGNED_IN_FOR.
HALF_SIGNED_IN = "half_signed_in"
HALF_SIGNED_IN_FOR = timedelta(minutes=5)


def begin_half_sign_in(person_id: uuid.UUID, language: str | None, wanted: str | None,
                       now: datetime) -> None:
    session[HALF_SIGNED_IN] = {"person": str(person_id), "at": now.timestamp(),
                               "lang": language, "next": wanted, "confirmed": False}


def half_signed_in(now: datetime) -> dict | None:
    """The half-signed-in state, or None when there is none or it has expired (then forgotten)."""
    found = session.get(HALF_SIGNED_IN)
    if not isinstance(found, dict):
        return None
    if now.timestamp() - found.get("at", 0) > HALF_SIGNED_IN_FOR.total_seconds():
        forget_half_sign_in()
        return None
    return found


def confirm_half_sign_in(now: datetime) -> None:
    """Enrolment confirmed by a code: what is left is reading the recovery codes, for another
    HALF_SIGNED_IN_FOR."""
    session[HALF_SIGNED_IN] = dict(session[HALF_SIGNED_IN], confirmed=True, at=now.timestamp())


def forget_half_sign_in() -> None:
    session.pop(HALF_SIGNED_IN, None)


def complete_sign_in(person, language: str | None, wanted: str | None):
    """The person has proved who they are: their session starts, and they go on to the page
    they wanted (one of RETURN_PAGES, checked before) or the start page."""
    person.preferred_language = language or person.preferred_language
    # On a shared tablet the next worker signs in over the last one: end that session first.
    end_session(request.cookies.get(SESSION_COOKIE))
    token = start_session(person)
    record_access(db.session, person, "sign-in", "people", person.id)
    db.session.commit()
    # A new CSRF token for the signed-in session: one learnt before sign-in is worth nothing.
    session["csrf"] = secrets.token_urlsafe(32)
    response = redirect(wanted or url_for("pages.landing"))
    set_session_cookie(response, token)
    return response


@auth_blueprint.post("/sign-out")
def sign_out():
    check_csrf()
    if g.person is not None:
        record_access(db.session, g.person, "sign-out", "people", g.person.id)
    end_session(request.cookies.get(SESSION_COOKIE))
    db.session.commit()
    g.person = None
    response = redirect(url_for("pages.landing"))
    response.delete_cookie(SESSION_COOKIE)
    return response
