"""Pages of the second factor: the code step of a local sign-in and enrolment (QR code, recovery
codes shown once), the person's own /account/second-factor page, signing out everywhere, and
an admin's reset of a person's second factor."""

import uuid

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.auth.models import Person
from app.auth.policy import may_administer
from app.auth.second_factor.services import (
    Check,
    check_code,
    confirm_enrolment,
    grouped_secret,
    is_enrolled,
    offered_secret,
    provisioning_uri,
    qr_code_svg,
    recovery_codes_left,
    replace_recovery_codes,
    reset_second_factor,
    second_factor_of,
    sign_out_everywhere,
)
from app.auth.sessions import SESSION_COOKIE
from app.auth.views import (
    check_csrf,
    complete_sign_in,
    confirm_half_sign_in,
    forget_half_sign_in,
    half_signed_in,
    page_refusal,
)
from app.core.headers import private_page
from app.core.types import utcnow
from app.extensions import db

second_factor_blueprint = Blueprint("second_factor", __name__)
# Secrets, recovery codes and account pages: never kept by a cache, never sent as a referrer.
second_factor_blueprint.after_request(private_page)


def signed_in(person: Person) -> bool:
    """Anyone signed in may see and change their own account's sign-in."""
    return person is not None


def _wrong_code_errors(outcome: Check) -> tuple[dict, int]:
    if outcome is Check.LOCKED:
        return {"code": _("There have been too many wrong codes. Your second factor is locked "
                          "for 15 minutes. Try again later, or ask an administrator to reset "
                          "it.")}, 429
    if outcome is Check.MISSING:
        return {"code": _("Enter the code from your app")}, 422
    return {"code": _("The code is not right. Enter the code your app shows now.")}, 422


# --- the sign-in's second step --------------------------------------------------------------------

def _half_signed_in_person():
    """(state, person) of this browser's half-finished sign-in, or None when there is none, it
    has expired, or the person can no longer sign in."""
    state = half_signed_in(utcnow())
    if state is None:
        return None
    person = db.session.get(Person, uuid.UUID(state["person"]))
    if person is None or not person.active:
        forget_half_sign_in()
        return None
    return state, person


def _start_again():
    return redirect(url_for("auth.sign_in_form", expired=1))


@second_factor_blueprint.get("/sign-in/code")
def code_form():
    found = _half_signed_in_person()
    if found is None:
        return _start_again()
    if not is_enrolled(db.session, found[1]):
        return redirect(url_for("second_factor.enrol_form"))
    return render_template("auth/second_factor_code.html", errors={})


@second_factor_blueprint.post("/sign-in/code")
def code():
    check_csrf()
    found = _half_signed_in_person()
    if found is None:
        return _start_again()
    state, person = found
    outcome = check_code_of(person, request.form.get("code", ""))
    if outcome in (Check.ACCEPTED, Check.RECOVERY_CODE_USED):
        forget_half_sign_in()
        return complete_sign_in(person, state.get("lang"), state.get("next"))
    if outcome is Check.LOCKED:
        forget_half_sign_in()  # signing in starts again from the password, once unlocked
    errors, status = _wrong_code_errors(outcome)
    return render_template("auth/second_factor_code.html", errors=errors), status


def check_code_of(person: Person, typed: str) -> Check:
    outcome = check_code(db.session, person, typed, utcnow())
    db.session.commit()  # the count of wrong codes, or the spent code, whatever follows
    return outcome


def _enrol_page(person: Person, errors: dict, action: str, status: int = 200):
    factor = offered_secret(db.session, person)
    db.session.commit()
    uri = provisioning_uri(person, factor)
    return render_template(
        "auth/second_factor_enrol.html", errors=errors, action=action,
        qr_code=qr_code_svg(uri, _("QR code for your authenticator app")),
        secret=grouped_secret(factor.secret)), status


