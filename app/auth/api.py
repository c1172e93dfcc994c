"""JSON routes for people: who am I, and the colleagues I may see; and who a device's bearer
token names."""

from flask import current_app, g
from flask_babel import gettext as _

from app.api.problems import problem
from app.api.resources import Resource, in_transaction
from app.auth import schemas, services
from app.auth.devices import Refusal, caller_of_access_token
from app.auth.models import Person
from app.core.types import utcnow
from app.extensions import db

RESOURCES = [
    Resource(
        name="people",
        model=Person,
        schema=schemas.PersonSchema,
        query_schema=schemas.PeopleQuery,
        visible=services.visible_people,
        update=services.update_person,
        audited=False,
        order_by=[Person.display_name],
        description="People in your organisation that your role lets you see.",
    ),
]


@in_transaction
def me():
    """The signed-in person."""
    return schemas.PersonSchema().dump(g.person)


EXTRA_ROUTES = [("/me", "me", me, ["GET"], schemas.PersonSchema)]


def device_token_caller(token: str):
    """A device's access token names the person and the device; a revoked device is told to
    erase its data. (The API calls this for every request that brings a bearer token.)"""
    outcome = caller_of_access_token(db.session, current_app.config["SECRET_KEY"], token,
                                     utcnow())
    if outcome is Refusal.REVOKED:
        return problem(401, _("This device has been revoked. Its data must be erased."),
                       wipe=True)
    if isinstance(outcome, Refusal):
        return problem(401, _("The access token is not valid or has expired."))
    g.person, g.device = outcome
    return None
