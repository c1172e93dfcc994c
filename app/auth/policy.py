"""What each role may do. Which children's records a person may see is app.cases.policy's.

A worker, a supervisor and an admin work on cases; a supervisor and an admin review
interviews; a commissioner sees aggregated figures only, never a child's record.
"""

from sqlalchemy import false

from app.auth.models import Person, Role

CASE_ROLES = (Role.WORKER, Role.SUPERVISOR, Role.ADMIN)


def may_work_on_cases(person: Person) -> bool:
    return person.role in CASE_ROLES


def may_review(person: Person) -> bool:
    return person.role in (Role.SUPERVISOR, Role.ADMIN)


def may_administer(person: Person) -> bool:
    """An admin manages their organisation: its people, teams, sign-in and audit trail."""
    return person.role == Role.ADMIN


def in_own_team(team_column, person: Person):
    """A WHERE clause: the column names the person's team. Nothing at all for a person with no
    team: compared with None, SQLAlchemy would ask `IS NULL`, which is everyone with no team
    (admins, commissioners), not the team of no one."""
    return false() if person.team_id is None else team_column == person.team_id


def may_read_report(person: Person) -> bool:
    """The annual report: a supervisor their team's figures, an admin their organisation's, a
    commissioner the areas granted to them, always as published (small counts hidden)."""
    return person.role in (Role.SUPERVISOR, Role.ADMIN, Role.COMMISSIONER)
