"""Records for a pull read as plain rows, not ORM objects.

A pull dumps thousands of records with their schemas. Loading each as an ORM object, with the
related objects its derived fields read (an episode's child and the child's episodes, say),
was half the time of a pull; marshmallow's dump was most of the rest (see app/core/dumping.py).
Here each record is a plain object holding its columns, and, under the same names as the
model's relationships, just what the schema's derived fields read of its relations. A derived
field that comes to read something else fails loudly (AttributeError) in the tests, which hold
each dump equal to the schema's dump of the ORM object (tests/sync/test_plain_records.py).
"""

from collections import defaultdict
from types import SimpleNamespace

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cases.models import Area, MissingEpisode
from app.core.bulk import ids_among, rows_by_id
from app.interviews.models import CODED_ANSWERS, InterviewCode
from app.syncing.collections import SyncCollection

# Never sent by a pull, and costly to read back (grouped JSON turned into a dict by field).
NOT_PULLED = frozenset({"field_sources"})


def plain_records(session: Session, spec: SyncCollection, stmt) -> list[SimpleNamespace]:
    """The records a SELECT of spec.model (the visible records, say) finds, in its order."""
    names = [attribute.key for attribute in spec.model.__mapper__.column_attrs
             if attribute.key not in NOT_PULLED]
    # On the session's connection: the session's own execute would pass each row through the
    # ORM's loading steps. Its pending changes are written first, as its execute would.
    session.flush()
    rows = session.connection().execute(stmt.with_only_columns(
        *(getattr(spec.model, name) for name in names))).all()
    records = [SimpleNamespace(**dict(zip(names, row, strict=True))) for row in rows]
    if records:
        _RELATIONS.get(spec.name, _nothing)(session, records)
    return records


def _nothing(_session, _records) -> None:
    pass


def _host_authorities(session: Session, children) -> None:
    """child.host_authority: the area (placed outside Wales reads its country)."""
    codes = {child.host_authority_code for child in children if child.host_authority_code}
    areas = {}
    if codes:
        areas = {area.code: SimpleNamespace(code=area.code, country=area.country)
                 for area in session.connection().execute(
                     select(Area.code, Area.country).where(Area.code.in_(codes)))}
    for child in children:
        child.host_authority = areas.get(child.host_authority_code)


def _children_with_episodes(session: Session, episodes) -> None:
    """episode.child.episodes: when each of the child's episodes was reported (the repeat
    counts read them), every episode of the child, as the relationship holds them."""
    child_ids = {episode.child_id for episode in episodes}
    reported = defaultdict(list)
    connection = session.connection()
    for child_id, reported_at in connection.execute(
            select(MissingEpisode.child_id, MissingEpisode.reported_missing_at)
            .where(ids_among(connection, MissingEpisode.child_id, child_ids))):
        reported[child_id].append(SimpleNamespace(reported_missing_at=reported_at))
    children = {child_id: SimpleNamespace(id=child_id, episodes=reported[child_id])
                for child_id in child_ids}
    for episode in episodes:
        episode.child = children[episode.child_id]


def _interview_relations(session: Session, interviews) -> None:
    """interview.episode: when the child came back (the 72-hour clock reads it); and each
    coded answer (push_factors, harms, ...) as the model gives it, its codes in order."""
    returned = {episode_id: SimpleNamespace(id=episode_id, returned_at=returned_at)
                for episode_id, (returned_at,) in rows_by_id(
                    session, select(MissingEpisode), MissingEpisode.id,
                    {interview.episode_id for interview in interviews},
                    [MissingEpisode.returned_at]).items()}
    coded = defaultdict(lambda: defaultdict(set))  # by interview, then by code list
    connection = session.connection()
    for interview_id, list_name, code in connection.execute(
            select(InterviewCode.interview_id, InterviewCode.list_name, InterviewCode.code)
            .where(ids_among(connection, InterviewCode.interview_id,
                             [interview.id for interview in interviews]))):
        coded[interview_id][list_name].add(code)
    for interview in interviews:
        interview.episode = returned.get(interview.episode_id)
        lists = coded.get(interview.id, {})
        for field, list_name in CODED_ANSWERS.items():
            setattr(interview, field, sorted(lists.get(list_name, ())))


_RELATIONS = {"children": _host_authorities, "episodes": _children_with_episodes,
              "interviews": _interview_relations}
