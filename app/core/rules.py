"""A change to a record as every rule reads it, whichever way the change came.

Each capability writes the checks of its own records once, in its rules.py, as functions that
take a Change and return errors ({field: [messages]}). The REST services raise those errors
(refuse); a sync push keeps the same errors as the mutation's refusal. So the API, a push and
the tablet (which is sent the limits) refuse a change with the same words.
"""

from collections import ChainMap
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from app.core.errors import Conflict, ValidationFailed

_UNSET = object()


class StateErrors(dict):
    """Errors that come from the record's state rather than from the values sent (a submitted
    interview is locked): the API answers them with 409 Conflict instead of 422."""


def state_refusal(field_name: str, message) -> StateErrors:
    return StateErrors({field_name: [message]})


@dataclass
class Change:
    """One change to one record: who makes it, the record as stored, and the fields it sets."""

    session: Session
    actor: Any  # the person making the change
    reviewer: bool  # whether the actor may review (a supervisor or an admin)
    current: Mapping | None  # the record as stored; None for a record being made
    parsed: dict  # the fields the change sets, loaded by the record's schema
    # Another record's fields as this change sees them (the push's own copy first), or None when
    # it does not exist or the actor may not see it: lookup(collection, id).
    lookup: Callable[[str, Any], Mapping | None]
    # Defaults a new record takes for the fields it does not set.
    defaults: dict = field(default_factory=dict)
    # What the rules read once per request or push (known codes, areas, teams), by key.
    memo: dict = field(default_factory=dict)
    # The record's id (None where the caller does not know it).
    id: Any = None
    # A record found by one of its fields (an interview's Active Offer by its interview_id), as
    # this change sees it (the push's own copy first), or None: find(collection, field, value).
    find: Callable[[str, str, Any], Mapping | None] = lambda collection, name, value: None
    _merged: Mapping | None = field(default=None, init=False, repr=False)

    @property
    def new(self) -> bool:
        return self.current is None

    @property
    def merged(self) -> Mapping:
        """What the record would hold after the change (made once: every rule reads it)."""
        if self._merged is None:
            self._merged = ({**self.defaults, **self.parsed} if self.current is None
                            else ChainMap(self.parsed, self.current))
        return self._merged

    def sets(self, *names: str) -> bool:
        """Whether the change sets any of these fields."""
        for name in names:  # (asked of every change a push makes: no generator)
            if name in self.parsed:
                return True
        return False

    def alters(self, name: str) -> bool:
        """Whether the change gives a stored record's field another value."""
        return (self.current is not None and name in self.parsed
                and self.parsed[name] != self.current.get(name))

    def remembered(self, key, compute: Callable[[], Any]):
        """compute(), once per memo: a push checks hundreds of changes with one memo."""
        found = self.memo.get(key, _UNSET)
        if found is _UNSET:
            found = self.memo[key] = compute()
        return found


class StoredRecord(Mapping):
    """A stored ORM object read as a Change's current record: its attributes by name."""

    def __init__(self, record):
        self._record = record

    def __getitem__(self, name):
        try:
            return getattr(self._record, name)
        except AttributeError:
            raise KeyError(name) from None

    def __iter__(self) -> Iterator[str]:
        return iter(column.key for column in self._record.__mapper__.column_attrs)

    def __len__(self) -> int:
        return len(self._record.__mapper__.column_attrs)


@dataclass(frozen=True)
class TimeOrder:
    """A time that cannot come before another, declared once as data: the rule that checks it
    (errors_of) and the limits a tablet is sent (app/syncing/limits.py) both read it. The
    record's `later` field must not be before its `earlier` field, or, with `via`, before that
    field of the record `via` leads to: each step a (field, collection) from a record to its
    parent (an attempt's interview, then the interview's episode)."""

    later: str
    earlier: str
    message: Any  # said on the later field when it is before the earlier
    via: tuple[tuple[str, str], ...] = ()

    @property
    def parent(self) -> str | None:
        """The collection of the record holding the earlier time, when it is another's."""
        return self.via[-1][1] if self.via else None

    def errors(self, earlier, later) -> dict:
        """The message on the later field, when both times are known and it is before."""
        if earlier and later and later < earlier:
            return {self.later: [self.message]}
        return {}

    def errors_of(self, change: Change) -> dict:
        """The message, when the change sets a time this order compares and it is out of order
        (a change leaving both alone is not refused for a time it did not set)."""
        if not change.sets(self.later) and (self.via or not change.sets(self.earlier)):
            return {}
        holder = change.merged
        for field_name, collection in self.via:
            holder = change.lookup(collection, holder.get(field_name)) if holder else None
        return self.errors(holder.get(self.earlier) if holder else None,
                           change.merged.get(self.later))


def time_order_errors(change: Change, orders) -> dict:
    """What each of these time orders says of the change."""
    errors = {}
    for order in orders:
        errors |= order.errors_of(change)
    return errors


@dataclass(frozen=True)
class ChosenFrom:
    """A field whose value must name one of a reference part's items, declared once as data:
    the rule checks it against the database, and a tablet (app/syncing/limits.py) against the
    part it holds. The item's `key` field holds the value, and the item must hold `where` (a
    placing authority names an area whose kind is local_authority)."""

    field: str
    part: str
    key: str
    where: dict
    message: Any  # said on the field when the value names no such item

    def refused(self, item: Mapping | None) -> bool:
        return item is None or any(item.get(name) != value for name, value in self.where.items())


def refuse(errors: dict) -> None:
    """Raises the errors a rule gave, as the API answers them (nothing when there are none)."""
    if not errors:
        return
    if isinstance(errors, StateErrors):
        raise Conflict(errors=errors)
    raise ValidationFailed(errors)
