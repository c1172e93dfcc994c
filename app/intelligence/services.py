"""Intelligence items: who may see and change them (those who may see the interview's child),
made and changed through the rules of rules.py."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import Person
from app.cases.models import Child, MissingEpisode
from app.cases.policy import visible_children_filter
from app.intelligence import rules
from app.intelligence.models import IntelligenceItem
from app.interviews.models import ReturnInterview
from app.interviews.services import create_held, update_held


def visible_items(person: Person):
    return (select(IntelligenceItem).join(ReturnInterview).join(MissingEpisode).join(Child)
            .where(visible_children_filter(person)))


def items_of(session: Session, interview_id) -> list[IntelligenceItem]:
    """An interview's items, in the order they were made (the caller has
    already found the interview among what the person may see)."""
    return list(session.scalars(select(IntelligenceItem)
                                .where(IntelligenceItem.interview_id == interview_id)
                                .order_by(IntelligenceItem.created_at, IntelligenceItem.id)))


def create_item(session: Session, person: Person, data: dict) -> IntelligenceItem:
    return create_held(session, person, data, IntelligenceItem, rules.item_errors,
                       rules.item_defaults)


def update_item(session: Session, person: Person, item: IntelligenceItem,
                data: dict) -> IntelligenceItem:
    return update_held(session, person, item, data, rules.item_errors)
