"""JSON routes for code list items: the core lists and the organisation's own additions."""

from app.api.resources import Resource
from app.codelists import schemas, services
from app.codelists.models import CodeListItem

RESOURCES = [
    Resource(
        name="code-list-items",
        model=CodeListItem,
        schema=schemas.CodeListItemSchema,
        query_schema=schemas.CodeListQuery,
        visible=lambda person: services.usable_items(person.organisation_id),
        audited=False,
        order_by=[CodeListItem.list_name, CodeListItem.position],
        description="Stable codes with Welsh and English labels (factors, harms, outcomes...).",
    ),
]
