"""Children and missing episodes as synced collections: what a device may write, their rules,
what follows a push's writes, and what a pull reads with them."""

from collections import defaultdict
from types import SimpleNamespace

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.cases import rules
from app.cases.models import Area, Child, MissingEpisode, folded_name
from app.cases.schemas import AreaSchema, ChildSchema, EpisodeSchema
from app.cases.services import (
    EPISODES_WRITTEN,
    renew_sibling_revisions,
    scopes_of_child,
    visible_children,
    visible_episodes,
)
from app.core.bulk import ids_among
from app.syncing.collections import Parent, ReferencePart, SyncCollection, Written
from app.syncing.scope import record_moved


def name_stamp(fields: dict, now) -> dict:
    """A child a push makes holds both names: its folded name goes in with it."""
    if "given_name" in fields and "family_name" in fields:
        return {"name_folded": folded_name(fields["given_name"], fields["family_name"])}
    return {}


def after_children_written(session: Session, written: Written) -> None:
    refold_names(session, written)
    note_moves(session, written)


def refold_names(session: Session, written: Written) -> None:
    """A child a push renamed has its folded name kept (the record holds both names as
    merged, whichever one the push changed)."""
    renamed = [{"id": record.id, "name_folded": folded_name(record.fields["given_name"],
                                                            record.fields["family_name"])}
               for record in written.updated
               if written.changed.get(record.id, set()) & {"given_name", "family_name"}]
    if renamed:
        session.execute(update(Child), renamed)


def note_moves(session: Session, written: Written) -> None:
    """A child given another worker or team leaves the old scopes, with all it holds."""
    for record in written.updated:
        child = session.get(Child, record.id)
        session.refresh(child)
        record_moved(session, "children", record.id, written.remembered.get(record.id, set()),
                     scopes_of_child(child))


def host_authorities(session: Session, children) -> None:
    """child.host_authority: the area (placed outside Wales reads its country)."""
    codes = {child.host_authority_code for child in children if child.host_authority_code}
    areas = {}
    if codes:
        areas = {area.code: SimpleNamespace(code=area.code, country=area.country)
                 for area in session.connection().execute(
                     select(Area.code, Area.country).where(Area.code.in_(codes)))}
    for child in children:
        child.host_authority = areas.get(child.host_authority_code)


def renew_repeat_counts(session: Session, written: Written) -> None:
    """When a push makes an episode or moves its report or its return, the other episodes of its
    child take new revisions: their repeat counts changed (see renew_sibling_revisions)."""
    moved = written.created + [record for record in written.updated
                               if {"reported_missing_at", "returned_at"}
                               & set(written.changed.get(record.id, ()))]
    renew_sibling_revisions(session, {record.fields["child_id"] for record in moved},
                            {record.id for record in moved})


def after_episodes_written(session: Session, written: Written) -> None:
    """The siblings' repeat counts, then whoever follows episodes' writes (EPISODES_WRITTEN)."""
    renew_repeat_counts(session, written)
    EPISODES_WRITTEN.tell(session, {record.fields.get("child_id")
                                    for record in written.created + written.updated})


def children_with_episodes(session: Session, episodes) -> None:
    """episode.child.episodes: when each of the child's episodes was reported and ended (the
    repeat counts read them), every episode of the child, as the relationship holds them."""
    child_ids = {episode.child_id for episode in episodes}
    reported = defaultdict(list)
    connection = session.connection()
    for child_id, reported_at, returned_at in connection.execute(
            select(MissingEpisode.child_id, MissingEpisode.reported_missing_at,
                   MissingEpisode.returned_at)
            .where(ids_among(connection, MissingEpisode.child_id, child_ids))):
        reported[child_id].append(SimpleNamespace(reported_missing_at=reported_at,
                                                  returned_at=returned_at))
    children = {child_id: SimpleNamespace(id=child_id, episodes=reported[child_id])
                for child_id in child_ids}
    for episode in episodes:
        episode.child = children[episode.child_id]


CHILDREN = SyncCollection(
    name="children", model=Child, schema=ChildSchema(), visible=visible_children,
    device_fields=frozenset({
        "given_name", "family_name", "date_of_birth", "preferred_language", "looked_after",
        "placing_authority_code", "host_authority_code", "residential_placement",
        "unaccompanied_asylum_seeking", "assigned_worker_id", "team_id"}),
    rules=rules.child_errors,
    defaults=lambda change: rules.child_defaults(change.actor),
    # (a submission asks whether the child is looked after: app/referrals/rules.py)
    read_by_children=("looked_after",),
    remember=scopes_of_child,
    after_write=after_children_written,
    stamps=name_stamp,
    pull_relations=host_authorities,
    scopes=scopes_of_child,
    chosen_from=rules.CHILD_AREA_FIELDS,
)

EPISODES = SyncCollection(
    name="episodes", model=MissingEpisode, schema=EpisodeSchema(), visible=visible_episodes,
    device_fields=frozenset({"child_id", "reported_missing_at", "returned_at", "return_method",
                             "risk_grade", "reporting_force_code", "where_found"}),
    rules=rules.episode_errors,
    parent=Parent("child_id", "children", rules.NO_SUCH_CHILD),
    read_by_children=("child_id", "returned_at"),
    after_write=after_episodes_written,
    pull_relations=children_with_episodes,
    code_fields=rules.EPISODE_CODE_FIELDS,
    time_order=(rules.RETURN_AFTER_REPORT,),
    chosen_from=rules.EPISODE_AREA_FIELDS,
)

COLLECTIONS = (CHILDREN, EPISODES)
REFERENCE = (ReferencePart("areas", lambda session, person: session.scalars(
    select(Area).order_by(Area.code)), AreaSchema()),)
