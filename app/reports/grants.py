"""Which areas' figures a commissioner may read: granted by an admin of their organisation, area
by area (a local authority or a police force area), and audited."""

import uuid

from flask_babel import gettext as _
from sqlalchemy import ForeignKey, String, Uuid, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.admin.people import organisation_person
from app.audit.services import record_access
from app.auth.models import Person, Role
from app.cases.models import Area
from app.core.errors import NotFound, ValidationFailed
from app.extensions import db


class CommissionerArea(db.Model):
    __tablename__ = "commissioner_areas"
    person_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("people.id"), primary_key=True)
    area_code: Mapped[str] = mapped_column(String(16), ForeignKey("areas.code"), primary_key=True)


def granted_areas(session: Session, person: Person) -> frozenset[str]:
    """The codes of the areas granted to the person (none to anyone but a commissioner)."""
    if person.role != Role.COMMISSIONER:
        return frozenset()
    return frozenset(session.scalars(select(CommissionerArea.area_code)
                                     .where(CommissionerArea.person_id == person.id)))


def organisation_commissioner(session: Session, admin: Person, person_id: uuid.UUID) -> Person:
    """The person, who must be a commissioner of the admin's organisation: anyone else, and
    another organisation's person, is NotFound (only a commissioner has areas to read)."""
    person = organisation_person(session, admin, person_id)
    if person.role != Role.COMMISSIONER:
        raise NotFound()
    return person


def grant_areas(session: Session, admin: Person, person_id: uuid.UUID, codes) -> frozenset[str]:
    """The commissioner's areas become exactly `codes` (every one a known area), audited as one
    event; nothing changes when any code is unknown."""
    person = organisation_commissioner(session, admin, person_id)
    wanted = frozenset(codes)
    known = frozenset(session.scalars(select(Area.code).where(Area.code.in_(wanted))))
    if wanted - known:
        raise ValidationFailed({"areas": [_("Choose only areas from the list.")]})
    before = granted_areas(session, person)
    if wanted == before:
        return before
    session.execute(delete(CommissionerArea).where(
        CommissionerArea.person_id == person.id, CommissionerArea.area_code.in_(before - wanted)))
    session.add_all(CommissionerArea(person_id=person.id, area_code=code)
                    for code in sorted(wanted - before))
    # How many, never which: the trail says what was done, the table holds what is granted.
    record_access(session, admin, "report-areas", "people", person.id,
                  detail=f"{len(wanted)} areas")
    session.flush()
    return wanted
