"""A write that leaves a field's value as it is changes nothing of that field: neither its value
nor whose change it was (sync/PROTOCOL.md). Proved on the engine with the in-memory store, for
any interleaving of pushes from three devices of one worker, one field at a time, each device
editing from a base that only moves forward, as a device's does."""

import os
import uuid
from dataclasses import dataclass

from hypothesis import example, given, settings
from hypothesis import strategies as st

from sync import engine
from sync.memory import MemoryStore
from sync.protocol import APPLIED, CONFLICT, MERGED, UPSERT, Mutation, Result

WORKER = "worker-1"
DEVICES = ["tablet-a", "tablet-b", "tablet-c"]
KEY = ("notes", uuid.UUID(int=1))
FIRST = {"why": "a", "where": "a"}

STEPS = st.lists(st.tuples(
    st.sampled_from(DEVICES),  # who pushes
    st.sampled_from(sorted(FIRST)),  # the field
    st.sampled_from(["a", "b", "c"]),  # its value
    st.integers(0, 3),  # how many of the record's revisions the device's base moves on first
), max_size=25)

EXAMPLES = settings(max_examples=int(os.environ.get("SYNC_EXAMPLES", "400")), deadline=None)


@dataclass
class Step:
    device: str
    field: str
    value: str
    seen: int  # how many pushes after the record was made the device's base has seen
    base: int
    result: Result
    before: tuple  # the field's (value, (rev, source)) in the store before the push
    after: tuple

    @property
    def re_saves(self) -> bool:
        return self.value == self.before[0]


class Server:
    """The engine and a store holding one record, made by the first device; each device's next
    mutation id, and the record's revision after each push."""

    def __init__(self):
        self.store = MemoryStore()
        self.next_ids = dict.fromkeys(DEVICES, 1)
        self.revs = [self.push(DEVICES[0], None, {"owner": WORKER, **FIRST}).rev]

    def push(self, device: str, base_rev: int | None, fields: dict) -> Result:
        mutation = Mutation(self.next_ids[device], *KEY, UPSERT, base_rev, fields)
        self.next_ids[device] += 1
        (result,) = engine.push(self.store, WORKER, device, [mutation])
        return result

    def field(self, name: str) -> tuple:
        record = self.store.records[KEY]
        return record.fields[name], record.field_sources[name]

    def step(self, device: str, name: str, value: str, seen: int) -> Step:
        base, before = self.revs[seen], self.field(name)
        result = self.push(device, base, {name: value})
        self.revs.append(result.rev)
        return Step(device, name, value, seen, base, result, before, self.field(name))


def run(steps) -> list[Step]:
    """Each device's base moves on as the step says, never back, never past the last push."""
    server, seen, done = Server(), dict.fromkeys(DEVICES, 0), []
    for device, name, value, moves_on in steps:
        seen[device] = min(seen[device] + moves_on, len(done))
        done.append(server.step(device, name, value, seen[device]))
    return done


@EXAMPLES
@given(STEPS)
# B changes a field; A, from the same base, re-saves B's value, then changes it: a conflict,
# B's value kept (were the re-save A's change, A's second push would overwrite B's unseen).
@example([("tablet-b", "why", "b", 0), ("tablet-a", "why", "b", 0), ("tablet-a", "why", "c", 0)])
# B re-saves the value A made; A then changes it from that base: no conflict (were the re-save
# B's change, A's change of its own value would clash with it).
@example([("tablet-b", "why", "a", 0), ("tablet-a", "why", "c", 0)])
def test_a_change_overwrites_silently_only_what_no_other_device_changed_since_its_base(steps):
    # Each change of a field's value, as the store showed it: (rev, device, field).
    changes = [(1, DEVICES[0], name) for name in FIRST]
    for step in run(steps):
        was, _source = step.before
        if step.re_saves:
            # Nothing of the field changes, not even whose change it was; never a conflict.
            assert step.after == step.before, step
            assert step.result.status in (APPLIED, MERGED), step
            assert step.result.rev is not None, step
            continue
        since = [who for rev, who, name in changes if name == step.field and rev > step.base]
        if since and since[-1] != step.device:
            assert step.result.status == CONFLICT, (step, changes)
            assert [(c.field, c.server_value, c.device_value)
                    for c in step.result.conflicts] == [(step.field, was, step.value)]
            assert step.after == step.before, step
        else:
            # Applied: no other device changed the field since the device's base.
            assert set(since) <= {step.device}, (step, changes)
            assert step.result.status in (APPLIED, MERGED), step
            assert step.after == (step.value, (step.result.rev, step.device)), step
            changes.append((step.result.rev, step.device, step.field))


@EXAMPLES
@given(STEPS)
def test_re_saving_a_value_changes_no_other_push_s_outcome(steps):
    """The same pushes without those that re-saved the value a field held answer alike and
    leave the same record. A base seen after a re-save is, in the second run, the one after the
    push before it: nothing of the record's values changed between the two."""
    first = run(steps)
    kept_before = [0]  # how many of the first n pushes changed or clashed
    for step in first:
        kept_before.append(kept_before[-1] + (not step.re_saves))
    server = Server()
    again = [server.step(s.device, s.field, s.value, kept_before[s.seen])
             for s in first if not s.re_saves]
    assert [_outcome(s) for s in again] == [_outcome(s) for s in first if not s.re_saves]
    assert server.store.records[KEY].fields == _last_record(first)


def _outcome(step: Step) -> tuple:
    """What a push answered and left, but its revision (the second run takes fewer)."""
    return (step.result.status, step.result.conflicts, step.after[0], step.after[1][1])


def _last_record(steps: list[Step]) -> dict:
    fields = {"owner": WORKER, **FIRST}
    for step in steps:
        fields[step.field] = step.after[0]
    return fields
