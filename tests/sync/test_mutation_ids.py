"""A mutation id below the last one processed for a device, and never processed itself, cannot
be answered truly (`duplicate` promises the first result, and there is none): the engine refuses
the whole batch before applying anything (sync/PROTOCOL.md)."""

import os
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync import engine
from sync.memory import MemoryStore
from sync.protocol import DUPLICATE, UPSERT, Mutation

WORKER = "worker-1"
DEVICE = "tablet-1"


def mutation(mutation_id: int) -> Mutation:
    return Mutation(mutation_id, "notes", uuid.UUID(int=mutation_id), UPSERT, None,
                    {"owner": WORKER, "why": str(mutation_id)})


def push(store: MemoryStore, ids: list[int]):
    return engine.push(store, WORKER, DEVICE, [mutation(i) for i in ids])


def test_an_id_below_the_last_processed_and_never_processed_refuses_the_batch():
    store = MemoryStore()
    push(store, [1, 3])
    with pytest.raises(engine.NeverProcessed) as refused:
        push(store, [2, 3, 4])
    assert (refused.value.positions, refused.value.last_mutation_id) == ([0], 3)
    # Nothing of the batch was applied: not 4, which alone was new.
    assert set(store.records) == {("notes", uuid.UUID(int=1)), ("notes", uuid.UUID(int=3))}
    assert store.last_mutation_id(DEVICE) == 3
    replayed = push(store, [1, 3, 4])
    assert [(r.status, r.original is not None) for r in replayed[:2]] == [(DUPLICATE, True)] * 2


BATCHES = st.lists(st.lists(st.integers(1, 12), unique=True).map(sorted), max_size=8)


@settings(max_examples=int(os.environ.get("SYNC_EXAMPLES", "400")), deadline=None)
@given(BATCHES)
def test_every_duplicate_has_its_first_result_and_nothing_else_is_called_one(batches):
    store, processed = MemoryStore(), set()
    for ids in batches:
        last, before = store.last_mutation_id(DEVICE), dict(store.records)
        never = [place for place, i in enumerate(ids) if i <= last and i not in processed]
        if never:
            with pytest.raises(engine.NeverProcessed) as refused:
                push(store, ids)
            assert refused.value.positions == never
            assert (store.records, store.last_mutation_id(DEVICE)) == (before, last)
            continue
        for i, result in zip(ids, push(store, ids), strict=True):
            assert (result.status == DUPLICATE) == (i in processed)
            if result.status == DUPLICATE:
                assert result.original == store.results[(DEVICE, i)]
        processed |= set(ids)
