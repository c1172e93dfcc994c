"""What the engine needs from storage. app/ implements it with SQLAlchemy; tests also use the
in-memory store in sync/memory.py, so the protocol can be fuzzed without a database."""

import uuid
from dataclasses import dataclass, field
from typing import Any, Protocol

from sync.protocol import FieldConflict, Mutation, Page, Record, Result

Key = tuple[str, uuid.UUID]


@dataclass
class BatchOutcome:
    """Everything one push decided, handed to the store to write in one transaction."""

    device_id: str
    last_mutation_id: int
    results: list[Result] = field(default_factory=list)
    # Final state of every record the batch created or changed; `created` holds their keys.
    written: dict[Key, Record] = field(default_factory=dict)
    created: set[Key] = field(default_factory=set)
    deleted: dict[Key, Record] = field(default_factory=dict)
    conflicts: list[tuple[Mutation, list[FieldConflict]]] = field(default_factory=list)
    rejections: list[tuple[Mutation, dict[str, list[str]]]] = field(default_factory=list)
    # Each mutation that wrote something, with its result and the fields it changed.
    accepted: list[tuple[Mutation, Result, list[str]]] = field(default_factory=list)


class Store(Protocol):
    def last_mutation_id(self, device_id: str) -> int:
        """The highest mutation_id processed for this device, 0 for none."""

    def past_results(self, device_id: str, mutation_ids: list[int]) -> dict[int, Result]:
        """The results first given for these already-processed mutations."""

    def prefetch(self, actor: Any, mutations: list[Mutation]) -> None:
        """A chance to read at once what checking these mutations will need (may do nothing)."""

    def load(self, actor: Any, keys: list[Key]) -> dict[Key, Record]:
        """The records that exist, by key; a record the actor may not see has visible=False."""

    def prepare(self, actor: Any, mutation: Mutation, current: Record | None,
                batch: dict[Key, Record]) -> tuple[dict[str, Any], dict[str, list[str]]]:
        """The mutation's fields as the store holds them (parsed, normalised), and the field
        errors that stop it (a record the actor may not see, permission, validation, a locked
        record). batch holds the records as this push has left them so far, so a record made
        earlier in the batch can be named. The fields returned are a new dict, the engine's to
        keep: a new record holds them as they are."""

    def take_revisions(self, count: int) -> range:
        """The next `count` server revisions, in order."""

    def save(self, actor: Any, outcome: BatchOutcome) -> None:
        """Writes the outcome; the caller commits or rolls back around push()."""

    def scope_key(self, actor: Any) -> str:
        """Changes whenever what the actor may see changes wholesale (role, team, organisation)."""

    def server_id(self) -> str:
        """Identifies this server's revision sequence, so a foreign cursor is recognised."""

    def current_revision(self) -> int:
        ...

    def changes_since(self, actor: Any, after_rev: int, limit: int) -> Page:
        """Up to `limit` changes and removals after `after_rev` that concern the actor, oldest
        first, and whether more are waiting."""
