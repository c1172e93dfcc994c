"""What an administrator finds in the audit trail: the events of their own organisation, by
person, by child (every record of the child: the child, its episodes, their interviews and what
each interview holds) and by date, newest first, a page at a time; the search itself audited."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, Table, select, union_all
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.audit.services import record_access
from app.auth.models import Person
from app.auth.policy import may_administer
from app.auth.services import visible_people
from app.cases.models import Child
from app.core.errors import Forbidden
from app.core.text import matches
from app.extensions import db

PAGE_SIZE = 50
LONDON = ZoneInfo("Europe/London")


@dataclass
class Filters:
    person_id: uuid.UUID | None = None
    child: str | None = None  # (part of) a child's name
    date_from: date | None = None  # days in Europe/London, both included
    date_to: date | None = None


@dataclass
class Found:
    events: list[AuditEvent]
    more: bool  # whether a next page has events
    children: int | None  # how many children the name matched (None: no child asked for)


def check_administrator(person: Person) -> None:
    if not may_administer(person):
        raise Forbidden("only administrators search the audit trail")


def people_of_organisation(session: Session, admin: Person) -> list[Person]:
    """Whom the administrator may choose: the people of their organisation, by name."""
    return list(session.scalars(visible_people(admin).order_by(Person.display_name,
                                                               Person.email)))


def children_named(session: Session, admin: Person, name: str) -> list[uuid.UUID]:
    """The organisation's children whose name has every word of `name`, whatever its case and
    accents (as the supervisors' search finds them)."""
    rows = session.execute(select(Child.id, Child.given_name, Child.family_name)
                           .where(Child.organisation_id == admin.organisation_id))
    return [row.id for row in rows if matches(name, row.given_name, row.family_name)]


def _held_by(parent: Table) -> list[tuple[Table, object]]:
    """The tables whose rows belong to a row of `parent` (a foreign key to its id), with the
    column that names it; only those with an id of their own, which an event can name."""
    found = []
    for table in db.metadata.sorted_tables:
        if "id" not in table.c or table is parent:
            continue
        for key in table.foreign_keys:
            if key.column is parent.c.id:
                found.append((table, key.parent))
    return found


def records_of_children(child_ids: list[uuid.UUID]) -> Select:
    """The ids of every record of these children: the children themselves, and each record
    held below them, found by following foreign keys down from children (episodes, then
    interviews, then what an interview holds). Read off the tables, so that a record added
    later under an interview is found without a change here."""
    selects = [select(Child.id.label("id")).where(Child.id.in_(child_ids))]
    level = [(Child.__table__, child_ids)]
    seen = {Child.__table__.name}
    while level:
        below = []
        for parent, parent_ids in level:
            for table, column in _held_by(parent):
                if table.name in seen:
                    continue
                seen.add(table.name)
                ids = select(table.c.id).where(column.in_(parent_ids))
                selects.append(select(table.c.id.label("id")).where(column.in_(parent_ids)))
                below.append((table, ids))
        level = below
    return union_all(*selects)


def _london_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LONDON)


def search_events(session: Session, admin: Person, filters: Filters, page: int = 1) -> Found:
    """The organisation's events that pass the filters, newest first, page `page` of
    PAGE_SIZE (read in SQL; one more row tells whether another page follows). The search is
    itself audited."""
    check_administrator(admin)
    query = select(AuditEvent).where(AuditEvent.organisation_id == admin.organisation_id)
    if filters.person_id is not None:
        query = query.where(AuditEvent.person_id == filters.person_id)
    children = None
    if filters.child:
        child_ids = children_named(session, admin, filters.child)
        children = len(child_ids)
        query = query.where(AuditEvent.record_id.in_(
            select(records_of_children(child_ids).subquery().c.id)))
    if filters.date_from is not None:
        query = query.where(AuditEvent.at >= _london_midnight(filters.date_from))
    if filters.date_to is not None:
        query = query.where(AuditEvent.at < _london_midnight(filters.date_to + timedelta(days=1)))
    rows = list(session.scalars(query.order_by(AuditEvent.id.desc())
                                .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)))
    record_access(session, admin, "search", "audit_events", None, detail=_what_was_asked(filters))
    return Found(rows[:PAGE_SIZE], len(rows) > PAGE_SIZE, children)


def _what_was_asked(filters: Filters) -> str | None:
    """Which filters a search used, as codes: never the name searched for."""
    asked = [name for name, value in (("person", filters.person_id), ("child", filters.child),
                                      ("from", filters.date_from), ("to", filters.date_to))
             if value]
    return "by " + ",".join(asked) if asked else None

