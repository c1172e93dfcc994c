"""Property-based proof of the sync rules: devices edit offline while the network drops,
duplicates, delays and replays their pushes, and they pull at random times. After everyone
syncs, every device holds exactly what the server holds for what it may see; no accepted edit
is lost; nothing is applied twice; every same-field concurrent edit is a conflict with both
values kept; different-field edits merge."""

import os
import uuid

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from sync import engine
from sync.memory import MemoryStore
from sync.protocol import APPLIED, CONFLICT, DUPLICATE, MERGED, REJECTED
from tests.sync.device_model import Device

COLLECTION = "notes"
VALUES = st.sampled_from(["", "a", "b", "ŵ", "ŷ"])
FIELDS = st.sampled_from(["why", "where", "feelings"])


class MemoryServer:
    """Runs the engine against a MemoryStore, as the HTTP layer does: one transaction a batch."""

    def __init__(self):
        self.store = MemoryStore()

    def push(self, device: Device, batch):
        return engine.push(self.store, device.user, device.device_id, batch)

    def pull(self, device: Device, limit: int):
        return engine.pull(self.store, device.user, device.cursor, limit)

    def visible_records(self, user: str) -> dict:
        return {key: record.fields for key, record in self.store.records.items()
                if self.store.may_see(user, record)}


