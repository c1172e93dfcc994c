"""People: signing in with a local account, and who may see whom."""

from sqlalchemy import false, func, select
from sqlalchemy.orm import Session

from app.auth.models import Organisation, Person, Role, Team
from app.auth.passwords import verify_password
from app.auth.policy import in_own_team
from app.core.errors import Forbidden


def authenticate(session: Session, email: str, password: str) -> Person | None:
    person = session.scalars(
        select(Person).where(func.lower(Person.email) == email.strip().lower())
    ).first()
    if not verify_password(person.password_hash if person else None, password):
        return None
    return person if person.active else None


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
