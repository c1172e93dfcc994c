"""The second factor of local accounts: supervisors and admins enrol (QR code, recovery codes)
and then give a code at each sign-in; a code works once, a recovery code once; wrong codes lock;
workers choose; an admin resets; signing out everywhere ends sessions and tablets' tokens."""

import re
import uuid
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Device, Role
from app.auth.second_factor.models import RecoveryCode, SecondFactor
from app.auth.second_factor.services import (
    LOCK_TIME,
    confirm_enrolment,
    offered_secret,
    reset_second_factor,
)
from app.auth.services import add_person
from app.core.errors import NotFound
from app.core.types import utcnow
from tests.auth.helpers import csrf_from, post_sign_in, sessions_of
from tests.conftest import PASSWORD, sign_in

API = "/api/v1"


def enrolled(session, person) -> tuple[str, list[str]]:
    """The person enrolled as if through the page, a minute ago: their secret and recovery
    codes. (A minute ago, so that the step used to confirm is not the one a test uses now.)"""
    factor = offered_secret(session, person)
    a_minute_ago = utcnow() - timedelta(minutes=1)
    code = pyotp.TOTP(factor.secret).at(a_minute_ago)
    outcome, codes = confirm_enrolment(session, person, code, a_minute_ago)
    assert outcome == "accepted"
    session.commit()
    return factor.secret, codes


def actions_of(session, person) -> list[str]:
    session.expire_all()
    return session.scalars(select(AuditEvent.action).where(AuditEvent.person_id == person.id)
                           .order_by(AuditEvent.id)).all()


def give_code(client, code: str):
    page = client.get("/sign-in/code")
    assert page.status_code == 200, page.text
    return client.post("/sign-in/code", data={"csrf_token": csrf_from(page), "code": code})


def password_then_code(app, person, code: str):
    """A new browser: the password, then the code; the answer to the code."""
    client = app.test_client()
    assert post_sign_in(client, person.email, PASSWORD).headers["Location"] == "/sign-in/code"
    return client, give_code(client, code)


def test_a_supervisor_must_enrol_through_the_qr_code_before_any_session_starts(
        app, world, session):
    client = app.test_client()
    token = csrf_from(client.get("/sign-in?lang=en&another=1"))
    answer = client.post("/sign-in", data={"csrf_token": token, "email": world.supervisor.email,
                                           "password": PASSWORD, "next": "/review/referrals"})
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/sign-in/second-factor"
    # Half signed in: no session, nothing of the service open.
    assert sessions_of(session, world.supervisor) == []
    assert client.get("/review/").headers["Location"].startswith("/sign-in")

    page = client.get("/sign-in/second-factor")
    assert page.status_code == 200
    assert "<h1>Set up a second factor</h1>" in page.text
    assert re.search(r'<svg role="img" aria-label="QR code for your authenticator app"',
                     page.text)
    secret = re.search(r'id="secret-key">([A-Z2-7 ]+)<', page.text).group(1).replace(" ", "")
    assert session.get(SecondFactor, world.supervisor.id).secret == secret
    # Shown again, the same secret: the QR code already scanned still holds.
    assert secret.replace(" ", "") in client.get("/sign-in/second-factor").text.replace(" ", "")

    wrong = client.post("/sign-in/second-factor", data={"csrf_token": csrf_from(page),
                                                        "code": "000000"})
    assert wrong.status_code == 422
    assert "The code is not right" in wrong.text

    shown = client.post("/sign-in/second-factor", data={
        "csrf_token": csrf_from(page), "code": pyotp.TOTP(secret).now()})
    assert shown.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})</code></li>", shown.text)
    assert len(set(codes)) == 10
    assert "I have kept them somewhere safe" in shown.text
    assert sessions_of(session, world.supervisor) == []
    # The codes are kept only as digests.
    kept = session.scalars(select(RecoveryCode.code_hash)
                           .where(RecoveryCode.person_id == world.supervisor.id)).all()
    assert len(kept) == 10 and not set(codes) & set(kept)

    finished = client.post("/sign-in/finish", data={"csrf_token": csrf_from(shown)})
    assert finished.status_code == 302
    assert finished.headers["Location"] == "/review/referrals"
    assert len(sessions_of(session, world.supervisor)) == 1
    assert actions_of(session, world.supervisor)[-2:] == ["2fa-enrolled", "sign-in"]
    assert client.get("/review/").status_code == 200
    # The recovery codes are not shown a second time.
    assert client.get("/sign-in/second-factor").status_code != 200


