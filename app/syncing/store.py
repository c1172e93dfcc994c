"""The SQLAlchemy Store for the sync engine (sync/store.py says what it must do).

It knows no collection by name: each capability declares its collections in its sync.py, and
this store applies what they declare. Checking is in checking.py, writing in writing.py, what a
push keeps for people in keeping.py, and a pull's pages in reading.py.
"""

import hashlib
import uuid

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.auth.models import Device, Person
from app.core.bulk import existing_ids, rows_by_id
from app.core.models import RevisionCounter, hold_writes, take_revisions
from app.core.types import utcnow
from app.syncing import keeping, reading
from app.syncing.checking import Checker
from app.syncing.collections import COLLECTIONS, SyncCollection
from app.syncing.models import ResultBatch, SyncConflict
from app.syncing.writing import Writer
from sync.protocol import Page, Record, Result
from sync.store import BatchOutcome


class SqlStore:
    def __init__(self, session: Session, audited_as: Person | None = None,
                 withheld: dict | None = None):
        self.session = session
        # What a pull never sends: {collection: a SELECT of ids} (retiring.py).
        self._withheld = withheld
        # Whom the audit trail names for what a push writes: its actor, unless someone else
        # brought the changes in.
        self._audited_as = audited_as
        self._checker: Checker | None = None
        # What each collection remembers of a stored record before a push changes it.
        self._remembered: dict = {}
        # The errors of each mutation refused, by mutation_id, as the checks gave them.
        self._refusals: dict[int, dict] = {}
        self._now = utcnow()

    def _checks(self, actor: Person) -> Checker:
        """The push's checks: a push has one actor."""
        if self._checker is None or self._checker.actor is not actor:
            self._checker = Checker(self.session, actor)
        return self._checker

    # --- push -----------------------------------------------------------------------------
    def last_mutation_id(self, device_id: str) -> int:
        # A push holds the right to write from its first read to its commit, so nothing can
        # change the records it checks between reading them and writing (see hold_writes).
        hold_writes(self.session)
        stmt = select(Device.last_mutation_id).where(Device.id == uuid.UUID(device_id))
        return self.session.scalar(stmt.with_for_update()) or 0

    def past_results(self, device_id: str, mutation_ids: list[int]) -> dict[int, Result]:
        # The pushes whose range of ids overlaps the repeated ones.
        batches = self.session.scalars(select(ResultBatch.results).where(
            ResultBatch.device_id == uuid.UUID(device_id),
            ResultBatch.last_mutation_id >= min(mutation_ids),
            ResultBatch.first_mutation_id <= max(mutation_ids)))
        wanted = set(mutation_ids)
        return {result["mutation_id"]: Result.from_dict(result)
                for results in batches for result in results if result["mutation_id"] in wanted}

    def prefetch(self, actor: Person, mutations) -> None:
        self._checks(actor).prefetch(mutations)

    def load(self, actor: Person, keys) -> dict:
        found = {}
        for spec in COLLECTIONS.values():
            ids = [record_id for collection, record_id in keys if collection == spec.name]
            if not ids:
                continue
            stored, visible = self._stored_and_visible(actor, spec, ids)
            for obj in stored:
                found[(spec.name, obj.id)] = self._record(spec, obj, obj.id in visible)
        return found

    def _stored_and_visible(self, actor: Person, spec: SyncCollection, ids) -> tuple[list, set]:
        """The records of these ids that exist, and the ids of those the actor may see. Only a
        record that exists can be visible, so visibility is asked of those alone: a batch of new
        records asks nothing, and the planner is not led by hundreds of ids that match nothing
        into walking every record of the worker's cases."""
        present = existing_ids(self.session, spec.model, ids)
        if not present:
            return [], set()
        stored = self.session.scalars(select(spec.model).where(spec.model.id.in_(present))).all()
        visible = rows_by_id(self.session, spec.visible(actor), spec.model.id,
                             [obj.id for obj in stored])
        return stored, set(visible)

    def _record(self, spec: SyncCollection, obj, visible: bool) -> Record:
        if spec.remember:
            self._remembered[(spec.name, obj.id)] = spec.remember(obj)
        return Record(
            collection=spec.name, id=obj.id, rev=obj.rev,
            fields={name: getattr(obj, name) for name in spec.device_fields},
            field_sources={name: tuple(value) for name, value in (obj.field_sources or {}).items()},
            visible=visible,
        )

    def prepare(self, actor: Person, mutation, current, batch):
        parsed, errors = self._checks(actor).errors(mutation, current, batch)
        messages = keeping.worded(errors)
        if not messages:
            return parsed, {}
        # Kept as they are until saved, to be worded in each language for the rejection kept.
        self._refusals[mutation.mutation_id] = errors
        return {}, messages

    def take_revisions(self, count: int) -> range:
        return take_revisions(self.session, count)

    def save(self, actor: Person, outcome: BatchOutcome) -> None:
        checks = self._checks(actor)
        Writer(self.session, actor, self._now, checks.defaults, self._remembered,
               self._audited_as or actor).write(outcome)
        keeping.keep(self.session, actor.organisation_id, outcome, self._refusals, self._now)
        self.session.execute(update(Device).where(Device.id == uuid.UUID(outcome.device_id))
                             .values(last_mutation_id=outcome.last_mutation_id,
                                     last_seen_at=self._now))

    # --- pull -----------------------------------------------------------------------------
    def scope_key(self, actor: Person) -> str:
        """Changes when the person's role, team or organisation changes: an old cursor then
        cannot be trusted, and the device is told to pull from the start."""
        basis = f"{actor.organisation_id}|{actor.role}|{actor.team_id}|{actor.id}"
        return hashlib.sha256(basis.encode()).hexdigest()[:12]

    def server_id(self) -> str:
        return self.session.scalar(select(RevisionCounter.server_id).where(
            RevisionCounter.id == 1)).replace("-", "")

    def current_revision(self) -> int:
        return self.session.scalar(select(RevisionCounter.value).where(RevisionCounter.id == 1))

    def changes_since(self, actor: Person, after_rev: int, limit: int) -> Page:
        return reading.changes_since(self.session, actor, after_rev, self.current_revision(),
                                     limit, self._withheld)


def open_conflict_count(session: Session, organisation_id) -> int:
    return session.scalar(select(func.count()).select_from(SyncConflict).where(
        SyncConflict.organisation_id == organisation_id, SyncConflict.resolved_at.is_(None)))
