"""Children and missing episodes: creating and changing them within the person's scope."""

from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import Person, Role, Team
from app.auth.policy import may_work_on_cases
from app.cases import rules
from app.cases.models import Area, Child, MissingEpisode
from app.cases.policy import visible_children_filter
from app.codelists.services import check_codes
from app.core.errors import Forbidden, ValidationFailed
from app.core.reference import read_json, upsert_by_key
from app.syncing.scope import child_moved, scopes_of_child_record

AREAS_FILE = Path(__file__).parent / "data" / "areas.json"


def load_areas(session: Session, path: Path = AREAS_FILE, country: str = "wales") -> int:
    data = read_json(path)
    for force in data["police_forces"]:
        upsert_by_key(session, Area, {"code": force["code"]},
                      {"kind": "police_force", "country": country, "name_en": force["en"],
                       "name_cy": force["cy"], "police_force_code": None})
    session.flush()
    for authority in data["local_authorities"]:
        upsert_by_key(session, Area, {"code": authority["code"]},
                      {"kind": "local_authority", "country": country, "name_en": authority["en"],
                       "name_cy": authority["cy"], "police_force_code": authority["force"]})
    return len(data["police_forces"]) + len(data["local_authorities"])


def visible_children(person: Person):
    return select(Child).where(visible_children_filter(person))


def area_kinds(session: Session, codes) -> dict[str, str]:
    wanted = {code for code in codes if code}
    if not wanted:
        return {}
    return dict(session.execute(select(Area.code, Area.kind).where(Area.code.in_(wanted))).all())


def _check_areas(session: Session, record, fields: dict[str, str]) -> None:
    wanted = {name: (kind, getattr(record, name)) for name, kind in fields.items()}
    known = area_kinds(session, (code for _kind, code in wanted.values()))
    errors = rules.area_errors(known, wanted)
    if errors:
        raise ValidationFailed(errors)


def _check_child_fields(session: Session, child: Child) -> None:
    _check_areas(session, child, rules.CHILD_AREA_FIELDS)


def _check_team(session: Session, person: Person, child: Child) -> None:
    """A child belongs to a team of the person's organisation; workers and supervisors may
    place children only in their own team."""
    team = session.get(Team, child.team_id) if child.team_id else None
    if team is None or team.organisation_id != person.organisation_id:
        raise ValidationFailed({"team_id": [_l("Choose a team of your organisation.")]})
    if person.role != Role.ADMIN and team.id != person.team_id:
        raise ValidationFailed({"team_id": [_l("You can only place children in your own team.")]})


def _check_assignment(session: Session, person: Person, child: Child) -> None:
    errors = assignment_errors(session, person, child.team_id, child.assigned_worker_id)
    if errors:
        raise ValidationFailed(errors)


def assignment_errors(session: Session, person: Person, team_id, worker_id) -> dict:
    """A child is assigned to an active worker or supervisor of the child's team; a worker
    may assign children only to themselves."""
    if worker_id is None:
        return {}
    worker = session.get(Person, worker_id)
    if (worker is None or not worker.active or worker.team_id != team_id
            or worker.role not in (Role.WORKER, Role.SUPERVISOR)):
        return {"assigned_worker_id": [_l("No such worker in this child's team.")]}
    if person.role == Role.WORKER and worker_id != person.id:
        return {"assigned_worker_id": [_l("You can only assign children to yourself.")]}
    return {}


def _apply(record, data: dict) -> None:
    for name, value in data.items():
        setattr(record, name, value)


def create_child(session: Session, person: Person, data: dict) -> Child:
    if not may_work_on_cases(person):
        raise Forbidden()
    data = dict(data)
    if person.role == Role.WORKER:
        data.setdefault("assigned_worker_id", person.id)
    child = Child(organisation_id=person.organisation_id,
                  team_id=data.pop("team_id", None) or person.team_id, **data)
    _check_child_fields(session, child)
    _check_team(session, person, child)
    _check_assignment(session, person, child)
    session.add(child)
    return child


def update_child(session: Session, person: Person, child: Child, data: dict) -> Child:
    if not may_work_on_cases(person):
        raise Forbidden()
    scopes_before = scopes_of_child_record(child)
    with session.no_autoflush:  # check before anything reaches the database
        _apply(child, data)
        _check_child_fields(session, child)
        if "team_id" in data:
            _check_team(session, person, child)
        if "assigned_worker_id" in data or "team_id" in data:
            _check_assignment(session, person, child)
    if scopes_of_child_record(child) != scopes_before:
        session.flush()
        child_moved(session, child.id, scopes_before, scopes_of_child_record(child))
    return child


def visible_episodes(person: Person):
    return select(MissingEpisode).join(Child).where(visible_children_filter(person))


def _visible_child(session: Session, person: Person, child_id) -> Child:
    child = session.scalars(visible_children(person).where(Child.id == child_id)).first()
    if child is None:
        raise ValidationFailed({"child_id": [_l("No such child among your cases.")]})
    return child


def _check_episode(session: Session, episode: MissingEpisode) -> None:
    errors = rules.return_time_errors(episode.reported_missing_at, episode.returned_at)
    if errors:
        raise ValidationFailed(errors)
    check_codes(session, episode.organisation_id,
                {name: (list_name, getattr(episode, name))
                 for name, list_name in rules.EPISODE_CODE_FIELDS.items()})
    _check_areas(session, episode, rules.EPISODE_AREA_FIELDS)


def create_episode(session: Session, person: Person, data: dict) -> MissingEpisode:
    if not may_work_on_cases(person):
        raise Forbidden()
    child = _visible_child(session, person, data["child_id"])
    episode = MissingEpisode(organisation_id=child.organisation_id, **data)
    _check_episode(session, episode)
    session.add(episode)
    return episode


def update_episode(session: Session, person: Person, episode: MissingEpisode,
                   data: dict) -> MissingEpisode:
    if not may_work_on_cases(person):
        raise Forbidden()
    with session.no_autoflush:  # check before anything reaches the database
        if data.get("child_id", episode.child_id) != episode.child_id:
            # Moving an episode would strand it on the old worker's tablet; record it anew.
            raise ValidationFailed({"child_id": [_l("An episode cannot move to another child.")]})
        _apply(episode, data)
        _check_episode(session, episode)
    return episode
