"""The sync rules (tests/sync/sync_machine.py) on the engine with the in-memory store."""

import os
import uuid

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from sync import engine
from sync.memory import MemoryStore
from tests.sync.sync_machine import SyncRules

COLLECTION = "notes"


class MemoryServer:
    """Runs the engine against a MemoryStore, as the HTTP layer does: one batch at a time."""

    def __init__(self):
        self.store = MemoryStore()

    def enrol(self, device):
        pass

    def push(self, device, batch):
        return engine.push(self.store, device.user, device.device_id, batch)

    def pull(self, device, limit: int):
        return engine.pull(self.store, device.user, device.cursor, limit)

    def visible_records(self, user: str) -> dict:
        return {key: record.fields for key, record in self.store.records.items()
                if self.store.may_see(user, record)}


class MemorySync(SyncRules):
    def make_server(self):
        self.created = 0
        return MemoryServer()

    @precondition(lambda self: self.created < 4)
    @rule(device=st.integers(0, 3), field=SyncRules.FIELDS, value=SyncRules.VALUES)
    def create(self, device, field, value):
        device = self.devices[device]
        self.created += 1
        owner = "worker-1" if device.user.startswith("supervisor") else device.user
        device.edit((COLLECTION, uuid.UUID(int=self.created)), {"owner": owner, field: value})


MemorySync.TestCase.settings = settings(
    max_examples=int(os.environ.get("SYNC_EXAMPLES", "400")), stateful_step_count=40,
    deadline=None, suppress_health_check=[HealthCheck.too_slow])
TestSyncOnMemoryStore = MemorySync.TestCase
