"""JSON routes for information for the police: /api/v1/intelligence-items."""

import uuid
from zoneinfo import ZoneInfo

from flask import current_app, g

from app.api.resources import Resource, in_transaction
from app.core.types import utcnow
from app.extensions import db
from app.i18n import current_language
from app.intelligence import schemas, services
from app.intelligence.models import IntelligenceItem
from app.intelligence.submission import as_document, read_submission

RESOURCES = [
    Resource(
        name="intelligence-items",
        model=IntelligenceItem,
        schema=schemas.IntelligenceItemSchema,
        query_schema=schemas.IntelligenceItemQuery,
        visible=services.visible_items,
        create=services.create_item,
        update=services.update_item,
        order_by=[IntelligenceItem.created_at],
        description="Information for the police a child gave: people, places, vehicles, phone "
                    "numbers and social media accounts, each with how the child feels about it "
                    "being shared. Never in the interview's notes or its CSV.",
    ),
]


@in_transaction
def submission(interview_id: uuid.UUID):
    """The partner intelligence submission of an approved interview (409 before approval)."""
    found = read_submission(db.session, g.person, interview_id, current_language())
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return as_document(found, utcnow().astimezone(zone).date())


EXTRA_ROUTES = [
    ("/interviews/<uuid:interview_id>/intelligence-submission", "intelligence_submission",
     submission, ["GET"], None),
]
