"""One way to expose a collection as JSON: list (paged, filtered), get, create, update.

Each capability describes its collections as Resources in its own api.py; this module turns them
into routes and into the OpenAPI document, so the two cannot drift apart. Every route parses its
input with marshmallow, asks the policy what the person may see, calls one service function,
and commits once: any error rolls the whole request back.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from flask import current_app, g, request, url_for
from flask_babel import lazy_gettext as _l
from marshmallow import Schema
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.api.problems import NestedTooDeep
from app.audit.services import record_access
from app.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.core.models import hold_writes
from app.core.schemas import PageQuery
from app.extensions import db

# The signed-in person (g.person): the API's machinery only hands them to each capability's
# functions, so it names no capability's model.
Caller = Any


@dataclass
class Resource:
    name: str
    model: type
    schema: type[Schema]
    # A SELECT of the rows this person may see.
    visible: Callable[[Caller], object]
    query_schema: type[Schema] = PageQuery
    # By default each filter is a column of the model to match exactly.
    apply_filters: Callable[[object, dict], object] | None = None
    # Services: create(session, person, data) and update(session, person, record, data).
    create: Callable[[Session, Caller, dict], object] | None = None
    update: Callable[[Session, Caller, object, dict], object] | None = None
    # Whether reads and writes go into the audit trail (a child's record does; code lists don't).
    audited: bool = True
    order_by: list = field(default_factory=list)
    description: str = ""

    @property
    def endpoint(self) -> str:
        return self.name.replace("-", "_")


def in_transaction(view):
    """Commit once when the view succeeds; roll everything back when anything fails."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        try:
            response = view(*args, **kwargs)
            db.session.commit()
            return response
        except BaseException:
            db.session.rollback()
            raise

    return wrapper


def hold_writes_for_request() -> None:
    """hold_writes, waiting as long as this service is set to (WRITE_WAIT_SECONDS)."""
    hold_writes(db.session, current_app.config["WRITE_WAIT_SECONDS"])


# Arrays and objects a body may nest. No field a client sends nests more than a few levels.
MOST_NESTING = 64


def _unstorable(text: str) -> bool:
    """A NUL, which PostgreSQL cannot keep in text, or half of a surrogate pair (the half of an
    emoji that text cut in the wrong place leaves), which is not Unicode at all."""
    if "\x00" in text:
        return True
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def contains_unstorable_text(value) -> bool:
    """Whether any text in the value (keys too) holds what no database can store, found
    without recursion: a body nested a thousand deep is still walked."""
    waiting = [value]
    while waiting:
        value = waiting.pop()
        if isinstance(value, str):
            if _unstorable(value):
                return True
        elif isinstance(value, dict):
            waiting.extend(value.keys())
            waiting.extend(value.values())
        elif isinstance(value, list):
            waiting.extend(value)
    return False


def nests_deeper_than(value, most: int) -> bool:
    """Whether the value holds arrays or objects more than `most` deep, found without
    recursion."""
    waiting = [(value, 0)]
    while waiting:
        value, depth = waiting.pop()
        if isinstance(value, dict):
            inner = value.values()
        elif isinstance(value, list | tuple):
            inner = value
        else:
            continue
        if depth == most:
            return True
        waiting.extend((item, depth + 1) for item in inner)
    return False


BROKEN_TEXT = _l("The text has a broken character in it. Type the text again.")


def refuse_unstorable_text(body):
    """Text no database can store is refused up front, with a reason, rather than failing the
    whole transaction later."""
    if contains_unstorable_text(body):
        raise ValidationFailed({"_body": [BROKEN_TEXT]})
    return body


def refuse_unstorable_query(args) -> None:
    """Likewise a query parameter (a filter, a search), named in the refusal."""
    broken = {name if not _unstorable(name) else "_query": [BROKEN_TEXT]
              for name, value in args.items(multi=True)
              if _unstorable(name) or _unstorable(value)}
    if broken:
        raise ValidationFailed(broken)


def refuse_deep_nesting(body):
    """A body nesting arrays or objects deeper than any field needs is refused with a 400
    before anything walks it (schemas, checks and the JSON libraries recurse)."""
    if nests_deeper_than(body, MOST_NESTING):
        raise NestedTooDeep(MOST_NESTING)
    return body


def takes_body(schema):
    """Marks a view that needs a JSON body of this schema: the OpenAPI document then describes
    its request body, as required (the view refuses a request without one)."""
    def mark(view):
        view.request_schema = schema
        return view
    return mark


def creates(view):
    """Marks a view that answers 201 Created: the OpenAPI document then says so."""
    view.success_status = 201
    return view


