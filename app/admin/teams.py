"""The organisation's teams: listed with how many people and children each has, made and
renamed by an admin. A name is unique in the organisation (case set aside)."""

import uuid
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.admin.people import organisation_team
from app.audit.services import record_access
from app.auth.models import Person, Team
from app.cases.models import Child
from app.core.errors import NotFound, ValidationFailed

NAME_LENGTH = 200


@dataclass
class TeamRow:
    team: Team
    people: int
    children: int


def teams_of(session: Session, admin: Person) -> list[Team]:
    return list(session.scalars(select(Team).where(Team.organisation_id == admin.organisation_id)
                                .order_by(func.lower(Team.name))))


def _counts(session: Session, column, organisation_id) -> dict:
    return dict(session.execute(select(column, func.count()).where(
        column.is_not(None), column.table.c.organisation_id == organisation_id)
        .group_by(column)).all())


def team_rows(session: Session, admin: Person) -> list[TeamRow]:
    people = _counts(session, Person.team_id, admin.organisation_id)
    children = _counts(session, Child.team_id, admin.organisation_id)
    return [TeamRow(team, people.get(team.id, 0), children.get(team.id, 0))
            for team in teams_of(session, admin)]


def _checked_name(session: Session, admin: Person, name: str, team_id=None) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationFailed({"name": [_("Enter the team's name")]})
    if len(name) > NAME_LENGTH:
        raise ValidationFailed({"name": [_("The team's name must be %(max)d characters or "
                                           "fewer", max=NAME_LENGTH)]})
    clash = select(Team.id).where(Team.organisation_id == admin.organisation_id,
                                  func.lower(Team.name) == name.lower())
    if team_id is not None:
        clash = clash.where(Team.id != team_id)
    if session.scalar(clash) is not None:
        raise ValidationFailed({"name": [_("There is already a team called “%(name)s”",
                                           name=name)]})
    return name


def create_team(session: Session, admin: Person, name: str) -> Team:
    team = Team(organisation_id=admin.organisation_id, name=_checked_name(session, admin, name))
    session.add(team)
    session.flush()
    record_access(session, admin, "create", "teams", team.id)
    return team


def rename_team(session: Session, admin: Person, team_id: uuid.UUID, name: str) -> Team:
    team = organisation_team(session, admin, team_id)
    if team is None:
        raise NotFound()
    name = _checked_name(session, admin, name, team.id)
    if team.name != name:
        team.name = name
        record_access(session, admin, "rename", "teams", team.id)
    return team
