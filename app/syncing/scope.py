"""When a child moves to another worker or team, their records leave one scope and enter
another. The old scope gets removals; the records get new revisions so the new scope pulls them.
Both the API and sync call this, so a reassignment is seen the same way whichever made it."""

import uuid

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.auth.models import Person, Role
from app.cases.models import Child, MissingEpisode
from app.core.models import take_revisions
from app.interviews.models import InterviewAttempt, ReturnInterview
from app.syncing.models import ScopeRemoval


def worker_scope(person_id) -> str:
    return f"worker:{person_id}"


def team_scope(team_id) -> str:
    return f"team:{team_id}"


def organisation_scope(organisation_id) -> str:
    return f"organisation:{organisation_id}"


def scopes_of(person: Person) -> list[str]:
    """The scopes whose removals this person's pulls must hear about."""
    if person.role == Role.WORKER:
        return [worker_scope(person.id)]
    if person.role == Role.SUPERVISOR:
        return [team_scope(person.team_id)]
    if person.role == Role.ADMIN:
        return [organisation_scope(person.organisation_id)]
    return []


def scopes_of_child(organisation_id, team_id, worker_id) -> list[str]:
    found = [organisation_scope(organisation_id), team_scope(team_id)]
    return found + ([worker_scope(worker_id)] if worker_id else [])


def records_of_child(session: Session, child_id: uuid.UUID) -> list[tuple[str, object, uuid.UUID]]:
    """(collection, model, id) of the child's episodes, interviews and attempts."""
    episodes = select(MissingEpisode.id).where(MissingEpisode.child_id == child_id)
    interviews = select(ReturnInterview.id).where(ReturnInterview.episode_id.in_(episodes))
    attempts = select(InterviewAttempt.id).where(InterviewAttempt.interview_id.in_(interviews))
    found = []
    for collection, model, stmt in (("episodes", MissingEpisode, episodes),
                                    ("interviews", ReturnInterview, interviews),
                                    ("attempts", InterviewAttempt, attempts)):
        found += [(collection, model, record_id) for record_id in session.scalars(stmt)]
    return found


def add_removals(session: Session, scopes: list[str], records: list[tuple[str, uuid.UUID]]) -> None:
    rows = [{"scope": scope, "collection": collection, "record_id": record_id}
            for scope in scopes for collection, record_id in records]
    for row, rev in zip(rows, take_revisions(session, len(rows)), strict=True):
        row["rev"] = rev
    if rows:
        session.execute(ScopeRemoval.__table__.insert(), rows)


def child_moved(session: Session, child_id: uuid.UUID, old_scopes: set[str],
                new_scopes: set[str]) -> None:
    """Removals for the scopes the child left; fresh revisions for the child's records, so the
    scopes it entered pull them although they did not change."""
    left = sorted(old_scopes - new_scopes)
    if not left and new_scopes <= old_scopes:
        return
    descendants = records_of_child(session, child_id)
    add_removals(session, left, [("children", child_id)]
                 + [(collection, record_id) for collection, _model, record_id in descendants])
    revisions = iter(take_revisions(session, len(descendants)))
    for _collection, model, record_id in descendants:
        session.execute(update(model).where(model.id == record_id).values(rev=next(revisions)))


def scopes_of_child_record(child: Child) -> set[str]:
    return set(scopes_of_child(child.organisation_id, child.team_id, child.assigned_worker_id))
