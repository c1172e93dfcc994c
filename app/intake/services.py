"""Intake and allocation: a return notice recorded, the child found (possible duplicates
offered first) or made, their missing episode opened with the return time, and a worker of the
team assigned, with the child's wish about their worker. Reassignment moves the case between
workers' tablets through the scope machinery (app/syncing/scope.py, via update_child).

Every function takes plain arguments and a session; the caller commits once for the whole
intake, so that a refusal anywhere leaves nothing half-saved."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, false, func, or_, select

from app.audit.services import record_access
from app.auth.models import Person, Role, Team
from app.cases import services as cases
from app.cases.models import NOTIFIERS, WORKER_WISHES, Child, MissingEpisode
from app.core.errors import NotFound, ValidationFailed
from app.core.text import folded
from app.core.types import utcnow

# The most possible duplicates offered: the supervisor narrows the search past them.
MOST_OFFERED = 20

NOT_IN_FUTURE = {
    "returned_at": _l("The return time cannot be in the future."),
    "notified_at": _l("The time we were told cannot be in the future."),
}
NEEDED = {
    "notified_at": _l("Enter when we were told, as a date and a time."),
    "returned_at": _l("Enter the return time, as a date and a time."),
    "reported_missing_at": _l("Enter when the child was reported missing, as a date and a time."),
}
TOLD_BEFORE_RETURN = _l("We cannot have been told of the return before the return time.")
CHOOSE_NOTIFIER = _l("Choose who told us the child had returned.")
CHOOSE_WISH = _l("Choose what the child asked about their worker.")
CHOOSE_WORKER = _l("Choose a worker for the child.")


@dataclass(frozen=True)
class Notice:
    """A return notice: who told us (a NOTIFIERS code), when, and when the child returned."""

    notified_by: str | None
    notified_at: datetime | None
    returned_at: datetime | None


@dataclass(frozen=True)
class Candidate:
    """A child who may be the one the notice is about, with what made them a candidate."""

    child: Child
    last_episode: MissingEpisode | None
    same_name: bool
    same_birth: bool
    same_area: bool


def notice_errors(notice: Notice, now: datetime | None = None) -> dict:
    """The notice's own checks (the return time against the missing report is the episode's,
    app/cases/rules.py)."""
    now = now or utcnow()
    errors = {}
    if notice.notified_by not in NOTIFIERS:
        errors["notified_by"] = [CHOOSE_NOTIFIER]
    for name in ("returned_at", "notified_at"):
        moment = getattr(notice, name)
        if moment is None:
            errors[name] = [NEEDED[name]]
        elif moment > now:
            errors[name] = [NOT_IN_FUTURE[name]]
    if (notice.notified_at and notice.returned_at and "notified_at" not in errors
            and notice.notified_at < notice.returned_at):
        errors["notified_at"] = [TOLD_BEFORE_RETURN]
    return errors


def possible_duplicates(session, person: Person, given_name: str, family_name: str,
                        date_of_birth: date | None, area_code: str | None) -> list[Candidate]:
    """The children this person may see who may be the one named: every word of the name in
    their folded name (case and accents set aside, in SQL on children.name_folded), or born
    that day with the given name, the family name or the area alike (a family name changes,
    a given name is spelled otherwise). Closest first."""
    words = folded(f"{given_name} {family_name}").split()
    in_area = (or_(Child.placing_authority_code == area_code,
                   Child.host_authority_code == area_code) if area_code else None)
    ways = [cases.name_has_words(words)] if words else []
    if date_of_birth is not None:
        alike = [cases.name_has_words(part) for part in (folded(given_name).split(),
                                               folded(family_name).split()) if part]
        alike += [in_area] if in_area is not None else []
        born = Child.date_of_birth == date_of_birth
        ways.append(and_(born, or_(*alike)) if alike else born)  # (a date of birth alone)
    if not ways:
        return []
    found = session.scalars(cases.visible_children(person).where(or_(*ways))
                            .order_by(Child.family_name, Child.given_name)
                            .limit(MOST_OFFERED * 5)).all()
    last = last_episodes(session, [child.id for child in found])
    candidates = [Candidate(child, last.get(child.id),
                            same_name=bool(words) and all(w in child.name_folded for w in words),
                            same_birth=date_of_birth is not None
                            and child.date_of_birth == date_of_birth,
                            same_area=bool(area_code) and area_code in (
                                child.placing_authority_code, child.host_authority_code))
                  for child in found]
    candidates.sort(key=lambda c: -(c.same_name + c.same_birth + c.same_area))
    for candidate in candidates[:MOST_OFFERED]:
        record_access(session, person, "intake-offer", "children", candidate.child.id)
    return candidates[:MOST_OFFERED]


def last_episodes(session, child_ids: list[uuid.UUID]) -> dict[uuid.UUID, MissingEpisode]:
    """Each child's latest missing episode (by its report)."""
    if not child_ids:
        return {}
    latest = (select(MissingEpisode.child_id,
                     func.max(MissingEpisode.reported_missing_at).label("reported"))
              .where(MissingEpisode.child_id.in_(child_ids))
              .group_by(MissingEpisode.child_id).subquery())
    episodes = session.scalars(select(MissingEpisode).join(latest, and_(
        MissingEpisode.child_id == latest.c.child_id,
        MissingEpisode.reported_missing_at == latest.c.reported)))
    return {episode.child_id: episode for episode in episodes}


