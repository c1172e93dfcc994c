"""What each role may do. Which children's records a person may see is app.cases.policy's.

A worker, a supervisor and an admin work on cases; a supervisor and an admin review
interviews; a commissioner sees aggregated figures only, never a child's record.
"""

from app.auth.models import Person, Role

CASE_ROLES = (Role.WORKER, Role.SUPERVISOR, Role.ADMIN)


def may_work_on_cases(person: Person) -> bool:
    return person.role in CASE_ROLES


def may_review(person: Person) -> bool:
    return person.role in (Role.SUPERVISOR, Role.ADMIN)
