"""JSON routes for information for the police: /api/v1/intelligence-items."""

from app.api.resources import Resource
from app.intelligence import schemas, services
from app.intelligence.models import IntelligenceItem

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
