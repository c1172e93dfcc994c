"""The property-based proof of the sync rules, for any server: devices edit offline while the
network drops, duplicates, delays and replays their pushes, and they pull at random times.
After everyone syncs, every device holds exactly what the server holds for what it may see; no
accepted edit is lost; nothing is applied twice; a field changed on two sides is a conflict
exactly when an independent oracle says so, and different-field edits merge.

The accepted writes are logged here, from the results the server gave, so the checks do not
rely on the server's own bookkeeping. A write that leaves a field's value as it was is no
change of that field (sync/PROTOCOL.md), so it is not logged."""

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule

from sync.protocol import APPLIED, CONFLICT, DUPLICATE, MERGED, REJECTED
from tests.sync.device_model import Device

WORKERS = ["worker-1", "worker-2"]


class SyncRules(RuleBasedStateMachine):
    """Subclasses give `make_server()` and the strategies for fields and values."""

    FIELDS = st.sampled_from(["why", "where"])
    VALUES = st.sampled_from(["", "a", "b", "ŵ", "ŷ"])

    def make_server(self):
        raise NotImplementedError

    @initialize()
    def start(self):
        self.server = self.make_server()
        self.devices = [Device("tablet-1", "worker-1"), Device("tablet-2", "worker-1"),
                        Device("tablet-3", "worker-2"), Device("laptop", "supervisor-1")]
        for device in self.devices:
            self.server.enrol(device)
        self.first_results = {}
        # (device, mutation_id, key, field, value, rev) of every accepted field write.
        self.writes = []

    # --- what people do -----------------------------------------------------------------
    @rule(device=st.integers(0, 3), pick=st.integers(0, 5), data=st.data())
    def edit(self, device, pick, data):
        device = self.devices[device]
        keys = device.known_keys()
        if keys:
            field = data.draw(self.FIELDS)
            device.edit(keys[pick % len(keys)], {field: data.draw(self.VALUES)})

    @rule(pick=st.integers(0, 5), owner=st.sampled_from(WORKERS))
    def supervisor_reassigns(self, pick, owner):
        supervisor = self.devices[3]
        keys = supervisor.known_keys()
        if keys:
            supervisor.edit(keys[pick % len(keys)], {"owner": owner})

    @rule(device=st.integers(0, 3))
    def edit_a_field_devices_may_not_write(self, device):
        device = self.devices[device]
        keys = device.known_keys()
        if keys:
            device.edit(keys[0], {"locked_by_server": True})

    # --- what the network does ----------------------------------------------------------
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

    # --- bookkeeping and the oracle ------------------------------------------------------
    def _push(self, device, batch):
        results = self.server.push(device, batch)
        assert [r.mutation_id for r in results] == [m.mutation_id for m in batch]
        for mutation, result in zip(batch, results, strict=True):
            self._remember(device, result)
            if result.status in (DUPLICATE, REJECTED):
                continue
            self._check_conflict_called(device, mutation, result)
            clashing = {c.field for c in (result.conflicts or [])}
            key = (mutation.collection, mutation.id)
            self.writes += [(device.device_id, mutation.mutation_id, key, name, value, result.rev)
                            for name, value in mutation.fields.items()
                            if name not in clashing and self._changes(key, name, value)]
        return results

    def _changes(self, key, name, value) -> bool:
        """Whether writing this value changes the field, as far as the logged writes tell (a
        field never written here, as on a record the server made, counts as changed)."""
        earlier = [w for w in self.writes if w[2] == key and w[3] == name]
        return not earlier or earlier[-1][4] != value

    def _remember(self, device, result):
        key = (device.device_id, result.mutation_id)
        if result.status == DUPLICATE:
            assert key in self.first_results, "duplicate of a mutation never processed"
        else:
            assert key not in self.first_results, "a mutation was processed twice"
            self.first_results[key] = result

    def _check_conflict_called(self, device, mutation, result):
        """A changed field is a conflict exactly when the last accepted write that changed it
        since the device's base_rev came from another device, with another value than the
        device's. (So a device re-saving a value never takes the field over.)"""
        clashing = set()
        for name, value in mutation.fields.items():
            earlier = [w for w in self.writes if w[2] == (mutation.collection, mutation.id)
                       and w[3] == name and w[5] > (mutation.base_rev or 0)]
            if earlier and earlier[-1][0] != device.device_id and earlier[-1][4] != value:
                clashing.add(name)
        called = {c.field for c in (result.conflicts or [])}
        assert called == clashing, (mutation, result, clashing)
        assert (result.status == CONFLICT) == bool(clashing)
        if result.status == CONFLICT:
            assert all(c.server_value != c.device_value for c in result.conflicts)

    def teardown(self):
        if not hasattr(self, "server"):
            return
        for _round in range(3):
            for device in self.devices:
                while device.outbox:
                    device.accept_results(self._push(device, device.outbox[:5]))
            for device in self.devices:
                device.pull_all(self.server, 2)
        for device in self.devices:
            held = {key: entry["fields"] for key, entry in device.local.items()}
            assert held == self.server.visible_records(device.user), device.device_id
        self._check_no_accepted_edit_lost()

    def _check_no_accepted_edit_lost(self):
        last = {}
        for _device, _mutation, key, name, value, rev in self.writes:
            if (key, name) not in last or last[(key, name)][1] < rev:
                last[(key, name)] = (value, rev)
        everything = self.server.visible_records("supervisor-1")
        for (key, name), (value, _rev) in last.items():
            if key in everything:
                assert everything[key].get(name) == value, (key, name)
        for (device_id, mutation_id), result in self.first_results.items():
            if result.status in (APPLIED, MERGED, CONFLICT):
                assert result.rev is not None, (device_id, mutation_id)
