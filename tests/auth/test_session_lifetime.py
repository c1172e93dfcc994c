"""A session's cookies go only over HTTPS (unless turned off), a session ends twelve hours after
sign-in however busy, and signing in gives a new CSRF token."""

from datetime import timedelta

from app.core.types import utcnow
from tests.auth.helpers import (
    csrf_from,
    post_sign_in,
    session_cookie_header,
    sessions_of,
)
from tests.conftest import PASSWORD, sign_in


def test_cookies_are_secure_when_the_setting_is_on(app, client, world, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    response = post_sign_in(client, world.worker.email, PASSWORD)
    assert response.status_code == 302
    assert "; Secure" in session_cookie_header(response)
    flask_session = [h for h in response.headers.getlist("Set-Cookie")
                     if h.startswith("adref_session=")]
    assert flask_session and all("; Secure" in h for h in flask_session)


def test_cookies_are_not_secure_when_it_is_off(client, world):
    response = post_sign_in(client, world.worker.email, PASSWORD)
    assert "Secure" not in session_cookie_header(response)


def test_a_session_ends_twelve_hours_after_sign_in_however_busy(app, world, session):
    client = sign_in(app.test_client(), world.worker)
    assert app.config["SESSION_ABSOLUTE_SECONDS"] == 12 * 60 * 60
    [signed_in] = sessions_of(session, world.worker)
    signed_in.created_at = utcnow() - timedelta(hours=12, seconds=5)
    signed_in.last_seen_at = utcnow()
    session.commit()
    assert client.get("/api/v1/me").status_code == 401


def test_a_session_in_use_lasts_until_then(app, world, session):
    client = sign_in(app.test_client(), world.worker)
    [signed_in] = sessions_of(session, world.worker)
    signed_in.created_at = utcnow() - timedelta(hours=11, minutes=55)
    signed_in.last_seen_at = utcnow()
    session.commit()
    assert client.get("/api/v1/me").status_code == 200


def test_signing_in_renews_the_csrf_token(client, world):
    before = csrf_from(client.get("/sign-in?lang=en"))
    response = client.post("/sign-in", data={"csrf_token": before, "email": world.worker.email,
                                              "password": PASSWORD})
    assert response.status_code == 302
    after = csrf_from(client.get("/"))
    assert after != before
    # The token from before sign-in no longer signs anyone out.
    assert client.post("/sign-out", data={"csrf_token": before}).status_code == 400
    assert client.get("/api/v1/me").status_code == 200
    assert client.post("/sign-out", data={"csrf_token": after}).status_code == 302
