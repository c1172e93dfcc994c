"""The admin's side of people: who is in the organisation, their role and team, deactivating
and reactivating them. Every change is audited; another organisation's person is NotFound."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.admin.models import Invitation
from app.audit.services import record_access
from app.auth.devices import revoke
from app.auth.models import Device, Person, Role, SignInSession, Team
from app.auth.sessions import end_all_sessions
from app.cases.models import Child
from app.core.errors import NotFound, ValidationFailed

# Workers see their team's children, supervisors review their team's interviews: both need one.
ROLES_NEEDING_A_TEAM = (Role.WORKER, Role.SUPERVISOR)
# What a revoked device is told at its next contact is to wipe; this reason says why.
DEACTIVATED = "person deactivated"


@dataclass
class PersonRow:
    person: Person
    last_sign_in: datetime | None
    invited: bool  # no password yet, and an invitation waiting


def organisation_person(session: Session, admin: Person, person_id: uuid.UUID) -> Person:
    person = session.get(Person, person_id)
    if person is None or person.organisation_id != admin.organisation_id:
        raise NotFound()
    return person


def organisation_team(session: Session, admin: Person, team_id: uuid.UUID | None) -> Team | None:
    if team_id is None:
        return None
    team = session.get(Team, team_id)
    if team is None or team.organisation_id != admin.organisation_id:
        raise NotFound()
    return team


def people_of(session: Session, admin: Person, team_id: uuid.UUID | None = None,
              now: datetime | None = None) -> list[PersonRow]:
    """The organisation's people by name, of one team if asked, with their last sign-in."""
    last = (select(SignInSession.person_id, func.max(SignInSession.created_at).label("at"))
            .group_by(SignInSession.person_id).subquery())
    stmt = (select(Person, last.c.at).outerjoin(last, last.c.person_id == Person.id)
            .where(Person.organisation_id == admin.organisation_id)
            .order_by(func.lower(Person.display_name), Person.email))
    if team_id is not None:
        stmt = stmt.where(Person.team_id == team_id)
    rows = session.execute(stmt).all()
    waiting = invited_people(session, [person.id for person, _at in rows], now)
    return [PersonRow(person, at, person.id in waiting) for person, at in rows]


def invited_people(session: Session, person_ids: list, now: datetime | None) -> set:
    """Those of the people who have no password and an invitation still usable."""
    if not person_ids:
        return set()
    stmt = (select(Invitation.person_id).join(Person, Person.id == Invitation.person_id)
            .where(Invitation.person_id.in_(person_ids), Invitation.spent_at.is_(None),
                   Person.password_hash.is_(None)))
    if now is not None:
        stmt = stmt.where(Invitation.expires_at > now)
    return set(session.scalars(stmt))


def last_sign_in(session: Session, person: Person) -> datetime | None:
    return session.scalar(select(func.max(SignInSession.created_at))
                          .where(SignInSession.person_id == person.id))


def cases_held(session: Session, person: Person) -> int:
    """How many children's cases are assigned to the person: they stay with the team when the
    person leaves, and someone must take them on."""
    return session.scalar(select(func.count()).select_from(Child)
                          .where(Child.assigned_worker_id == person.id)) or 0


def team_errors(role: Role, team: Team | None) -> dict:
    if role in ROLES_NEEDING_A_TEAM and team is None:
        return {"team": [_("Choose a team: workers and supervisors see the children of their "
                           "team.")]}
    return {}


def change_role_and_team(session: Session, admin: Person, person_id: uuid.UUID, role: Role,
                         team_id: uuid.UUID | None) -> Person:
    person = organisation_person(session, admin, person_id)
    team = organisation_team(session, admin, team_id)
    errors = team_errors(role, team)
    if person.id == admin.id and role != Role.ADMIN:
        errors["role"] = [_("You cannot take away your own administrator role. Ask another "
                            "administrator.")]
    if errors:
        raise ValidationFailed(errors)
    if person.role != role:
        person.role = role
        record_access(session, admin, "change-role", "people", person.id)
    new_team_id = team.id if team else None
    if person.team_id != new_team_id:
        person.team_id = new_team_id
        record_access(session, admin, "change-team", "people", person.id)
    return person


def deactivate(session: Session, admin: Person, person_id: uuid.UUID, now: datetime) -> Person:
    """The person can no longer sign in: their sessions end, each of their tablets is revoked
    (told to wipe at its next contact; the sealed copies of its unsent work are kept, for a
    supervisor to apply), and any invitation of theirs is spent. Their cases stay with the
    team. `end_all_sessions` works on the app's session, which is the one views pass in."""
    person = organisation_person(session, admin, person_id)
    if person.id == admin.id:
        raise ValidationFailed({"confirm": [_("You cannot deactivate your own account. Ask "
                                              "another administrator.")]})
    if not person.active:
        return person
    person.active = False
    end_all_sessions(person.id)
    for device in session.scalars(select(Device).where(Device.person_id == person.id,
                                                       Device.revoked_at.is_(None))):
        revoke(device, DEACTIVATED, now)
    spend_invitations(session, person.id, now)
    record_access(session, admin, "deactivate", "people", person.id)
    return person


def reactivate(session: Session, admin: Person, person_id: uuid.UUID) -> Person:
    """They may sign in again. Their old tablets stay revoked: each is set up afresh."""
    person = organisation_person(session, admin, person_id)
    if not person.active:
        person.active = True
        record_access(session, admin, "reactivate", "people", person.id)
    return person


def spend_invitations(session: Session, person_id: uuid.UUID, now: datetime) -> None:
    session.execute(update(Invitation).where(Invitation.person_id == person_id,
                                             Invitation.spent_at.is_(None))
                    .values(spent_at=now))
