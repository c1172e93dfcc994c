"""The data the protocol moves: mutations, results, records and pages of changes."""

import uuid
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

import msgspec

PROTOCOL_VERSION = 1

# Integers the protocol carries (mutation ids, revisions) fit a signed 64-bit column.
MOST_64_BITS = 2**63 - 1

UPSERT = "upsert"
DELETE = "delete"

# The field a conflict is kept under when a device deleted a record that another source changed
# since the device's base_rev: server_value false (kept), device_value true (deleted).
DELETED = "_deleted"

APPLIED = "applied"
DUPLICATE = "duplicate"
MERGED = "merged"
CONFLICT = "conflict"
REJECTED = "rejected"


class Mutation(msgspec.Struct, forbid_unknown_fields=True):
    """One change a device sends. A push's mutations are read straight into these from its
    JSON by msgspec, which checks each type and bound below as it reads (sync.messages);
    made in Python, as the server makes one, they are not checked."""

    mutation_id: Annotated[int, msgspec.Meta(ge=1, le=MOST_64_BITS)]
    collection: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    id: uuid.UUID
    op: Literal["upsert", "delete"]
    base_rev: Annotated[int, msgspec.Meta(ge=-MOST_64_BITS - 1, le=MOST_64_BITS)] | None
    fields: dict[str, Any] = {}  # msgspec gives each mutation a dict of its own
    device_time: str | None = None


def ids_increase(mutations) -> bool:
    """Whether the mutations' ids strictly increase, as within every batch they must."""
    ids = [m.mutation_id for m in mutations]
    return all(earlier < later for earlier, later in zip(ids, ids[1:], strict=False))


@dataclass
class FieldConflict:
    field: str
    server_value: Any
    device_value: Any


@dataclass
class Result:
    mutation_id: int
    status: str
    rev: int | None = None
    errors: dict[str, list[str]] | None = None
    conflicts: list[FieldConflict] | None = None
    original: "Result | None" = None

    def as_dict(self) -> dict:
        body: dict[str, Any] = {"mutation_id": self.mutation_id, "status": self.status}
        if self.rev is not None:
            body["rev"] = self.rev
        if self.errors:
            body["errors"] = self.errors
        if self.conflicts:
            body["conflicts"] = [
                {"field": c.field, "server_value": c.server_value, "device_value": c.device_value}
                for c in self.conflicts
            ]
        if self.original is not None:
            body["original"] = self.original.as_dict()
        return body

    @classmethod
    def from_dict(cls, body: dict) -> "Result":
        return cls(
            mutation_id=body["mutation_id"], status=body["status"], rev=body.get("rev"),
            errors=body.get("errors"),
            conflicts=[FieldConflict(**c) for c in body.get("conflicts", [])] or None,
        )


@dataclass
class Record:
    """A record as the engine sees it: its fields, its revision, and who last changed each field.

    field_sources maps a field to (revision, source) of its last change; source is the device id
    that made it, or None for a change made on the server (the web, the API, a resolution).
    """

    collection: str
    id: uuid.UUID
    rev: int
    fields: dict[str, Any]
    field_sources: dict[str, tuple[int, str | None]] = field(default_factory=dict)
    visible: bool = True
    deleted: bool = False
    conflicted: bool = False


@dataclass
class Change:
    collection: str
    id: uuid.UUID
    rev: int
    record: dict[str, Any]


@dataclass
class Removal:
    collection: str
    id: uuid.UUID
    rev: int


@dataclass
class Page:
    changes: list[Change]
    removals: list[Removal]
    last_rev: int
    more: bool
    # How many changes and removals were waiting when the page was read, its own included: a
    # first sync shows "342 of 7,054".
    waiting: int = 0
