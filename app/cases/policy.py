"""Which children's records a person may see. Every query of a child's record passes through here.

A worker sees the children assigned to them, a supervisor their team's, an admin their
organisation's; a commissioner sees aggregated figures only, never a child's record. (What a
role may do, apart from any child, is app.auth.policy's.)
"""

from sqlalchemy import false, select

from app.auth.models import Person, Role
from app.auth.policy import in_own_team
from app.cases.models import Child


def visible_children_filter(person: Person):
    """A WHERE clause on Child that keeps only the children this person may see."""
    in_organisation = Child.organisation_id == person.organisation_id
    if person.role == Role.WORKER:
        return in_organisation & (Child.assigned_worker_id == person.id)
    if person.role == Role.SUPERVISOR:
        # A supervisor with no team yet supervises no one (not every child with no team).
        return in_organisation & in_own_team(Child.team_id, person)
    if person.role == Role.ADMIN:
        return in_organisation
    return false()


def visible_child_ids(person: Person):
    """A subquery of the ids of the children this person may see."""
    return select(Child.id).where(visible_children_filter(person))
