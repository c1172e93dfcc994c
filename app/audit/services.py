"""The audit trail's writer: every read and write of a child's record by a person, every export,
device action and admin action, with the network address of the request it came in."""

import uuid
from typing import Protocol

from sqlalchemy.orm import Session

from app.audit.chain import current_address
from app.audit.models import DETAIL_LENGTH, AuditEvent


class Actor(Protocol):
    """Who did it: a person (app.auth.models.Person), named by what the trail keeps of them."""

    id: uuid.UUID
    organisation_id: uuid.UUID


def record_access(session: Session, person: Actor, action: str, collection: str,
                  record_id: uuid.UUID | None, detail: str | None = None,
                  address: str | None = None) -> None:
    """An event in the trail; it joins the hash chain when the session writes it. `detail` is
    a short code (a reason), never a name or anything a child said; `address` is the request's
    unless given."""
    session.add(AuditEvent(organisation_id=person.organisation_id, person_id=person.id,
                           action=action, collection=collection, record_id=record_id,
                           address=address or current_address(),
                           detail=detail[:DETAIL_LENGTH] if detail else None))
