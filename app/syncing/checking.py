"""Judging a push's mutations: what a device may write, then each collection's own rules
(declared in its capability's sync.py), with what they read of stored records read once."""

import uuid

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError
from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from app.auth.models import Person
from app.auth.policy import may_review, may_work_on_cases
from app.core.bulk import rows_by_id
from app.core.ids import parse_id
from app.core.rules import Change, StoredRecord
from app.core.schemas import load_changed_fields
from app.syncing.collections import (
    COLLECTIONS,
    NO_SUCH_RECORD,
    NOT_DELETABLE,
    NOT_WRITABLE,
    UNKNOWN_COLLECTION,
    SyncCollection,
)
from sync.protocol import DELETE

NOT_PERMITTED = _l("You do not have permission to do that")


class Checker:
    """The checks of one push, with what they read once for all its mutations: the parents
    they name, and the rules' memo (known codes, areas, the current questionnaire)."""

    def __init__(self, session: Session, actor: Person):
        self.session = session
        self.actor = actor
        self.may_work = may_work_on_cases(actor)
        self.reviewer = may_review(actor)
        self.memo: dict = {}
        self._visible: dict[tuple[str, uuid.UUID], bool] = {}
        # What checking this push reads of stored parents (SyncCollection.read_by_children).
        self._stored: dict[tuple[str, uuid.UUID], object] = {}
        self.batch: dict = {}
        # What each new record defaults to, by (collection, id), for writing it as checked.
        self.defaults: dict = {}

    def prefetch(self, mutations) -> None:
        """Reads, one query per collection, the parents these mutations name that the actor may
        see, instead of one query per parent while checking. A parent the actor may not see (or
        that does not exist) is read no further: the mutation naming it is refused for that
        alone, and nothing stored in it can show in the refusal. A parent this push changes is
        judged by the push's own copy, which the checks look at first."""
        named: dict[str, set[str]] = {}
        for mutation in mutations:
            spec = COLLECTIONS.get(mutation.collection)
            if spec is not None and spec.parent is not None:
                named.setdefault(spec.parent.collection, set()).add(
                    str(mutation.fields.get(spec.parent.field)))
        targets = {(mutation.collection, mutation.id) for mutation in mutations}
        for collection, parent_ids in named.items():
            spec = COLLECTIONS[collection]
            ids = {record_id for record_id in _uuids(parent_ids)
                   if (collection, record_id) not in targets}
            visible = stored_columns(self.session, spec, ids, spec.visible(self.actor))
            for record_id in ids:
                self._visible[(collection, record_id)] = record_id in visible
                self._stored[(collection, record_id)] = visible.get(record_id)

    def errors(self, mutation, current, batch) -> tuple[dict, dict]:
        """The mutation's fields loaded, and what is wrong with it (messages not yet worded)."""
        self.batch = batch
        spec = COLLECTIONS.get(mutation.collection)
        if spec is None:
            return {}, {"collection": [UNKNOWN_COLLECTION]}
        if current is not None and not current.visible:
            return {}, {"id": [NO_SUCH_RECORD]}
        if not self.may_work:
            return {}, {"_record": [NOT_PERMITTED]}
        if mutation.op == DELETE:
            return {}, self._delete_errors(spec, current)
        unwritable = [name for name in mutation.fields if name not in spec.device_fields]
        if unwritable:
            # A field of the record a device may not set, or no field at all (worded as the
            # API words an unknown field).
            return {}, {name: [NOT_WRITABLE if name in spec.schema.load_fields
                               else spec.schema.error_messages["unknown"]]
                        for name in unwritable}
        try:
            parsed = load_changed_fields(spec.schema, mutation.fields)
        except ValidationError as error:
            return {}, error.messages
        change = self.change(spec, current, parsed, mutation.id)
        if current is None:
            self.defaults[(spec.name, mutation.id)] = change.defaults
        return parsed, self._rule_errors(spec, change)

    def change(self, spec: SyncCollection, current, parsed: dict, record_id=None) -> Change:
        change = Change(self.session, self.actor, self.reviewer,
                        current.fields if current is not None else None, parsed, self.lookup,
                        memo=self.memo, find=self.find,
                        id=current.id if current is not None else record_id)
        if current is None:
            change.defaults = spec.defaults(change)
        return change

    def _delete_errors(self, spec: SyncCollection, current) -> dict:
        if not spec.deletable:
            return {"op": [NOT_DELETABLE]}
        if current is None:
            return {}
        return spec.delete_rules(self.change(spec, current, {}))

    def _rule_errors(self, spec: SyncCollection, change: Change) -> dict:
        errors = {}
        if change.new:
            errors = {name: [spec.required_message(name)] for name in spec.required_on_create
                      if change.merged.get(name) is None}
        parent = spec.parent
        if parent and change.new and change.merged.get(parent.field) is not None:
            if not self._parent_visible(parent.collection, change.merged[parent.field]):
                # Refused for that alone: a rule checking the change against its parent would
                # tell something of a record the actor may not see (when a child came back,
                # whether an interview was submitted).
                return errors | {parent.field: [parent.not_found]}
        return errors | spec.rules(change)

    def lookup(self, collection: str, record_id):
        """A record's fields as this push has left them, or as stored; None for one of this push
        that the actor may not see, or none at all."""
        if record_id is None:
            return None
        key = (collection, record_id)
        in_batch = self.batch.get(key)
        if in_batch is not None:
            return in_batch.fields if in_batch.visible else None
        if key not in self._stored:
            stored = stored_columns(self.session, COLLECTIONS[collection], [record_id])
            self._stored[key] = stored.get(record_id)
        return self._stored[key]

    def find(self, collection: str, name: str, value):
        """The fields of a record of this collection whose field `name` holds `value`, as this
        push has left it or as stored; None when there is none, or the actor may not see it."""
        if value is None:
            return None
        for (in_collection, _id), record in self.batch.items():
            if in_collection == collection and not record.deleted \
                    and record.fields.get(name) == value:
                return record.fields if record.visible else None
        model = COLLECTIONS[collection].model
        found = self.session.scalars(select(model).where(getattr(model, name) == value)).first()
        if found is None or (collection, found.id) in self.batch:
            return None  # (one of this push's, which left it elsewhere or deleted it)
        return StoredRecord(found)

    def _parent_visible(self, collection: str, record_id) -> bool:
        in_batch = self.batch.get((collection, record_id))
        if in_batch is not None:
            return in_batch.visible and not in_batch.deleted
        key = (collection, record_id)
        if key not in self._visible:
            spec = COLLECTIONS[collection]
            stmt = spec.visible(self.actor).with_only_columns(spec.model.id).where(
                spec.model.id == record_id)
            self._visible[key] = self.session.scalar(stmt) is not None
        return self._visible[key]


