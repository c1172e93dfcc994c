"""What a device is sent of the code lists: the items its organisation may use, in order."""

from app.codelists.models import CodeListItem
from app.codelists.schemas import CodeListItemSchema
from app.codelists.services import usable_items
from app.syncing.collections import ReferencePart


def code_list_items(session, person):
    return session.scalars(usable_items(person.organisation_id)
                           .order_by(CodeListItem.list_name, CodeListItem.position))


REFERENCE = (ReferencePart("code_lists", code_list_items, CodeListItemSchema()),)