def visible_child(session, person: Person, child_id: uuid.UUID, action: str = "read") -> Child:
    """A child this person may see, the reading audited; NotFound otherwise (never say which)."""
    child = session.scalars(cases.visible_children(person).where(Child.id == child_id)).first()
    if child is None:
        raise NotFound()
    record_access(session, person, action, "children", child.id)
    return child


def assignable_workers(session, person: Person, team_id: uuid.UUID | None = None) -> list[Person]:
    """Whom a child may be assigned to (the checks are app/cases/rules.assignment_errors'): the
    active workers and supervisors of the team, the supervisor's own; an admin's, of their
    organisation's teams (of one team when the child already has it)."""
    query = (select(Person).join(Team, Person.team_id == Team.id)
             .where(Team.organisation_id == person.organisation_id, Person.active,
                    Person.role.in_((Role.WORKER, Role.SUPERVISOR)))
             .order_by(Person.display_name))
    if person.role != Role.ADMIN:
        query = query.where(Person.team_id == person.team_id) if person.team_id else \
            query.where(false())
    if team_id is not None:
        query = query.where(Person.team_id == team_id)
    return list(session.scalars(query))


def record_intake(session, person: Person, notice: Notice, child_id: uuid.UUID | None,
                  child_data: dict | None, episode_data: dict, worker_id: uuid.UUID | None,
                  wish: str | None) -> tuple[Child, MissingEpisode]:
    """The whole intake, or a ValidationFailed naming every field refused: the child found
    (child_id) or made (child_data), assigned to the worker, and their episode opened with
    the notice's return time and the child's wish. The caller commits, or rolls back."""
    errors = notice_errors(notice)
    if episode_data.get("reported_missing_at") is None:
        errors["reported_missing_at"] = [NEEDED["reported_missing_at"]]
    if wish not in WORKER_WISHES:
        errors["worker_wish"] = [CHOOSE_WISH]
    if worker_id is None:
        errors["assigned_worker_id"] = [CHOOSE_WORKER]
    # The child and the episode are tried even when something is refused already, so that
    # every refusal is named at once; the caller rolls back whatever they wrote.
    try:
        child = _child_assigned(session, person, child_id, child_data, worker_id)
    except ValidationFailed as failed:
        child = None
        errors = _without_team(failed.errors) | errors
    episode = None
    if child is not None and "reported_missing_at" not in errors:
        try:
            episode = cases.create_episode(session, person, {
                **episode_data, "child_id": child.id, "returned_at": notice.returned_at})
        except ValidationFailed as failed:
            errors = failed.errors | errors
    if errors:
        raise ValidationFailed(errors)
    episode.notified_by, episode.notified_at = notice.notified_by, notice.notified_at
    episode.worker_wish = wish
    session.flush()
    record_access(session, person, "intake-create", "missing_episodes", episode.id)
    return child, episode


def _without_team(errors: dict) -> dict:
    """A child's team is not asked on the page (it is the supervisor's, or the chosen worker's):
    a refusal of it means the worker is wrong."""
    if "team_id" in errors:
        errors = {name: messages for name, messages in errors.items() if name != "team_id"}
        errors.setdefault("assigned_worker_id", [CHOOSE_WORKER])
    return errors


def _child_assigned(session, person: Person, child_id, child_data, worker_id) -> Child:
    """The child found, assigned to the worker; or the child made, assigned to them in their
    team (an admin's new child goes to the chosen worker's team)."""
    if child_id is not None:
        child = visible_child(session, person, child_id, "intake-find")
        if child.assigned_worker_id != worker_id:
            assign(session, person, child, worker_id)
        return child
    data = dict(child_data or {}, assigned_worker_id=worker_id)
    if person.role == Role.ADMIN:
        worker = session.get(Person, worker_id)
        data["team_id"] = worker.team_id if worker is not None else None
    child = cases.create_child(session, person, data)
    session.flush()
    record_access(session, person, "intake-create", "children", child.id)
    return child


def assign(session, person: Person, child: Child, worker_id: uuid.UUID | None) -> Child:
    """The child given to another worker, audited: their tablet receives the case at its next
    sync, and the old worker's is told it left (update_child records the move)."""
    if worker_id is None:
        raise ValidationFailed({"assigned_worker_id": [CHOOSE_WORKER]})
    cases.update_child(session, person, child, {"assigned_worker_id": worker_id})
    session.flush()
    record_access(session, person, "assign", "children", child.id)
    return child


def episodes_of(session, child: Child) -> list[MissingEpisode]:
    """The child's episodes, the latest report first."""
    return list(session.scalars(select(MissingEpisode).where(MissingEpisode.child_id == child.id)
                                .order_by(MissingEpisode.reported_missing_at.desc())))
