"""The audit trail's hash chain: every event carries the hash of the event before it (in id
order) and its own, a SHA-256 over a canonical encoding of its fields and that previous hash.
An event edited afterwards no longer matches its hash; an event deleted leaves the next one
pointing at a hash no event has; the last events deleted leave the chain ending before its
head (audit_chain_head, written with every event).

There is one chain for the whole service, not one per organisation: one lock, one head, and
`flask audit verify` checks everything in one walk.

Events are numbered here, not by the database: under a lock (PostgreSQL's advisory lock;
SQLite lets one writer at a time anyway) the head is read once per flush, and the new events
take the ids after it. So the chain's order is the order of ids, concurrent transactions
cannot fork it (the second waits for the first to commit), and the hash can cover the id. The
lock is held from a transaction's first audited flush to its commit.

Rows removed on purpose (a retention rule, some day) would break the chain like any other
removal: such a rule would have to keep a checkpoint of where the chain then starts."""

import hashlib
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import orjson
from sqlalchemy import String, cast, func, insert, inspect, select, text, type_coerce, update
from sqlalchemy.orm import Session

from app.audit.models import ADDRESS_LENGTH, AuditChainHead, AuditEvent
from app.core.bulk import insert_many
from app.core.types import utcnow

GENESIS = "0" * 64  # what the first event names as the hash before it
HEAD_ID = 1
# pg_advisory_xact_lock's key for the chain: any constant no other part of Adref takes.
LOCK_KEY = int.from_bytes(b"adrefaud")

EVENTS = AuditEvent.__table__
HEAD = AuditChainHead.__table__


# --- where a request came from ------------------------------------------------------------------
def _nowhere() -> str | None:
    return None


_address_source: Callable[[], str | None] = _nowhere


def read_addresses_with(source: Callable[[], str | None]) -> None:
    """How to learn the network address of the request being served (None outside one). Set by
    the HTTP edge at start-up, so that the trail knows nothing of Flask."""
    global _address_source
    _address_source = source


def current_address() -> str | None:
    address = _address_source()
    return address[:ADDRESS_LENGTH] if address else None


# --- the hash -----------------------------------------------------------------------------------
def _instant(at: datetime) -> str:
    # A naive time (a migration reads the column untyped) is UTC, as every time stored is.
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    elif at.tzinfo is not UTC:
        at = at.astimezone(UTC)
    return at.isoformat(timespec="microseconds")


def _uuid(value) -> str | None:
    """An id as 32 hex digits: from a UUID, or from the text a database holds it as (hex on
    SQLite, with hyphens on PostgreSQL), which the check reads rather than making a UUID of
    each of a million rows."""
    if value is None:
        return None
    if isinstance(value, uuid.UUID):
        return value.hex
    return value.replace("-", "").lower()


def event_hash(event_id: int, at: datetime, organisation_id, person_id, action: str,
               collection: str, record_id, address: str | None, detail: str | None,
               prev_hash: str) -> str:
    """The hex SHA-256 of an event's fields and the hash before it, encoded as a JSON array in
    a fixed order (times in UTC to the microsecond, ids as hex), so that it reads the same from
    either database."""
    return _digest([event_id, _instant(at), _uuid(organisation_id), _uuid(person_id), action,
                    collection, _uuid(record_id), address, detail, prev_hash])


def _digest(fields: list) -> str:
    return hashlib.sha256(orjson.dumps(fields)).hexdigest()


def hash_of_row(row, prev_hash: str) -> str:
    """event_hash of a stored row (anything with the columns as attributes)."""
    return event_hash(row.id, row.at, row.organisation_id, row.person_id, row.action,
                      row.collection, row.record_id, row.address, row.detail, prev_hash)


# --- the head -----------------------------------------------------------------------------------
@dataclass
class Head:
    last_id: int
    last_hash: str
    count: int
    stored: bool  # whether audit_chain_head has its row yet
    highest_id: int  # the highest id in use: new events are numbered after it