def test_a_right_code_signs_in_and_the_same_code_is_refused_after(app, world, session):
    secret, _codes = enrolled(session, world.admin)
    code = pyotp.TOTP(secret).now()
    client, answer = password_then_code(app, world.admin, code)
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/"
    assert client.get("/account/second-factor").status_code == 200
    assert len(sessions_of(session, world.admin)) == 1

    _other, replayed = password_then_code(app, world.admin, code)
    assert replayed.status_code == 422
    assert "The code is not right" in replayed.text
    assert len(sessions_of(session, world.admin)) == 1
    assert "2fa-wrong-code" in actions_of(session, world.admin)


def test_a_recovery_code_works_once(app, world, session):
    _secret, codes = enrolled(session, world.supervisor)
    typed = "  " + codes[3].upper().replace("-", " ") + " "  # as someone might type it
    _client, used = password_then_code(app, world.supervisor, typed)
    assert used.status_code == 302
    assert "2fa-recovery" in actions_of(session, world.supervisor)

    _other, again = password_then_code(app, world.supervisor, codes[3])
    assert again.status_code == 422
    assert len(sessions_of(session, world.supervisor)) == 1
    page = sign_in(app.test_client(), world.supervisor).get("/account/second-factor")
    assert "You have 9 recovery codes left." in page.text


def test_wrong_codes_lock_the_second_factor(app, world, session):
    secret, _codes = enrolled(session, world.supervisor)
    client = app.test_client()
    post_sign_in(client, world.supervisor.email, PASSWORD)
    answers = [give_code(client, "123456" if n % 2 else "abcd-efgh-ijkl").status_code
               for n in range(5)]
    assert answers == [422, 422, 422, 422, 429]
    locked = client.get("/sign-in/code")
    assert locked.headers["Location"].startswith("/sign-in")  # back to the password

    # While locked, even the right code is refused.
    _other, refused = password_then_code(app, world.supervisor, pyotp.TOTP(secret).now())
    assert refused.status_code == 429
    assert "too many wrong codes" in refused.text
    assert sessions_of(session, world.supervisor) == []
    assert actions_of(session, world.supervisor).count("2fa-locked") == 1
    session.expire_all()
    until = session.get(SecondFactor, world.supervisor.id).locked_until
    assert timedelta(minutes=14) < until - utcnow() <= LOCK_TIME


def test_a_worker_is_not_asked_unless_they_chose_a_second_factor(app, world, session):
    answer = post_sign_in(app.test_client(), world.worker.email, PASSWORD)
    assert answer.headers["Location"] == "/"
    assert len(sessions_of(session, world.worker)) == 1

    client = sign_in(app.test_client(), world.worker)
    page = client.get("/account/second-factor")
    assert "<h1>Set up a second factor</h1>" in page.text
    secret = re.search(r'id="secret-key">([A-Z2-7 ]+)<', page.text).group(1).replace(" ", "")
    shown = client.post("/account/second-factor", data={
        "csrf_token": csrf_from(page), "code": pyotp.TOTP(secret).now()})
    assert len(re.findall(r"<li><code>", shown.text)) == 10
    assert "You have 10 recovery codes left." in client.get("/account/second-factor").text

    asked = post_sign_in(app.test_client(), world.worker.email, PASSWORD)
    assert asked.headers["Location"] == "/sign-in/code"


