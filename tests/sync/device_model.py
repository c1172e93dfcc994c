"""A model of a device for the sync tests: an outbox, a local copy, a cursor, and a network
that can drop, duplicate and delay what it carries. It follows the client rules of
sync/PROTOCOL.md and nothing else."""

import copy
from dataclasses import dataclass, field

from sync import engine
from sync.protocol import CONFLICT, REJECTED, UPSERT, Mutation, Removal, Result


@dataclass
class Device:
    device_id: str
    user: str
    next_mutation_id: int = 1
    outbox: list[Mutation] = field(default_factory=list)
    # The device's copy of what the server holds (changed only by pulls), key -> rev and fields.
    # Unsent edits live in the outbox and are shown on top of it.
    local: dict = field(default_factory=dict)
    cursor: str | None = None
    needs_attention: list[Result] = field(default_factory=list)
    # Batches sent whose answer never came back; the network may still deliver them later.
    in_flight: list[list[Mutation]] = field(default_factory=list)

    def edit(self, key, changes: dict) -> Mutation:
        base_rev = self.local[key]["rev"] if key in self.local else None
        mutation = Mutation(self.next_mutation_id, key[0], key[1], UPSERT, base_rev,
                            dict(changes))
        self.next_mutation_id += 1
        self.outbox.append(mutation)
        return mutation

    def known_keys(self) -> list:
        """Records the person can open: those pulled, and those made here and not yet sent."""
        made_here = [(m.collection, m.id) for m in self.outbox]
        return sorted(set(self.local) | set(made_here), key=str)

    def accept_results(self, results: list[Result]) -> None:
        answered = {r.mutation_id for r in results}
        self.outbox = [m for m in self.outbox if m.mutation_id not in answered]
        self.needs_attention += [r for r in results if r.status in (REJECTED, CONFLICT)]

    def pull_all(self, push_and_pull, limit: int) -> None:
        while True:
            try:
                page, cursor = push_and_pull.pull(self, limit)
            except engine.FullResync:
                self.local = {}
                self.cursor = None
                continue
            # Changes and removals are applied in revision order: a record that left and came
            # back within one page must end up present.
            for event in sorted(page.changes + page.removals, key=lambda e: e.rev):
                key = (event.collection, event.id)
                if isinstance(event, Removal):
                    self.local.pop(key, None)
                else:
                    self.local[key] = {"rev": event.rev, "fields": copy.deepcopy(event.record)}
            self.cursor = cursor
            if not page.more:
                return
