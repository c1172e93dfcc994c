"""An in-memory Store: the whole protocol, without a database, for tests and fuzzing.

Visibility is deliberately simple: a record's "owner" field names the user who may see it, and
an actor whose name starts with "supervisor" sees everything. Changing the owner removes the
record from the old owner's pulls, as reassigning a child does on the server.
"""

import copy
import uuid
from dataclasses import dataclass, field

from sync.protocol import Change, FieldConflict, Mutation, Page, Record, Removal, Result
from sync.store import BatchOutcome, Key

READ_ONLY_FIELDS = {"locked_by_server"}


@dataclass
class MemoryStore:
    name: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    revision: int = 0
    records: dict[Key, Record] = field(default_factory=dict)
    last_ids: dict[str, int] = field(default_factory=dict)
    results: dict[tuple[str, int], Result] = field(default_factory=dict)
    # (rev, key, user who may no longer see it): deletions and reassignments.
    removals: list[tuple[int, Key, str]] = field(default_factory=list)
    conflicts: list[tuple[str, Mutation, list[FieldConflict]]] = field(default_factory=list)
    rejections: list[tuple[str, Mutation, dict]] = field(default_factory=list)
    # Every accepted field write: (device, mutation_id, key, field, value, rev).
    writes: list[tuple] = field(default_factory=list)

    # --- push ---
    def last_mutation_id(self, device_id: str) -> int:
        return self.last_ids.get(device_id, 0)

    def past_results(self, device_id, mutation_ids):
        return {i: self.results[(device_id, i)] for i in mutation_ids
                if (device_id, i) in self.results}

    def prefetch(self, actor, mutations):
        pass

    @staticmethod
    def may_see(actor: str, record: Record) -> bool:
        return actor.startswith("supervisor") or record.fields.get("owner") == actor

    def load(self, actor, keys):
        found = {}
        for key in keys:
            if key in self.records:
                record = copy.deepcopy(self.records[key])
                record.visible = self.may_see(actor, record)
                found[key] = record
        return found

    def prepare(self, actor, mutation, current, batch):
        if current is not None and not current.visible:
            return {}, {"id": ["No such record among yours."]}
        bad = sorted(set(mutation.fields) & READ_ONLY_FIELDS)
        if bad:
            return {}, {name: ["This field cannot be changed from a device."] for name in bad}
        if current is None and mutation.op == "upsert" and "owner" not in mutation.fields:
            return {}, {"owner": ["A new record needs an owner."]}
        return dict(mutation.fields), {}

    def take_revisions(self, count):
        start = self.revision + 1
        self.revision += count
        return range(start, start + count)

    def save(self, actor, outcome: BatchOutcome) -> None:
        for key, record in outcome.written.items():
            before = self.records.get(key)
            if before is not None and before.fields.get("owner") != record.fields.get("owner"):
                self.removals.append((record.rev, key, before.fields.get("owner")))
            self.records[key] = copy.deepcopy(record)
        for key, record in outcome.deleted.items():
            owner = self.records[key].fields.get("owner")
            del self.records[key]
            self.removals.append((record.rev, key, owner))
            if not actor.startswith("supervisor") and owner != actor:
                self.removals.append((record.rev, key, actor))
        for mutation, conflicts in outcome.conflicts:
            self.conflicts.append((outcome.device_id, mutation, conflicts))
        for mutation, errors in outcome.rejections:
            self.rejections.append((outcome.device_id, mutation, errors))
        self._log_writes(outcome)
        for result in outcome.results:
            self.results[(outcome.device_id, result.mutation_id)] = copy.deepcopy(result)
        self.last_ids[outcome.device_id] = outcome.last_mutation_id

    def _log_writes(self, outcome):
        for mutation, result, changed in outcome.accepted:
            key = (mutation.collection, mutation.id)
            for name in changed:
                self.writes.append((outcome.device_id, mutation.mutation_id, key, name,
                                    mutation.fields[name], result.rev))

    # --- pull ---
    def scope_key(self, actor) -> str:
        return "all" if actor.startswith("supervisor") else "own"

    def server_id(self) -> str:
        return self.name

    def current_revision(self) -> int:
        return self.revision

    def changes_since(self, actor, after_rev, limit):
        events: list = [
            (r.rev, Change(key[0], key[1], r.rev, copy.deepcopy(r.fields)))
            for key, r in self.records.items() if r.rev > after_rev and self.may_see(actor, r)
        ]
        events += [
            (rev, Removal(key[0], key[1], rev))
            for rev, key, user in self.removals
            if rev > after_rev and (user == actor or actor.startswith("supervisor"))
            and not (key in self.records and self.may_see(actor, self.records[key])
                     and self.records[key].rev >= rev)
        ]
        events.sort(key=lambda event: event[0])
        page = events[:limit]
        last = page[-1][0] if page else after_rev
        # Events sharing the last revision must travel together, or one could be skipped.
        while len(page) < len(events) and events[len(page)][0] == last:
            page.append(events[len(page)])
        return Page(
            changes=[e for _rev, e in page if isinstance(e, Change)],
            removals=[e for _rev, e in page if isinstance(e, Removal)],
            last_rev=last,
            more=len(page) < len(events),
            waiting=len(events),
        )
