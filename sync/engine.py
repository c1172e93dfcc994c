"""Push and pull: the rules that make sure nothing is lost, applied twice, or silently
overwritten. Storage is reached only through the Store protocol."""

from sync.protocol import (
    APPLIED,
    CONFLICT,
    DELETE,
    DELETED,
    DUPLICATE,
    MERGED,
    PROTOCOL_VERSION,
    REJECTED,
    FieldConflict,
    Mutation,
    Page,
    Record,
    Result,
    ids_increase,
)
from sync.store import BatchOutcome, Store

# Marks a change of this batch whose revision is not yet taken; replaced before saving.
_PENDING = 2**62


class MalformedBatch(ValueError):
    """The batch as a whole is wrong; nothing in it is applied."""


class NeverProcessed(MalformedBatch):
    """Mutations whose ids are below the last one processed for the device but which were never
    processed themselves (sent out of order, or numbered again): no answer would be true, as
    `duplicate` promises the first result and there is none. positions are their places in the
    batch; last_mutation_id is the device's, above which they can be sent again."""

    def __init__(self, positions: list[int], last_mutation_id: int):
        super().__init__("mutation_id below the last processed, never processed itself")
        self.positions = positions
        self.last_mutation_id = last_mutation_id


class FullResync(Exception):
    """The cursor cannot be answered correctly; the device must pull from the start."""


def check_batch(mutations: list[Mutation]) -> None:
    if not ids_increase(mutations):
        raise MalformedBatch("mutation_id must be strictly increasing within a batch")


def push(store: Store, actor, device_id: str, mutations: list[Mutation]) -> list[Result]:
    check_batch(mutations)
    last = store.last_mutation_id(device_id)
    originals = _originals(store, device_id, mutations, last)
    fresh = [m for m in mutations if m.mutation_id > last]
    outcome = BatchOutcome(device_id=device_id,
                           last_mutation_id=max([last] + [m.mutation_id for m in fresh]))
    store.prefetch(actor, fresh)
    batch = store.load(actor, list(dict.fromkeys((m.collection, m.id) for m in fresh)))
    results = {}
    for mutation in fresh:
        result, changed = _apply(store, actor, device_id, mutation, batch, outcome)
        results[mutation.mutation_id] = result
        if changed is not None:
            outcome.accepted.append((mutation, result, changed))
    _assign_revisions(store, device_id, batch, outcome)
    outcome.results = [results[m.mutation_id] for m in fresh]
    store.save(actor, outcome)
    return [
        Result(m.mutation_id, DUPLICATE, original=originals[m.mutation_id])
        if m.mutation_id <= last else results[m.mutation_id]
        for m in mutations
    ]


def _originals(store: Store, device_id: str, mutations: list[Mutation],
               last: int) -> dict[int, Result]:
    """The first results of the batch's mutations processed before (those at or below `last`);
    NeverProcessed, before anything is applied, when one of them has none."""
    repeated = [m.mutation_id for m in mutations if m.mutation_id <= last]
    originals = store.past_results(device_id, repeated) if repeated else {}
    never = [place for place, m in enumerate(mutations)
             if m.mutation_id <= last and m.mutation_id not in originals]
    if never:
        raise NeverProcessed(never, last)
    return originals


def _changed_by_others_since(record: Record, base_rev: int, device_id: str) -> set[str]:
    return {name for name, (rev, source) in record.field_sources.items()
            if rev > base_rev and source != device_id}


