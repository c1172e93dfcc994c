"""JSON routes for people: who am I, and the colleagues I may see."""

from flask import g

from app.api.resources import Resource, in_transaction
from app.auth import schemas, services
from app.auth.models import Person

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