class SyncMachine(RuleBasedStateMachine):
    server_factory = MemoryServer

    @initialize()
    def start(self):
        self.server = self.server_factory()
        self.devices = [Device("tablet-1", "worker-1"), Device("tablet-2", "worker-1"),
                        Device("tablet-3", "worker-2"), Device("laptop", "supervisor-1")]
        # Every result each device has seen for each mutation, to prove nothing applied twice.
        self.first_results = {}
        self.created = 0

    # --- what people do ---------------------------------------------------------------------
    @precondition(lambda self: self.created < 4)
    @rule(device=st.integers(0, 3), field=FIELDS, value=VALUES)
    def create(self, device, field, value):
        device = self.devices[device]
        self.created += 1
        owner = "worker-1" if device.user.startswith("supervisor") else device.user
        device.edit((COLLECTION, uuid.UUID(int=self.created)), {"owner": owner, field: value})

    @rule(device=st.integers(0, 3), pick=st.integers(0, 5), field=FIELDS, value=VALUES)
    def edit(self, device, pick, field, value):
        device = self.devices[device]
        keys = device.known_keys()
        if keys:
            device.edit(keys[pick % len(keys)], {field: value})

    @rule(pick=st.integers(0, 5), owner=st.sampled_from(["worker-1", "worker-2"]))
    def supervisor_reassigns(self, pick, owner):
        supervisor = self.devices[3]
        keys = supervisor.known_keys()
        if keys:
            supervisor.edit(keys[pick % len(keys)], {"owner": owner})

    @rule(device=st.integers(0, 3))
    def edit_a_read_only_field(self, device):
        device = self.devices[device]
        keys = device.known_keys()
        if keys:
            device.edit(keys[0], {"locked_by_server": True})

    # --- what the network does ----------------------------------------------------------------
    @rule(device=st.integers(0, 3), size=st.integers(1, 4), answer_lost=st.booleans(),
          duplicated=st.booleans())
    def push(self, device, size, answer_lost, duplicated):
        device = self.devices[device]
        batch = device.outbox[:size]
        if not batch:
            return
        results = self._push(device, batch)
        if duplicated:
            self._push(device, batch)
        if answer_lost:
            device.in_flight.append(batch)
        else:
            device.accept_results(results)

    @rule(device=st.integers(0, 3))
    def delayed_batch_arrives(self, device):
        device = self.devices[device]
        if device.in_flight:
            self._push(device, device.in_flight.pop(0))

    @rule(device=st.integers(0, 3), limit=st.integers(1, 3))
    def pull(self, device, limit):
        self.devices[device].pull_all(self.server, limit)

    def _push(self, device, batch):
        writes_before = len(self.server.store.writes)
        results = self.server.push(device, batch)
        self._remember(device, results)
        self._check_conflicts_were_called(device, batch, results, writes_before)
        return results

    def _check_conflicts_were_called(self, device, batch, results, writes_before):
        """An oracle independent of the engine: from the log of accepted writes, a field the
        device changed is a conflict exactly when the last write to it since the device's
        base_rev came from another device with another value."""
        log = self.server.store.writes
        for mutation, result in zip(batch, results, strict=True):
            if result.status in (DUPLICATE, REJECTED):
                continue
            # The log as it stood when this mutation was decided: before this batch, plus the
            # writes of the batch's earlier mutations.
            before = writes_before + sum(1 for w in log[writes_before:]
                                         if w[1] < mutation.mutation_id)
            clashing = set()
            for name, value in mutation.fields.items():
                earlier = [w for w in log[:before] if w[2] == (mutation.collection, mutation.id)
                           and w[3] == name and w[5] > (mutation.base_rev or 0)]
                if earlier and earlier[-1][0] != device.device_id and earlier[-1][4] != value:
                    clashing.add(name)
            called = {c.field for c in (result.conflicts or [])}
            assert called == clashing, (mutation, result, clashing)
            assert (result.status == CONFLICT) == bool(clashing)

    def _remember(self, device, results):
        for result in results:
            key = (device.device_id, result.mutation_id)
            if result.status == DUPLICATE:
                assert key in self.first_results, "duplicate of a mutation never processed"
            else:
                assert key not in self.first_results, "a mutation was processed twice"
                self.first_results[key] = result

    # --- what must always hold ----------------------------------------------------------------
    @invariant()
    def each_mutation_written_once(self):
        if not hasattr(self, "server"):
            return
        seen = {}
        for device_id, mutation_id, key, name, _value, _rev in self.server.store.writes:
            marker = (device_id, mutation_id, key, name)
            assert marker not in seen, f"{marker} written twice"
            seen[marker] = True

    def teardown(self):
        if not hasattr(self, "server"):
            return
        self._sync_everyone()
        self._check_devices_match_server()
        self._check_no_accepted_edit_lost()
        self._check_conflicts_kept_both_values()

    def _sync_everyone(self):
        for _round in range(3):
            for device in self.devices:
                while device.outbox:
                    device.accept_results(self._push(device, device.outbox[:5]))
            for device in self.devices:
                device.pull_all(self.server, 2)

    def _check_devices_match_server(self):
        for device in self.devices:
            held = {key: entry["fields"] for key, entry in device.local.items()}
            assert held == self.server.visible_records(device.user), device.device_id

    def _check_no_accepted_edit_lost(self):
        final = {}
        for _device, _mutation, key, name, value, rev in self.server.store.writes:
            if key not in final.get(name, {}) or final[name][key][1] < rev:
                final.setdefault(name, {})[key] = (value, rev)
        for name, by_key in final.items():
            for key, (value, _rev) in by_key.items():
                record = self.server.store.records.get(key)
                if record is not None:
                    assert record.fields.get(name) == value, (key, name)
        for (device_id, mutation_id), result in self.first_results.items():
            if result.status in (APPLIED, MERGED):
                written = [w for w in self.server.store.writes
                           if w[0] == device_id and w[1] == mutation_id]
                assert written or result.rev is None, (device_id, mutation_id)

    def _check_conflicts_kept_both_values(self):
        kept = {(device_id, m.mutation_id): conflicts
                for device_id, m, conflicts in self.server.store.conflicts}
        for (device_id, mutation_id), result in self.first_results.items():
            if result.status == CONFLICT:
                conflicts = kept[(device_id, mutation_id)]
                assert all(c.server_value != c.device_value for c in conflicts)
            if result.status == REJECTED:
                assert any(d == device_id and m.mutation_id == mutation_id
                           for d, m, _e in self.server.store.rejections)


SyncMachine.TestCase.settings = settings(
    max_examples=int(os.environ.get("SYNC_EXAMPLES", "150")), stateful_step_count=40, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
TestSyncOnMemoryStore = SyncMachine.TestCase
