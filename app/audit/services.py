"""The audit trail's writer: every read and write of a child's record by a person."""

import uuid
from typing import Protocol

from sqlalchemy.orm import Session

from app.audit.models import AuditEvent


class Actor(Protocol):
    """Who did it: a person (app.auth.models.Person), named by what the trail keeps of them."""

    id: uuid.UUID
    organisation_id: uuid.UUID


def record_access(session: Session, person: Actor, action: str, collection: str,
                  record_id: uuid.UUID | None) -> None:
    session.add(AuditEvent(organisation_id=person.organisation_id, person_id=person.id,
                           action=action, collection=collection, record_id=record_id))
