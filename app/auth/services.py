"""People: signing in with a local account, and who may see whom."""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, false, func, select
from sqlalchemy.orm import Session

from app.audit.services import record_access
from app.auth.models import Organisation, Person, Role, SignInThrottle, Team
from app.auth.passwords import verify_password
from app.auth.policy import in_own_team
from app.core.errors import Forbidden, NotFound

# Wrong passwords in a row (each within IN_A_ROW of the last) for one e-mail address or from
# one network address: from the FAILURES_BEFORE_DELAY-th on, the next try waits FIRST_DELAY,
# doubled with each further failure (at most LOCK_TIME); at FAILURES_BEFORE_LOCK the account is
# locked for LOCK_TIME, or until an admin unlocks it. A refused try computes no hash.
FAILURES_BEFORE_DELAY = 5
FAILURES_BEFORE_LOCK = 10
FIRST_DELAY = timedelta(seconds=30)
IN_A_ROW = timedelta(minutes=15)
LOCK_TIME = timedelta(minutes=30)


def _find_person(session: Session, email: str) -> Person | None:
    return session.scalars(
        select(Person).where(func.lower(Person.email) == email.strip().lower())
    ).first()


def authenticate(session: Session, email: str, password: str) -> Person | None:
    person = _find_person(session, email)
    if not verify_password(person.password_hash if person else None, password):
        return None
    return person if person.active else None


def _throttle_key(secret: str, kind: str, value: str) -> str:
    # Keyed, so the table names no e-mail or network address that a dictionary could recover.
    return hmac.new(secret.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def _account_key(secret: str, email: str) -> str:
    return _throttle_key(secret, "account", email.strip().lower())


def _delay(failures: int) -> timedelta:
    return min(FIRST_DELAY * 2 ** (failures - FAILURES_BEFORE_DELAY), LOCK_TIME)


def _waits_until(row: SignInThrottle, now: datetime) -> datetime | None:
    if row.locked_until is not None and row.locked_until > now:
        return row.locked_until
    if row.failures >= FAILURES_BEFORE_DELAY and now - row.last_failure_at <= IN_A_ROW:
        until = row.last_failure_at + _delay(row.failures)
        return until if until > now else None
    return None


@dataclass
class SignInOutcome:
    person: Person | None = None
    refused_until: datetime | None = None  # too many wrong passwords: not even checked


def sign_in_attempt(session: Session, secret: str, email: str, password: str,
                    address: str | None, now: datetime) -> SignInOutcome:
    """Checks a password unless the e-mail address or the network address has had too many
    wrong ones lately; counts a wrong one; a right one clears the account's count."""
    keys = {"account": _account_key(secret, email)}
    if address:
        keys["address"] = _throttle_key(secret, "address", address)
    rows = {kind: session.get(SignInThrottle, key) for kind, key in keys.items()}
    waits = [until for row in rows.values() if row is not None
             and (until := _waits_until(row, now)) is not None]
    if waits:
        return SignInOutcome(refused_until=max(waits))
    person = _find_person(session, email)
    if verify_password(person.password_hash if person else None, password):
        if rows["account"] is not None:
            session.delete(rows["account"])
        return SignInOutcome(person=person if person.active else None)
    for kind, key in keys.items():
        row = rows[kind]
        if row is None:
            row = SignInThrottle(key=key, kind=kind, failures=0, last_failure_at=now)
            session.add(row)
        elif now - row.last_failure_at > IN_A_ROW and _waits_until(row, now) is None:
            row.failures, row.locked_until = 0, None
        row.failures += 1
        row.last_failure_at = now
        if kind == "account" and row.failures >= FAILURES_BEFORE_LOCK:
            row.locked_until = now + LOCK_TIME
            if person is not None:
                record_access(session, person, "locked", "people", person.id)
    if person is not None:
        record_access(session, person, "sign-in-failed", "people", person.id)
    return SignInOutcome()


def unlock_person(session: Session, secret: str, actor: Person, person_id) -> Person:
    """An admin lifts the lock (and the count of wrong passwords) from an account of their
    organisation; anyone else is told there is no such person."""
    person = session.get(Person, person_id)
    if person is None or actor.role != Role.ADMIN or person.organisation_id != actor.organisation_id:
        raise NotFound()
    session.execute(delete(SignInThrottle).where(
        SignInThrottle.key == _account_key(secret, person.email)))
    record_access(session, actor, "unlock", "people", person.id)
    return person


def visible_people(person: Person):
    """Colleagues: a supervisor sees their team, an admin the organisation, others themselves."""
    stmt = select(Person).where(Person.organisation_id == person.organisation_id)
    if person.role == Role.ADMIN:
        return stmt
    if person.role == Role.SUPERVISOR and person.team_id is not None:
        return stmt.where(in_own_team(Person.team_id, person))
    if person.role in (Role.WORKER, Role.COMMISSIONER, Role.SUPERVISOR):
        return stmt.where(Person.id == person.id)  # (a supervisor without a team: themselves)
    return stmt.where(false())


def update_person(session: Session, actor: Person, person: Person, data: dict) -> Person:
    """People change only their own preferences here; accounts are managed elsewhere."""
    if actor.id != person.id:
        raise Forbidden()
    for name, value in data.items():
        setattr(person, name, value)
    return person


def add_organisation(session: Session, name: str, team_names=()) -> tuple:
    """A new organisation and its teams."""
    organisation = Organisation(name=name)
    session.add(organisation)
    session.flush()
    teams = [Team(organisation_id=organisation.id, name=team) for team in team_names]
    session.add_all(teams)
    session.flush()
    return organisation, teams


def add_person(session: Session, organisation, team, role: Role, display_name: str, email: str,
               password_hash: str | None = None, language: str | None = None) -> Person:
    person = Person(organisation_id=organisation.id, team_id=team.id if team else None,
                    role=role, display_name=display_name, email=email,
                    password_hash=password_hash, preferred_language=language)
    session.add(person)
    session.flush()
    return person


def names_of_people(session: Session, ids) -> dict:
    """{person id: display name} of these people (for pages naming workers and reviewers)."""
    wanted = {person_id for person_id in ids if person_id}
    if not wanted:
        return {}
    return dict(session.execute(select(Person.id, Person.display_name)
                                .where(Person.id.in_(wanted))).all())