def test_new_recovery_codes_need_a_current_code_and_replace_the_old(app, world, session):
    secret, old_codes = enrolled(session, world.worker)
    client = sign_in(app.test_client(), world.worker)
    page = client.get("/account/second-factor")
    wrong = client.post("/account/second-factor/recovery-codes", data={
        "csrf_token": csrf_from(page), "code": "000000"})
    assert wrong.status_code == 422
    assert 'href="#code"' in wrong.text  # the error summary links to the field

    # (The sign-in used the code of now: the next step's is the one still unused.)
    made = client.post("/account/second-factor/recovery-codes", data={
        "csrf_token": csrf_from(page),
        "code": pyotp.TOTP(secret).at(utcnow() + timedelta(seconds=30))})
    new_codes = re.findall(r"<li><code>([a-z2-7-]+)</code></li>", made.text)
    assert len(new_codes) == 10
    _other, old = password_then_code(app, world.worker, old_codes[0])
    assert old.status_code == 422
    _another, new = password_then_code(app, world.worker, new_codes[0])
    assert new.status_code == 302


def test_an_admin_resets_a_second_factor_of_their_organisation_only(app, world, session,
                                                                    password_hash):
    enrolled(session, world.supervisor)
    outsider_admin = add_person(session, world.org_b, None, Role.ADMIN, "Bea Admin",
                                "bea.admin@example.org", password_hash, "en")
    session.commit()
    reset_path = f"/admin/people/{world.supervisor.id}/second-factor/reset"

    outside = sign_in(app.test_client(), outsider_admin)
    token = csrf_from(outside.get("/account/second-factor"))
    assert outside.post(reset_path, data={"csrf_token": token}).status_code == 404
    colleague = sign_in(app.test_client(), world.worker)
    token = csrf_from(colleague.get("/account/second-factor"))
    assert colleague.post(reset_path, data={"csrf_token": token}).status_code == 403
    session.expire_all()
    assert session.get(SecondFactor, world.supervisor.id) is not None

    admin = sign_in(app.test_client(), world.admin)
    token = csrf_from(admin.get("/account/second-factor"))
    done = admin.post(reset_path, data={"csrf_token": token})
    assert done.status_code == 302
    assert done.headers["Location"] == f"/admin/people/{world.supervisor.id}"
    session.expire_all()
    assert session.get(SecondFactor, world.supervisor.id) is None
    assert session.scalars(select(RecoveryCode).where(
        RecoveryCode.person_id == world.supervisor.id)).all() == []
    assert "2fa-reset" in actions_of(session, world.admin)
    # They enrol again at their next sign-in.
    again = post_sign_in(app.test_client(), world.supervisor.email, PASSWORD)
    assert again.headers["Location"] == "/sign-in/second-factor"


def test_the_half_signed_in_state_expires_after_five_minutes(app, world, session):
    secret, _codes = enrolled(session, world.supervisor)
    client = app.test_client()
    post_sign_in(client, world.supervisor.email, PASSWORD)
    page = client.get("/sign-in/code")
    with client.session_transaction() as cookie:
        cookie["half_signed_in"] = dict(cookie["half_signed_in"],
                                        at=cookie["half_signed_in"]["at"] - 301)
    late = client.post("/sign-in/code", data={"csrf_token": csrf_from(page),
                                              "code": pyotp.TOTP(secret).now()})
    assert late.status_code == 302
    assert late.headers["Location"] == "/sign-in?expired=1"
    assert "Signing in took too long" in client.get(late.headers["Location"]).text
    assert sessions_of(session, world.supervisor) == []


def test_the_code_step_is_only_for_someone_half_signed_in(app, world, session):
    secret, _codes = enrolled(session, world.supervisor)
    client = app.test_client()
    page = client.get("/sign-in?lang=en")
    assert client.get("/sign-in/code").headers["Location"] == "/sign-in?expired=1"
    answer = client.post("/sign-in/code", data={"csrf_token": csrf_from(page),
                                                "code": pyotp.TOTP(secret).now()})
    assert answer.headers["Location"] == "/sign-in?expired=1"
    assert client.post("/sign-in/finish", data={"csrf_token": csrf_from(page)}
                       ).headers["Location"] == "/sign-in?expired=1"
    assert sessions_of(session, world.supervisor) == []


