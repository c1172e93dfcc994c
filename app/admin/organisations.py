"""A new organisation for a real deployment (not the demo): its teams and its first admin,
invited like anyone else. Reference data (code lists, areas, questionnaires) is shared by every
organisation, loaded once by `load-reference`: nothing of it is per organisation."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.admin.invitations import add_invited_person
from app.auth.models import Organisation, Role
from app.auth.services import add_organisation
from app.core.errors import ValidationFailed
from app.questionnaires.services import current_version_id


@dataclass
class Made:
    organisation: Organisation
    token: str
    reference_loaded: bool


def create_organisation(session: Session, name: str, admin_email: str, admin_name: str,
                        team_names, language: str, now: datetime) -> Made:
    name = " ".join(name.split())
    team_names = list(dict.fromkeys(" ".join(t.split()) for t in team_names if t.strip()))
    if not name:
        raise ValidationFailed({"name": [_("Enter the organisation's name")]})
    if session.scalar(select(Organisation.id).where(
            func.lower(Organisation.name) == name.lower())):
        raise ValidationFailed({"name": [_("There is already an organisation called "
                                           "“%(name)s”", name=name)]})
    organisation, _teams = add_organisation(session, name, team_names)
    issued = add_invited_person(session, organisation, None, admin_email, admin_name,
                                Role.ADMIN, None, language, now)
    return Made(organisation, issued.token,
                current_version_id(session, organisation.id) is not None)
