"""Children and missing episodes: creating and changing them within the person's scope."""

from pathlib import Path

from sqlalchemy import and_, select, update
from sqlalchemy.orm import Session

from app.auth.models import Person
from app.auth.policy import may_work_on_cases
from app.cases import rules
from app.cases.models import Area, Child, MissingEpisode
from app.cases.policy import visible_children_filter
from app.core.bulk import ids_among
from app.core.errors import Forbidden, ValidationFailed
from app.core.followers import Followers
from app.core.models import take_revisions
from app.core.reference import read_json, upsert_by_key
from app.core.rules import refuse
from app.syncing.collections import direct_change
from app.syncing.scope import record_moved, scopes_of_assignment

AREAS_FILE = Path(__file__).parent / "data" / "areas.json"
# England's councils with children's services and its 39 forces: children are placed across
# the border both ways, so a placing or host authority or a reporting force may be English.
# Their country tells the annual report's Welsh areas from them.
ENGLISH_AREAS_FILE = Path(__file__).parent / "data" / "areas_england.json"


def load_areas(session: Session, paths=(AREAS_FILE, ENGLISH_AREAS_FILE)) -> int:
    """Each file's forces, then its authorities (which name their force); a file names its
    country (Wales unless it says)."""
    loaded = 0
    for path in paths:
        data = read_json(path)
        country = data.get("country", "wales")
        for force in data["police_forces"]:
            upsert_by_key(session, Area, {"code": force["code"]},
                          {"kind": "police_force", "country": country, "name_en": force["en"],
                           "name_cy": force["cy"], "police_force_code": None})
        session.flush()
        for authority in data["local_authorities"]:
            upsert_by_key(session, Area, {"code": authority["code"]},
                          {"kind": "local_authority", "country": country,
                           "name_en": authority["en"], "name_cy": authority["cy"],
                           "police_force_code": authority["force"]})
        loaded += len(data["police_forces"]) + len(data["local_authorities"])
    return loaded


def visible_children(person: Person):
    return select(Child).where(visible_children_filter(person))


def _like_word(word: str) -> str:
    """A LIKE pattern finding the word anywhere (its own % and _ taken literally)."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def name_has_words(words: list[str]):
    """A WHERE clause on Child: every (folded) word is in the child's folded name, in SQL on
    children.name_folded, so that a search for "sian" finds "Siân" without reading every child."""
    return and_(*(Child.name_folded.like(_like_word(word), escape="\\") for word in words))


def scopes_of_child(child) -> set[str]:
    """The scopes a child's records are seen in (a tablet's pull hears of moves between them)."""
    return scopes_of_assignment(child.organisation_id, child.team_id, child.assigned_worker_id)


def create_child(session: Session, person: Person, data: dict) -> Child:
    if not may_work_on_cases(person):
        raise Forbidden()
    change = direct_change(session, person, None, data, rules.child_defaults(person))
    refuse(rules.child_errors(change))
    child = Child(**change.merged)
    session.add(child)
    return child


def update_child(session: Session, person: Person, child: Child, data: dict) -> Child:
    if not may_work_on_cases(person):
        raise Forbidden()
    with session.no_autoflush:  # check before anything reaches the database
        refuse(rules.child_errors(direct_change(session, person, child, data)))
    scopes_before = scopes_of_child(child)
    _apply(child, data)
    if scopes_of_child(child) != scopes_before:
        session.flush()
        record_moved(session, "children", child.id, scopes_before, scopes_of_child(child))
    return child


def _apply(record, data: dict) -> None:
    for name, value in data.items():
        setattr(record, name, value)


def visible_episodes(person: Person):
    return select(MissingEpisode).join(Child).where(visible_children_filter(person))


# Told, with the children's ids, whenever episodes of theirs are made or changed, by a page,
# the API or a sync push (what another capability keeps from a child's episodes: the review
# queue's priority reads the risk grade and the repeat thresholds).
EPISODES_WRITTEN = Followers()


def create_episode(session: Session, person: Person, data: dict) -> MissingEpisode:
    if not may_work_on_cases(person):
        raise Forbidden()
    child = session.scalars(visible_children(person).where(Child.id == data["child_id"])).first()
    if child is None:
        raise ValidationFailed({"child_id": [rules.NO_SUCH_CHILD]})
    change = direct_change(session, person, None, data, {"organisation_id": child.organisation_id})
    refuse(rules.episode_errors(change))
    episode = MissingEpisode(**change.merged)
    session.add(episode)
    session.flush()
    renew_sibling_revisions(session, {episode.child_id}, {episode.id})
    EPISODES_WRITTEN.tell(session, {episode.child_id})
    return episode


def update_episode(session: Session, person: Person, episode: MissingEpisode,
                   data: dict) -> MissingEpisode:
    if not may_work_on_cases(person):
        raise Forbidden()
    with session.no_autoflush:  # check before anything reaches the database
        refuse(rules.episode_errors(direct_change(session, person, episode, data)))
    _apply(episode, data)
    if {"reported_missing_at", "returned_at"} & data.keys():  # what the repeat counts read
        session.flush()
        renew_sibling_revisions(session, {episode.child_id}, {episode.id})
    EPISODES_WRITTEN.tell(session, {episode.child_id})
    return episode


def renew_sibling_revisions(session: Session, child_ids, written_ids) -> None:
    """A new revision for each episode of these children but those just written: an episode's
    repeat counts are read from the other episodes of its child, so a tablet pulling by cursor
    must hear of them when one is made or its report or return moves. (A child has a handful of
    episodes: every one is renewed rather than only those whose window the change falls in.)"""
    if not child_ids:
        return
    connection = session.connection()
    siblings = [episode_id for (episode_id,) in connection.execute(
        select(MissingEpisode.id).where(ids_among(connection, MissingEpisode.child_id, child_ids)))
        if episode_id not in written_ids]
    if siblings:
        revisions = take_revisions(session, len(siblings))
        session.execute(update(MissingEpisode), [
            {"id": episode_id, "rev": rev}
            for episode_id, rev in zip(siblings, revisions, strict=True)])
