"""What a synced collection is, and the registry of them.

Each capability declares its own collections in its sync.py (the fields a device may write,
defaults, its rules, what a pull reads with it) and create_app registers them. This package
knows no collection by name: it applies what each declares.
"""

import dataclasses
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from flask_babel import lazy_gettext as _l
from marshmallow import Schema
from sqlalchemy import select

from app.auth.policy import may_review
from app.core.rules import Change, ChosenFrom, StoredRecord, TimeOrder


@dataclass(frozen=True)
class Parent:
    """The field naming a record's parent, the parent's collection, and the refusal when the
    actor may not see that parent (or it does not exist)."""

    field: str
    collection: str
    not_found: object


@dataclass(frozen=True)
class SyncCollection:
    name: str
    model: type
    # The one definition of the record's fields: loads a device's change, dumps a pull's record.
    schema: Schema
    # A SELECT of the records the person may see.
    visible: Callable
    # The fields a device may set (the rules decide which values each person may give).
    device_fields: frozenset[str]
    # The checks of a change to one record (app/core/rules.py): {field: [messages]}.
    rules: Callable[[Change], dict]
    parent: Parent | None = None
    # The checks of a deletion; a collection without them cannot be deleted from a device.
    delete_rules: Callable[[Change], dict] | None = None
    # What a new record holds unless the change says otherwise.
    defaults: Callable[[Change], dict] = lambda change: {}
    # Columns the server sets when a change sets these fields (a submission's time): (fields,
    # now) -> columns.
    stamps: Callable[[dict, object], dict] = lambda fields, now: {}
    # Fields a device syncs that are not columns: written by after_write.
    extra_fields: tuple[str, ...] = ()
    # The fields of a stored record of this collection that checking a change to one of its
    # children reads (a lock, a time to compare with), with the link to its own parent. A push
    # reads only these of the parents its changes name; asked for another, a stored parent
    # fails loudly (a new rule that reads another field of a parent adds it here).
    read_by_children: tuple[str, ...] = ()
    # What a push remembers of a stored record before changing it, handed to after_write.
    remember: Callable[[object], object] | None = None
    # Writes what follows from a push's records of this collection: after_write(session,
    # written) with written a Written.
    after_write: Callable | None = None
    # Reads what a pull's derived fields read of a page's plain records: (session, records).
    pull_relations: Callable | None = None
    # For a collection with no parent (a child): the scopes a stored record is seen in.
    scopes: Callable[[object], set[str]] | None = None
    # Fields holding codes, with the code list each draws from (the ones its rules check).
    code_fields: dict[str, str] = dataclasses.field(default_factory=dict, hash=False)
    # The times of a record that must come in order (the ones its rules check).
    time_order: tuple[TimeOrder, ...] = ()
    # Fields naming an item of a reference part (an area), as its rules check them.
    chosen_from: tuple[ChosenFrom, ...] = ()

    @property
    def deletable(self) -> bool:
        return self.delete_rules is not None

    @cached_property  # asked of every record a push makes
    def required_on_create(self) -> tuple[str, ...]:
        return tuple(name for name, field in self.schema.fields.items() if field.required)

    def required_message(self, name: str) -> str:
        return self.schema.fields[name].error_messages["required"]


@dataclass
class Written:
    """A push's records of one collection, as written: those it made, those it changed (with
    the names of the fields each change set), and what was remembered of each before."""

    created: list
    updated: list
    changed: dict
    remembered: dict


@dataclass(frozen=True)
class ReferencePart:
    """A part of the reference data a device needs besides the records (code lists, areas,
    questionnaires): the rows a person's devices are sent, in order, and the schema that dumps
    them."""

    name: str
    rows: Callable  # (session, person) -> the rows
    schema: Schema


# In the order rows must be written: a parent before what it holds.
COLLECTIONS: dict[str, SyncCollection] = {}
REFERENCE_PARTS: dict[str, ReferencePart] = {}
# Data minimisation: for a collection with no parent (children), a capability's definition of
# the records finished before a moment, (moment) -> a SELECT of their ids. They, and all they
# hold, leave the tablets (retiring.py); server pages and the API keep them.
FINISHED_BEFORE: dict[str, Callable] = {}


def register(*collections: SyncCollection) -> None:
    """Adds collections to the registry, each after its parent; the same again changes nothing."""
    for collection in collections:
        if collection.parent is not None and collection.parent.collection not in COLLECTIONS:
            raise ValueError(f"{collection.name}: register {collection.parent.collection} first")
        COLLECTIONS[collection.name] = collection


def register_from(*module_names: str) -> None:
    """Registers the COLLECTIONS, REFERENCE parts and FINISHED_BEFORE definitions each of these
    modules (a capability's sync.py) declares."""
    for name in module_names:
        module = importlib.import_module(name)
        register(*getattr(module, "COLLECTIONS", ()))
        REFERENCE_PARTS.update((part.name, part) for part in getattr(module, "REFERENCE", ()))
        FINISHED_BEFORE.update(getattr(module, "FINISHED_BEFORE", {}))


def direct_change(session, person, record, data: dict, defaults: dict | None = None) -> Change:
    """A change made through the API rather than a push: to a stored record (an ORM object),
    or to a new one (record None) holding `defaults` unless `data` says otherwise."""
    def lookup(collection: str, record_id):
        found = session.get(COLLECTIONS[collection].model, record_id) if record_id else None
        return StoredRecord(found) if found is not None else None

    def find(collection: str, name: str, value):
        model = COLLECTIONS[collection].model
        found = session.scalars(select(model).where(getattr(model, name) == value)).first() \
            if value is not None else None
        return StoredRecord(found) if found is not None else None

    return Change(session, person, may_review(person),
                  StoredRecord(record) if record is not None else None, data, lookup,
                  defaults=defaults or {}, find=find,
                  id=record.id if record is not None else data.get("id"))


NOT_WRITABLE = _l("This field cannot be changed from a device.")
UNKNOWN_COLLECTION = _l("Unknown collection.")
NOT_DELETABLE = _l("This record cannot be deleted.")
NO_SUCH_RECORD = _l("No such record among your cases.")
