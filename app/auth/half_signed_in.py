"""Between a right password and a right second code: who, since when, and where they were going,
in Flask's signed session cookie. Never a server session: nothing is open to someone who knows
only the password, and the state is worth nothing after HALF_SIGNED_IN_FOR."""

import uuid
from datetime import datetime, timedelta

from flask import session

KEY = "half_signed_in"
HALF_SIGNED_IN_FOR = timedelta(minutes=5)


def begin(person_id: uuid.UUID, language: str | None, next_page: str | None,
          now: datetime) -> None:
    session[KEY] = {"person": str(person_id), "at": now.timestamp(), "lang": language,
                    "next": next_page, "confirmed": False}


def current(now: datetime) -> dict | None:
    """The half-signed-in state, or None when there is none or it has expired (then forgotten)."""
    found = session.get(KEY)
    if not isinstance(found, dict):
        return None
    if now.timestamp() - found.get("at", 0) > HALF_SIGNED_IN_FOR.total_seconds():
        forget()
        return None
    return found


def person_id(state: dict) -> uuid.UUID:
    return uuid.UUID(state["person"])


def confirm(now: datetime) -> None:
    """Enrolment confirmed by a code: what is left is reading the recovery codes, for another
    HALF_SIGNED_IN_FOR."""
    state = dict(session[KEY], confirmed=True, at=now.timestamp())
    session[KEY] = state


def forget() -> None:
    session.pop(KEY, None)
