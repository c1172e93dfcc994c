"""Signing in and out with a local account, through the real form, and the server-side session."""

import hashlib
import re
from datetime import timedelta

from app.auth.models import Person
from app.core.types import utcnow
from tests.auth.helpers import (
    SESSION_COOKIE,
    csrf_from,
    post_sign_in,
    session_cookie_header,
    sessions_of,
)
from tests.conftest import PASSWORD, second_step, sign_in


def test_sign_in_with_the_right_password(client, world):
    response = post_sign_in(client, world.worker.email, PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    me = client.get("/api/v1/me")
    assert me.status_code == 200
    assert me.json["id"] == str(world.worker.id)
    assert me.json["email"] == world.worker.email
    assert me.json["display_name"] == "Will Worker"
    assert me.json["role"] == "worker"
    assert "password_hash" not in me.json
    landing = client.get("/")
    assert "You are signed in as Will Worker (worker)." in landing.text


def test_email_is_matched_without_regard_to_case(client, world):
    response = post_sign_in(client, "  " + world.worker.email.upper() + " ", PASSWORD)
    assert response.status_code == 302
    assert client.get("/api/v1/me").json["id"] == str(world.worker.id)


def test_wrong_password_is_refused(client, world, session):
    response = post_sign_in(client, world.worker.email, "not the password")
    assert response.status_code == 422
    assert "There is a problem" in response.text
    assert "The email address or password is not right" in response.text
    assert '<title>Error: Sign in' in response.text
    # The email is kept in the form, the password never.
    assert f'value="{world.worker.email}"' in response.text
    assert "not the password" not in response.text
    assert not [h for h in response.headers.getlist("Set-Cookie")
                if h.startswith(SESSION_COOKIE + "=")]
    assert client.get("/api/v1/me").status_code == 401
    assert sessions_of(session, world.worker) == []


def test_unknown_email_gives_the_same_message(client, world):
    wrong_password = post_sign_in(client, world.worker.email, "not the password")
    unknown = post_sign_in(client, "nobody@example.org", PASSWORD)
    assert unknown.status_code == 422
    assert "There is a problem" in unknown.text
    assert "The email address or password is not right" in unknown.text

    def summary(page):
        return re.search(r'<div class="error-summary".*?</div>', page.text, re.S).group(0)

    assert summary(unknown) == summary(wrong_password)
    assert client.get("/api/v1/me").status_code == 401


def test_empty_fields_are_named(client):
    token = csrf_from(client.get("/sign-in?lang=en"))
    response = client.post("/sign-in", data={"csrf_token": token, "email": "", "password": ""})
    assert response.status_code == 422
    assert '<a href="#email">Enter your email address</a>' in response.text
    assert '<a href="#password">Enter your password</a>' in response.text
    assert 'aria-describedby="email-error" aria-invalid="true"' in response.text


def test_missing_csrf_token_is_refused(client, world, session):
    client.get("/sign-in?lang=en")
    response = client.post("/sign-in", data={"email": world.worker.email,
                                              "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/api/v1/me").status_code == 401
    assert sessions_of(session, world.worker) == []


def test_wrong_csrf_token_is_refused(client, world):
    client.get("/sign-in?lang=en")
    response = client.post("/sign-in", data={"csrf_token": "forged", "email": world.worker.email,
                                              "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/api/v1/me").status_code == 401


def test_csrf_token_of_another_browser_is_refused(app, world):
    token = csrf_from(app.test_client().get("/sign-in?lang=en"))
    other = app.test_client()
    other.get("/sign-in?lang=en")
    response = other.post("/sign-in", data={"csrf_token": token, "email": world.worker.email,
                                             "password": PASSWORD})
    assert response.status_code == 400


def test_sign_out_ends_the_server_session(app, world, session):
    client = sign_in(app.test_client(), world.worker)
    token = client.get_cookie(SESSION_COOKIE).value
    assert client.get("/api/v1/me").status_code == 200
    response = client.post("/sign-out", data={"csrf_token": csrf_from(client.get("/"))})
    assert response.status_code == 302
    assert client.get_cookie(SESSION_COOKIE) is None
    assert client.get("/api/v1/me").status_code == 401
    # The old cookie, replayed from another browser, no longer works either.
    replay = app.test_client()
    replay.set_cookie(SESSION_COOKIE, token)
    assert replay.get("/api/v1/me").status_code == 401
    [ended] = sessions_of(session, world.worker)
    assert ended.ended_at is not None


def test_signing_in_over_someone_ends_their_session(app, world, session):
    """A shared tablet: the next worker signs in without the last one signing out first."""
    client = sign_in(app.test_client(), world.worker)
    first = client.get_cookie(SESSION_COOKIE).value
    sign_in(client, world.colleague)
    assert client.get("/api/v1/me").json["id"] == str(world.colleague.id)
    replay = app.test_client()
    replay.set_cookie(SESSION_COOKIE, first)
    assert replay.get("/api/v1/me").status_code == 401
    session.expire_all()
    [ended] = sessions_of(session, world.worker)
    assert ended.ended_at is not None


def test_sign_out_needs_the_csrf_token(app, world):
    client = sign_in(app.test_client(), world.worker)
    assert client.post("/sign-out", data={}).status_code == 400
    assert client.get("/api/v1/me").status_code == 200


def test_sign_out_ends_only_that_session(app, world):
    laptop = sign_in(app.test_client(), world.worker)
    tablet = sign_in(app.test_client(), world.worker)
    laptop.post("/sign-out", data={"csrf_token": csrf_from(laptop.get("/"))})
    assert laptop.get("/api/v1/me").status_code == 401
    assert tablet.get("/api/v1/me").status_code == 200


def test_idle_session_is_refused(app, world, session):
    client = sign_in(app.test_client(), world.worker)
    idle = timedelta(seconds=app.config["SESSION_IDLE_SECONDS"])
    [signed_in] = sessions_of(session, world.worker)
    signed_in.last_seen_at = utcnow() - idle - timedelta(seconds=5)
    session.commit()
    assert client.get("/api/v1/me").status_code == 401
    assert "You are signed in" not in client.get("/").text


def test_session_in_use_stays_alive(app, world, session):
    client = sign_in(app.test_client(), world.worker)
    idle = timedelta(seconds=app.config["SESSION_IDLE_SECONDS"])
    [signed_in] = sessions_of(session, world.worker)
    signed_in.last_seen_at = utcnow() - idle + timedelta(minutes=5)
    session.commit()
    assert client.get("/api/v1/me").status_code == 200
    # Being seen moves the idle clock on.
    [seen] = sessions_of(session, world.worker)
    assert utcnow() - seen.last_seen_at < timedelta(minutes=1)


def test_session_cookie_holds_a_token_the_database_never_stores(app, world, session):
    client = sign_in(app.test_client(), world.worker)
    token = client.get_cookie(SESSION_COOKIE).value
    [stored] = sessions_of(session, world.worker)
    assert stored.id == hashlib.sha256(token.encode()).hexdigest()
    assert token not in stored.id


def test_password_hash_is_argon2id(session, world):
    session.expire_all()
    stored = session.get(Person, world.worker.id).password_hash
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_inactive_person_cannot_sign_in(client, world, session):
    world.worker.active = False
    session.commit()
    response = post_sign_in(client, world.worker.email, PASSWORD)
    assert response.status_code == 422
    assert "The email address or password is not right" in response.text
    assert client.get("/api/v1/me").status_code == 401


def test_deactivating_a_person_ends_their_sessions(app, world, session):
    client = sign_in(app.test_client(), world.worker)
    world.worker.active = False
    session.commit()
    assert client.get("/api/v1/me").status_code == 401


def test_person_without_a_password_cannot_sign_in(client, world, session):
    world.worker.password_hash = None
    session.commit()
    assert post_sign_in(client, world.worker.email, "").status_code == 422
    assert post_sign_in(client, world.worker.email, PASSWORD).status_code == 422


def test_session_cookie_is_httponly_and_samesite_lax(client, world):
    response = post_sign_in(client, world.worker.email, PASSWORD)
    cookie = session_cookie_header(response)
    attributes = [part.strip() for part in cookie.split(";")]
    assert "HttpOnly" in attributes
    assert "SameSite=Lax" in attributes
    assert "Path=/" in attributes


def test_signed_cookie_of_flask_is_httponly_and_samesite_lax(client):
    page = client.get("/sign-in?lang=en")
    flask_cookie = [h for h in page.headers.getlist("Set-Cookie") if h.startswith("adref_session=")]
    assert flask_cookie
    assert "HttpOnly" in flask_cookie[0]
    assert "SameSite=Lax" in flask_cookie[0]


def test_after_sign_in_only_our_own_pages_are_places_to_return_to(client, world):
    interview = "/review/interviews/0b5e0c1e-9c1b-4d43-9a55-6e0d0d3f1a2b"
    for wanted, expected in (("/app", "/app"), ("https://elsewhere.example/app", "/"),
                             ("//elsewhere.example", "/"), ("/api/v1/children", "/"),
                             ("/review/?q=si%C3%A2n", "/review/?q=si%C3%A2n"),
                             (interview, interview), (interview + "/../../x", "/"),
                             ("/review/rescue", "/review/rescue"),
                             ("/admin/people", "/admin/people"), ("/board", "/board"),
                             ("/admin/../api/v1/children", "/"),
                             ("/reports/interviews.csv", "/"),
                             ("/reports/annual?year=2025&kind=police_force",
                              "/reports/annual?year=2025&kind=police_force"),
                             ("/app\\@elsewhere.example", "/")):
        other = client.application.test_client()
        page = other.get(f"/sign-in?lang=en&next={wanted}")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = other.post("/sign-in", data={"csrf_token": token, "email": world.worker.email,
                                                "password": PASSWORD, "next": wanted})
        assert response.status_code == 302
        assert response.headers["Location"] == expected, wanted


def test_the_language_chosen_before_signing_in_becomes_the_persons_own(app, world, session):
    assert world.supervisor.preferred_language == "en"
    client = app.test_client()
    page = client.get("/sign-in?lang=cy")
    assert 'name="lang" value="cy"' in page.text
    second_step(client, client.post("/sign-in", data={
        "csrf_token": csrf_from(page), "email": world.supervisor.email, "password": PASSWORD,
        "lang": "cy"}))
    session.expire_all()
    assert session.get(Person, world.supervisor.id).preferred_language == "cy"
    # Another browser left in English by someone else: signing in there changes nothing.
    other = app.test_client()
    other.get("/sign-in?lang=en")
    form = other.get("/sign-in")
    assert 'name="lang"' not in form.text
    second_step(other, other.post("/sign-in", data={
        "csrf_token": csrf_from(form), "email": world.supervisor.email, "password": PASSWORD}))
    session.expire_all()
    assert session.get(Person, world.supervisor.id).preferred_language == "cy"
    assert '<html lang="cy">' in other.get("/review/").text