def take_head(connection) -> Head:
    """The chain's head, read under the chain's lock (held until the transaction ends)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
    elif connection.dialect.name == "sqlite":
        # SQLite's one writer at a time is the lock, but a SELECT alone does not take it (nor
        # start a transaction): a write first, which waits for any other writer to commit, so
        # that the head read next is the latest.
        connection.execute(update(HEAD).where(HEAD.c.id == HEAD_ID).values(count=HEAD.c.count))
    # The highest id too, in the same SELECT: a row written around the chain (which `verify`
    # reports) must not make the next event's INSERT fail on its id.
    row = connection.execute(select(HEAD.c.last_id, HEAD.c.last_hash, HEAD.c.count,
                                    select(func.max(EVENTS.c.id)).scalar_subquery())
                             .where(HEAD.c.id == HEAD_ID)).first()
    if row is not None:
        return Head(row.last_id, row.last_hash, row.count, True, max(row.last_id, row[3] or 0))
    # No head yet (a new database, or one whose rows were all removed): the chain goes on from
    # the last event there is, and a verify names the head as missing if events are there.
    last = connection.execute(select(EVENTS.c.id, EVENTS.c.hash)
                              .order_by(EVENTS.c.id.desc()).limit(1)).first()
    if last is None:
        return Head(0, GENESIS, 0, False, 0)
    count = connection.scalar(select(func.count()).select_from(EVENTS))
    return Head(last.id, last.hash or GENESIS, count, False, last.id)


def move_head(connection, head: Head, last_id: int, last_hash: str, added: int) -> None:
    values = {"last_id": last_id, "last_hash": last_hash, "count": head.count + added}
    if head.stored:
        connection.execute(update(HEAD).where(HEAD.c.id == HEAD_ID).values(**values))
    else:
        connection.execute(insert(HEAD).values(id=HEAD_ID, **values))


# --- writing ------------------------------------------------------------------------------------
def chain_pending(session: Session) -> None:
    """Numbers and hashes the AuditEvents the session is about to write (before_flush): one
    read of the head for the whole flush, whatever the number of events."""
    new = [item for item in session.new if isinstance(item, AuditEvent) and item.hash is None]
    if not new:
        return
    new.sort(key=lambda item: inspect(item).insert_order)
    connection = session.connection()
    head = take_head(connection)
    last_id, last_hash = head.highest_id, head.last_hash
    for item in new:
        last_id += 1
        item.id = last_id
        item.at = item.at or utcnow()
        item.prev_hash = last_hash
        item.hash = last_hash = hash_of_row(item, last_hash)
    move_head(connection, head, last_id, last_hash, len(new))


def add_events(session: Session, organisation_id: uuid.UUID, person_id: uuid.UUID,
               at: datetime, events: Iterable[tuple[str, str, uuid.UUID | None]]) -> None:
    """Many events of one person at one time, each (action, collection, record_id), written
    in one go (a sync push's records) and chained as they are written."""
    events = list(events)
    if not events:
        return
    address = current_address()
    connection = session.connection()
    head = take_head(connection)
    last_id, last_hash = head.highest_id, head.last_hash
    rows = []
    # What every event shares, encoded once (event_hash's fields, in its order).
    instant, organisation, person = _instant(at), _uuid(organisation_id), _uuid(person_id)
    for action, collection, record_id in events:
        last_id += 1
        prev_hash = last_hash
        last_hash = _digest([last_id, instant, organisation, person, action, collection,
                             _uuid(record_id), address, None, prev_hash])
        rows.append((last_id, action, collection, record_id, prev_hash, last_hash))
    insert_many(session, EVENTS, {
        "organisation_id": organisation_id, "person_id": person_id, "at": at,
        "address": address}, ("id", "action", "collection", "record_id", "prev_hash", "hash"),
        rows)
    move_head(connection, head, last_id, last_hash, len(rows))


# --- checking -----------------------------------------------------------------------------------
@dataclass
class Verdict:
    count: int  # events walked
    last_id: int | None
    last_hash: str | None
    problem: str | None = None  # the first, in words; None when the chain is intact
    row_id: int | None = None  # the row where the problem shows

    @property
    def intact(self) -> bool:
        return self.problem is None


def _columns(dialect_name: str) -> tuple:
    """The columns the hash covers, the ids read as text (see _uuid)."""
    def as_text(column):
        return (type_coerce(column, String) if dialect_name == "sqlite"
                else cast(column, String)).label(column.key)

    return (EVENTS.c.id, EVENTS.c.at, as_text(EVENTS.c.organisation_id),
            as_text(EVENTS.c.person_id), EVENTS.c.action, EVENTS.c.collection,
            as_text(EVENTS.c.record_id), EVENTS.c.address, EVENTS.c.detail,
            EVENTS.c.prev_hash, EVENTS.c.hash)


def _batches(connection, size: int):
    """The events in id order, `size` at a time (by key, so never all in memory at once)."""
    columns = _columns(connection.dialect.name)
    after = None
    while True:
        query = select(*columns).order_by(EVENTS.c.id).limit(size)
        if after is not None:
            query = query.where(EVENTS.c.id > after)
        rows = connection.execute(query).all()
        if not rows:
            return
        yield rows
        after = rows[-1].id


def _broken_link(row, previous_id: int | None) -> str:
    if previous_id is None:
        return (f"the chain breaks at row {row.id}, the first row: "
                "the events before it are missing")
    gap = row.id - previous_id - 1
    missing = (f"row {previous_id + 1} is missing" if gap == 1 else
               f"rows {previous_id + 1} to {row.id - 1} are missing" if gap > 1 else
               f"an event is missing or row {previous_id} was replaced")
    return f"the chain breaks between row {previous_id} and row {row.id}: {missing}"


def verify_chain(session: Session, batch_size: int = 5000) -> Verdict:
    """Walks the whole chain in id order, and names the first row edited (its hash does not
    match its fields) or where rows are missing (its link does not match the row before),
    then checks that the chain ends where its head says."""
    connection = session.connection()
    previous_id, previous_hash, count = None, GENESIS, 0
    for rows in _batches(connection, batch_size):
        for row in rows:
            if row.hash is None or row.prev_hash is None:
                return Verdict(count, previous_id, previous_hash,
                               f"row {row.id} was written outside the chain (it has no hash)",
                               row.id)
            if hash_of_row(row, row.prev_hash) != row.hash:
                return Verdict(count, previous_id, previous_hash,
                               f"row {row.id} was changed after it was written "
                               "(its hash does not match what it holds)", row.id)
            if row.prev_hash != previous_hash:
                return Verdict(count, previous_id, previous_hash,
                               _broken_link(row, previous_id), row.id)
            previous_id, previous_hash = row.id, row.hash
            count += 1
    return _against_head(connection, Verdict(count, previous_id, previous_hash))


def _against_head(connection, walked: Verdict) -> Verdict:
    head = connection.execute(select(HEAD.c.last_id, HEAD.c.last_hash, HEAD.c.count)
                              .where(HEAD.c.id == HEAD_ID)).first()
    if head is None:
        if walked.count:
            walked.problem = "the chain's head (audit_chain_head) is missing"
        return walked
    if head.last_id != walked.last_id or head.last_hash != walked.last_hash:
        ended = f"row {walked.last_id}" if walked.last_id is not None else "no row"
        walked.problem = (f"the chain ends at {ended}, but its head names row {head.last_id}: "
                          "the last events are missing or were replaced")
        walked.row_id = head.last_id
    elif head.count != walked.count:
        walked.problem = (f"the chain holds {walked.count} events, but its head counts "
                          f"{head.count}")
    return walked
