"""Steps the sign-in tests share: the real form, the server's sessions, the session cookie."""

import re

from sqlalchemy import select

from app.auth.models import SignInSession

SESSION_COOKIE = "adref_sid"


def csrf_from(page) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def post_sign_in(client, email: str, password: str):
    token = csrf_from(client.get("/sign-in?lang=en&another=1"))
    return client.post("/sign-in", data={"csrf_token": token, "email": email,
                                         "password": password})


def sessions_of(session, person):
    session.expire_all()
    return session.scalars(select(SignInSession).where(SignInSession.person_id == person.id)).all()


def session_cookie_header(response) -> str:
    found = [h for h in response.headers.getlist("Set-Cookie")
             if h.startswith(SESSION_COOKIE + "=")]
    assert len(found) == 1, response.headers
    return found[0]
