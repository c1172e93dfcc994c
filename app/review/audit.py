"""The audit trail: every read and write of a child's record by a person."""

import uuid

from sqlalchemy.orm import Session

from app.auth.models import Person
from app.review.models import AuditEvent


def record_access(session: Session, person: Person, action: str, collection: str,
                  record_id: uuid.UUID | None) -> None:
    session.add(AuditEvent(organisation_id=person.organisation_id, person_id=person.id,
                           action=action, collection=collection, record_id=record_id))