@second_factor_blueprint.get("/sign-in/second-factor")
def enrol_form():
    found = _half_signed_in_person()
    if found is None:
        return _start_again()
    state, person = found
    if state.get("confirmed"):
        abort(404)  # the recovery codes were shown once; they are not shown again
    if is_enrolled(db.session, person):
        return redirect(url_for("second_factor.code_form"))
    return _enrol_page(person, {}, url_for("second_factor.enrol"))


@second_factor_blueprint.post("/sign-in/second-factor")
def enrol():
    check_csrf()
    found = _half_signed_in_person()
    if found is None:
        return _start_again()
    state, person = found
    outcome, codes = confirm_enrolment(db.session, person, request.form.get("code", ""), utcnow())
    db.session.commit()
    if outcome is Check.ACCEPTED:
        confirm_half_sign_in(utcnow())
        return render_template("auth/recovery_codes.html", codes=codes,
                               finish=url_for("second_factor.finish"))
    if outcome is Check.LOCKED:
        forget_half_sign_in()
    errors, status = _wrong_code_errors(outcome)
    return _enrol_page(person, errors, url_for("second_factor.enrol"), status)


@second_factor_blueprint.post("/sign-in/finish")
def finish():
    """After the recovery codes were shown: the session starts."""
    check_csrf()
    found = _half_signed_in_person()
    if found is None or not found[0].get("confirmed"):
        return _start_again()
    state, person = found
    forget_half_sign_in()
    return complete_sign_in(person, state.get("lang"), state.get("next"))


# --- the person's own account ---------------------------------------------------------------------

def _account_page(errors: dict | None = None, status: int = 200):
    person = g.person
    factor = second_factor_of(db.session, person)
    if factor is None or factor.enrolled_at is None:
        return _enrol_page(person, errors or {}, url_for("second_factor.account_enrol"), status)
    return render_template("auth/account_second_factor.html", errors=errors or {},
                           enrolled_at=factor.enrolled_at,
                           codes_left=recovery_codes_left(db.session, person)), status


@second_factor_blueprint.get("/account/second-factor")
def account():
    refusal = page_refusal(signed_in)
    if refusal:
        return refusal
    return _account_page()


def _with_a_code(check):
    """A signed-in person's form that a current code confirms (enrolling, new recovery codes):
    the recovery codes shown once when it is right, the account page with why when not."""
    refusal = page_refusal(signed_in)
    if refusal:
        return refusal
    check_csrf()
    outcome, codes = check(db.session, g.person, request.form.get("code", ""), utcnow())
    db.session.commit()
    if outcome is Check.ACCEPTED:
        return render_template("auth/recovery_codes.html", codes=codes, finish=None)
    return _account_page(*_wrong_code_errors(outcome))


@second_factor_blueprint.post("/account/second-factor")
def account_enrol():
    """A worker (or anyone not yet enrolled) chooses to use a second factor."""
    return _with_a_code(confirm_enrolment)


@second_factor_blueprint.post("/account/second-factor/recovery-codes")
def new_recovery_codes():
    return _with_a_code(replace_recovery_codes)


@second_factor_blueprint.post("/account/sign-out-everywhere")
def sign_out_everywhere_now():
    """Every web session of the person ends (this one too), and every tablet of theirs must be
    signed in on again before it syncs."""
    refusal = page_refusal(signed_in)
    if refusal:
        return refusal
    check_csrf()
    sign_out_everywhere(db.session, g.person, g.person, utcnow())
    db.session.commit()
    g.person = None
    response = redirect(url_for("pages.landing"))
    response.delete_cookie(SESSION_COOKIE)
    return response


# --- an admin's reset -----------------------------------------------------------------------------

@second_factor_blueprint.post("/admin/people/<uuid:person_id>/second-factor/reset")
def reset(person_id: uuid.UUID):
    refusal = page_refusal(may_administer)
    if refusal:
        return refusal
    check_csrf()
    reset_second_factor(db.session, g.person, person_id)
    db.session.commit()
    return redirect(url_for("admin.person_page", person_id=person_id))