def _apply(store, actor, device_id, mutation: Mutation, batch, outcome):
    """Decides one mutation against the batch's view of its record. Returns the result and the
    fields it changed (None when nothing was written)."""
    key = (mutation.collection, mutation.id)
    current = batch.get(key)
    if current is not None and current.deleted:
        # Deleted earlier in this batch: if it was stored before, making it again brings the
        # stored row back rather than inserting a second one.
        current = outcome.deleted.pop(key, None)
        if current is not None:
            current.deleted = False
    fields, errors = store.prepare(actor, mutation, current, batch)
    if errors:
        outcome.rejections.append((mutation, errors))
        return Result(mutation.mutation_id, REJECTED, errors=errors), None
    if mutation.op == DELETE:
        return _apply_delete(device_id, mutation, current, batch, outcome)
    if current is None:
        record = Record(mutation.collection, mutation.id, _PENDING, fields)
        _mark_pending(record, fields, device_id)
        batch[key] = record
        outcome.created.add(key)
        outcome.written[key] = record
        return Result(mutation.mutation_id, APPLIED), list(fields)
    others = _changed_by_others_since(current, mutation.base_rev or 0, device_id)
    # A field sent with the value it holds changes nothing, not even whose change it was: taking
    # it over would let this device later overwrite another's value unseen, and make another
    # device's later change, from a base that already held the value, a conflict.
    different = {name: value for name, value in fields.items()
                 if name not in current.fields or current.fields[name] != value}
    conflicts = [FieldConflict(name, current.fields.get(name), value)
                 for name, value in different.items() if name in others]
    clashing = {c.field for c in conflicts}
    changed = [name for name in different if name not in clashing]
    for name in changed:
        current.fields[name] = fields[name]
    # A later mutation of this batch must see these as this device's own changes.
    _mark_pending(current, changed, device_id)
    outcome.written[key] = current
    if conflicts:
        current.conflicted = True
        outcome.conflicts.append((mutation, conflicts))
        return Result(mutation.mutation_id, CONFLICT, conflicts=conflicts), changed
    return Result(mutation.mutation_id, MERGED if others else APPLIED), changed


def _mark_pending(record: Record, names, device_id: str) -> None:
    record.field_sources.update(dict.fromkeys(names, (_PENDING, device_id)))


def _apply_delete(device_id, mutation, current, batch, outcome):
    key = (mutation.collection, mutation.id)
    if current is None:
        return Result(mutation.mutation_id, APPLIED), None
    if _changed_by_others_since(current, mutation.base_rev or 0, device_id):
        conflict = FieldConflict(DELETED, False, True)
        current.conflicted = True
        outcome.written[key] = current
        outcome.conflicts.append((mutation, [conflict]))
        return Result(mutation.mutation_id, CONFLICT, conflicts=[conflict]), []
    current.deleted = True
    outcome.written.pop(key, None)
    if key in outcome.created:
        outcome.created.discard(key)
    else:
        outcome.deleted[key] = current
    return Result(mutation.mutation_id, APPLIED), []


def _assign_revisions(store, device_id, batch, outcome) -> None:
    accepted = outcome.accepted
    revisions = store.take_revisions(len(accepted)) if accepted else range(0)
    for (mutation, result, changed), rev in zip(accepted, revisions, strict=True):
        record = batch[(mutation.collection, mutation.id)]
        record.rev = rev
        record.field_sources.update(dict.fromkeys(changed, (rev, device_id)))
        result.rev = rev


# --- pull -------------------------------------------------------------------------------------

def make_cursor(store: Store, actor, rev: int) -> str:
    return f"{PROTOCOL_VERSION}.{store.server_id()}.{store.scope_key(actor)}.{rev}"


# A revision is a 64-bit count: 19 digits at most. A longer one is from the future, and is
# refused before int() reads it (Python refuses to read more than 4,300 digits, with ValueError).
MOST_REVISION_DIGITS = 19


def _plain_number(text: str) -> bool:
    """Digits 0 to 9 only: str.isdigit also passes "²" and other digits int() will not read."""
    return text.isascii() and text.isdigit()


def read_cursor(store: Store, actor, cursor: str | None) -> int:
    """The revision a cursor stands for; FullResync when it cannot be trusted."""
    if not cursor:
        return 0
    parts = cursor.split(".")
    if len(parts) != 4 or parts[0] != str(PROTOCOL_VERSION) or not _plain_number(parts[3]):
        raise FullResync("not a cursor of this protocol")
    _version, server, scope, rev = parts
    if server != store.server_id():
        raise FullResync("the cursor was made by another server")
    if scope != store.scope_key(actor):
        raise FullResync("what you may see has changed since this cursor")
    if len(rev) > MOST_REVISION_DIGITS or int(rev) > store.current_revision():
        raise FullResync("the cursor is from the future")
    return int(rev)


def pull(store: Store, actor, cursor: str | None, limit: int) -> tuple[Page, str]:
    after = read_cursor(store, actor, cursor)
    page = store.changes_since(actor, after, limit)
    return page, make_cursor(store, actor, page.last_rev)
