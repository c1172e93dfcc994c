from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth.models import Person
from app.cases.services import visible_children


def case_count(session: Session, person: Person) -> int:
    """How many children's cases this person may see."""
    return session.scalar(select(func.count()).select_from(visible_children(person).subquery()))
