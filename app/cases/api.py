"""JSON routes for areas, children and missing episodes."""

from sqlalchemy import select

from app.api.resources import Resource
from app.cases import schemas, services
from app.cases.models import Area, Child, MissingEpisode


def _episode_filters(stmt, filters):
    if "child_id" in filters:
        stmt = stmt.where(MissingEpisode.child_id == filters["child_id"])
    if "returned" in filters:
        returned = MissingEpisode.returned_at.is_not(None)
        stmt = stmt.where(returned if filters["returned"] else ~returned)
    return stmt


RESOURCES = [
    Resource(
        name="areas",
        model=Area,
        schema=schemas.AreaSchema,
        query_schema=schemas.AreaQuery,
        visible=lambda person: select(Area),
        audited=False,
        order_by=[Area.kind, Area.name_en],
        description="Local authorities and police forces, named in Welsh and English.",
    ),
    Resource(
        name="children",
        model=Child,
        schema=schemas.ChildSchema,
        query_schema=schemas.ChildQuery,
        visible=services.visible_children,
        create=services.create_child,
        update=services.update_child,
        order_by=[Child.family_name, Child.given_name],
        description="Children whose cases this person may see.",
    ),
    Resource(
        name="episodes",
        model=MissingEpisode,
        schema=schemas.EpisodeSchema,
        query_schema=schemas.EpisodeQuery,
        visible=services.visible_episodes,
        apply_filters=_episode_filters,
        create=services.create_episode,
        update=services.update_episode,
        order_by=[MissingEpisode.reported_missing_at.desc()],
        description="Missing episodes of those children.",
    ),
]
