"""Intelligence items as a synced collection: held under their interview, locked with it."""

from app.intelligence import rules
from app.intelligence.models import IntelligenceItem
from app.intelligence.schemas import IntelligenceItemSchema
from app.intelligence.services import visible_items
from app.interviews.rules import NO_SUCH_INTERVIEW
from app.syncing.collections import Parent, SyncCollection

ITEMS = SyncCollection(
    name="intelligence_items", model=IntelligenceItem, schema=IntelligenceItemSchema(),
    visible=visible_items,
    device_fields=frozenset({
        "interview_id", "kind", "name", "nickname", "description", "address_or_place",
        "vehicle_registration", "vehicle_description", "phone_number", "platform", "handle",
        "relationship", "sharing_view"}),
    rules=rules.item_errors,
    delete_rules=rules.item_lock_errors,
    parent=Parent("interview_id", "interviews", NO_SUCH_INTERVIEW),
    defaults=rules.item_defaults,
    code_fields=rules.CODE_FIELDS,
)

COLLECTIONS = (ITEMS,)
