"""Server-side sign-in sessions.

The cookie carries a random token; the database keeps only its SHA-256, so a copy of the
database cannot be replayed as a session. A session ends on sign-out, after an idle period, or
at the end of its absolute lifetime however busy it has been.
"""

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from app.auth.models import Person, SignInSession
from app.core.types import utcnow
from app.extensions import db

SESSION_COOKIE = "adref_sid"
# Recording every request's time would turn reads into writes; a minute's precision is plenty.
LAST_SEEN_PRECISION = timedelta(minutes=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(person: Person) -> str:
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(SignInSession(id=_digest(token), person_id=person.id, last_seen_at=now))
    return token


def end_session(token: str | None) -> None:
    if token:
        found = db.session.get(SignInSession, _digest(token))
        if found is not None and found.ended_at is None:
            found.ended_at = utcnow()


def end_all_sessions(person_id) -> int:
    """Ends every open session of one person (sign-out everywhere, a deactivated account); how
    many there were."""
    now = utcnow()
    found = db.session.scalars(select(SignInSession).where(
        SignInSession.person_id == person_id, SignInSession.ended_at.is_(None))).all()
    for open_session in found:
        open_session.ended_at = now
    return len(found)


def person_for_token(token: str | None, idle_limit: timedelta,
                     absolute_limit: timedelta) -> Person | None:
    if not token:
        return None
    found = db.session.get(SignInSession, _digest(token))
    now = utcnow()
    if (found is None or found.ended_at is not None or now - found.last_seen_at > idle_limit
            or now - found.created_at > absolute_limit):
        return None
    if not found.person.active:
        return None
    if now - found.last_seen_at > LAST_SEEN_PRECISION:
        found.last_seen_at = now
    return found.person


def set_session_cookie(response, token: str):
    # A browser-session cookie: closing the browser signs out, and the server ends the session
    # after SESSION_IDLE_SECONDS without use, or SESSION_ABSOLUTE_SECONDS after sign-in, however
    # long the browser stays open. Secure (HTTPS only) unless SESSION_COOKIE_SECURE is off.
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