def test_signing_out_everywhere_ends_other_sessions_and_signs_the_tablets_out(
        app, world, session):
    office = sign_in(app.test_client(), world.worker)
    tablet_web = sign_in(app.test_client(), world.worker)
    pair = tablet_web.post(f"{API}/devices", json={"name": "Tablet"}).json
    bearer = {"Authorization": "Bearer " + pair["access_token"]}
    assert app.test_client().get(f"{API}/me", headers=bearer).status_code == 200

    token = csrf_from(office.get("/account/second-factor"))
    answer = office.post("/account/sign-out-everywhere", data={"csrf_token": token})
    assert answer.status_code == 302
    assert all(found.ended_at is not None for found in sessions_of(session, world.worker))
    assert tablet_web.get("/account/second-factor").headers["Location"].startswith("/sign-in")
    assert office.get("/account/second-factor").headers["Location"].startswith("/sign-in")

    # The tablet's tokens no longer work; it is told to sign in again, not to erase its data.
    assert app.test_client().get(f"{API}/me", headers=bearer).status_code == 401
    refused = app.test_client().post(f"{API}/devices/token", json={
        "device_id": pair["device_id"], "refresh_token": pair["refresh_token"]})
    assert refused.status_code == 401
    assert refused.json["sign_in"] is True and "wipe" not in refused.json
    session.expire_all()
    device = session.get(Device, uuid.UUID(pair["device_id"]))
    assert device.revoked_at is None and device.signed_out_at is not None
    assert "sign-out-all" in actions_of(session, world.worker)
    # Signing in again works, and a tablet set up again syncs.
    again = sign_in(app.test_client(), world.worker)
    assert again.post(f"{API}/devices", json={"name": "Tablet"}).status_code == 201


def test_sign_in_and_sign_out_are_in_the_audit_trail(app, world, session):
    client = sign_in(app.test_client(), world.worker)
    token = csrf_from(client.get("/account/second-factor"))
    client.post("/sign-out", data={"csrf_token": token})
    assert actions_of(session, world.worker) == ["sign-in", "sign-out"]


def test_only_an_admin_of_the_same_organisation_may_reset(world, session):
    """The service itself, as other code (the admin's people pages) calls it."""
    enrolled(session, world.supervisor)
    for actor in (world.worker, world.commissioner):
        with pytest.raises(NotFound):
            reset_second_factor(session, actor, world.supervisor.id)
    with pytest.raises(NotFound):
        reset_second_factor(session, world.admin, uuid.uuid4())
    reset_second_factor(session, world.admin, world.supervisor.id)
    session.commit()
    assert session.get(SecondFactor, world.supervisor.id) is None


def test_a_right_code_is_refused_while_half_signed_in_as_no_one_else(app, world, session):
    """A code belongs to the person half signed in: the worker's own code does not finish the
    supervisor's sign-in."""
    enrolled(session, world.supervisor)
    worker_secret, _codes = enrolled(session, world.worker)
    _client, answer = password_then_code(app, world.supervisor, pyotp.TOTP(worker_secret).now())
    assert answer.status_code == 422
    assert sessions_of(session, world.supervisor) == []


def test_an_empty_code_is_asked_for_and_not_counted(app, world, session):
    enrolled(session, world.supervisor)
    client = app.test_client()
    post_sign_in(client, world.supervisor.email, PASSWORD)
    answers = [give_code(client, "  ") for _ in range(6)]
    assert {answer.status_code for answer in answers} == {422}
    assert "Enter the code from your app" in answers[-1].text
    session.expire_all()
    assert session.get(SecondFactor, world.supervisor.id).wrong_codes == 0