def stored_columns(session: Session, spec: SyncCollection, ids, among=None) -> dict:
    """What checking their children reads of the records of these ids that exist (and that the
    query `among` selects, when given), by id: plain rows, no ORM objects to build."""
    names = spec.read_by_children
    columns = [getattr(spec.model, name) for name in names]
    # Read as the driver gives them (type_coerce emits no cast): each value is made a Python
    # value only when a check asks for it (see ReadByChildren).
    rows = rows_by_id(session, select(spec.model) if among is None else among,
                      spec.model.id, ids, [type_coerce(c, String) for c in columns])
    dialect = session.connection().dialect  # the connection rows_by_id read with
    processors = {name: column.type.dialect_impl(dialect).result_processor(dialect, None)
                  for name, column in zip(names, columns, strict=True)}
    return {record_id: ReadByChildren(dict(zip(names, row, strict=True)), processors)
            for record_id, row in rows.items()}


class ReadByChildren:
    """A stored parent's fields listed in its collection's read_by_children, as read from the
    driver, each made the Python value its column gives when first asked for: a push checks
    hundreds of interviews against their episodes' return times, and asks none for its child's
    id. Asked for another field, it fails loudly: that field was never read, and None would
    pass a check unseen."""

    __slots__ = ("_read", "_made", "_processors")

    def __init__(self, read: dict, processors: dict):
        self._read = read
        self._made = {}
        self._processors = processors

    def get(self, name, default=None):
        if name not in self._read:
            raise KeyError(f"{name} is not in read_by_children of its collection")
        if name not in self._made:
            value, process = self._read[name], self._processors[name]
            self._made[name] = process(value) if process and value is not None else value
        return self._made[name]


def _uuids(values) -> set[uuid.UUID]:
    """The values that are UUIDs, parsed (a mutation's own check words what is wrong with the
    others)."""
    found = set()
    for value in values:
        try:
            found.add(parse_id(value))
        except ValueError:
            continue
    return found