def json_body() -> dict:
    # get_json raises 415 for another content type and 400 for malformed JSON; reading the body
    # raises 413 when it is over MAX_CONTENT_LENGTH. JSON nested beyond what the parser reads
    # within Python's limit on recursion raises RecursionError, not ValueError.
    try:
        body = request.get_json()
    except RecursionError as error:
        raise NestedTooDeep(MOST_NESTING) from error
    return refuse_unstorable_text(refuse_deep_nesting(body))


def _find_visible(resource: Resource, record_id: uuid.UUID):
    stmt = resource.visible(g.person).where(resource.model.id == record_id)
    record = db.session.scalars(stmt).first()
    if record is None:
        raise NotFound()
    return record


def _page_size(requested: int | None) -> int:
    size = requested or current_app.config["API_PAGE_SIZE"]
    return min(size, current_app.config["API_MAX_PAGE_SIZE"])


def _filtered(resource: Resource, stmt, filters: dict):
    if resource.apply_filters is not None:
        return resource.apply_filters(stmt, filters)
    return stmt.where(*(getattr(resource.model, name) == value for name, value in filters.items()))


def _next_page_url(endpoint: str, page: int, per_page: int) -> str:
    args = request.args.to_dict() | {"page": page + 1, "per_page": per_page}
    return url_for(endpoint, **args)


def paged(stmt, order_by, page: int, per_page: int | None, endpoint: str) -> tuple[list, dict]:
    """A page of the statement's records in this order (which must tell every two apart, so
    that no record is on two pages or none), and what a list answers about the page; `next`
    is this endpoint's URL for the page after, with the request's other arguments."""
    per_page = _page_size(per_page)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    items = db.session.scalars(stmt.order_by(*order_by).limit(per_page)
                               .offset((page - 1) * per_page)).all()
    has_next = page * per_page < total
    return items, {"page": page, "per_page": per_page, "total": total,
                   "next": _next_page_url(endpoint, page, per_page) if has_next else None}


def _list_view(resource: Resource):
    def list_records():
        args = resource.query_schema().load(request.args.to_dict())
        page, per_page = args.pop("page"), args.pop("per_page")
        stmt = _filtered(resource, resource.visible(g.person), args)
        items, about_page = paged(stmt, (*resource.order_by, resource.model.id), page, per_page,
                                  f".{resource.endpoint}_list")
        if resource.audited:
            record_access(db.session, g.person, "list", resource.name, None)
        return {"items": resource.schema(many=True).dump(items), **about_page}

    return list_records


def _get_view(resource: Resource):
    def get_record(record_id: uuid.UUID):
        record = _find_visible(resource, record_id)
        if resource.audited:
            record_access(db.session, g.person, "read", resource.name, record.id)
        return resource.schema().dump(record)

    return get_record


def _create_view(resource: Resource):
    def create_record():
        data = resource.schema().load(json_body())
        hold_writes_for_request()  # after the body has arrived: a slow upload holds no one up
        if data.get("id") is not None and db.session.get(resource.model, data["id"]) is not None:
            raise Conflict(_l("A record with this id already exists."))
        record = resource.create(db.session, g.person, data)
        db.session.flush()
        if resource.audited:
            record_access(db.session, g.person, "create", resource.name, record.id)
        location = url_for(f".{resource.endpoint}_get", record_id=record.id)
        return resource.schema().dump(record), 201, {"Location": location}

    return create_record


def _update_view(resource: Resource):
    def update_record(record_id: uuid.UUID):
        data = resource.schema(partial=True, exclude=("id",)).load(json_body())
        hold_writes_for_request()  # before reading the record it changes
        record = _find_visible(resource, record_id)
        record = resource.update(db.session, g.person, record, data)
        db.session.flush()
        if resource.audited:
            record_access(db.session, g.person, "update", resource.name, record.id)
        return resource.schema().dump(record)

    return update_record


def register_resource(blueprint, resource: Resource) -> None:
    base = f"/{resource.name}"
    add = blueprint.add_url_rule
    add(base, f"{resource.endpoint}_list", in_transaction(_list_view(resource)), methods=["GET"])
    add(f"{base}/<uuid:record_id>", f"{resource.endpoint}_get",
        in_transaction(_get_view(resource)), methods=["GET"])
    if resource.create is not None:
        add(base, f"{resource.endpoint}_create", in_transaction(_create_view(resource)),
            methods=["POST"])
    if resource.update is not None:
        add(f"{base}/<uuid:record_id>", f"{resource.endpoint}_update",
            in_transaction(_update_view(resource)), methods=["PATCH"])


def require_role(person: Caller, allowed: Callable[[Caller], bool]) -> None:
    if not allowed(person):
        raise Forbidden()
