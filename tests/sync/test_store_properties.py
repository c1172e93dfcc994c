"""The sync rules (tests/sync/sync_machine.py) again, on the SQLAlchemy store and a real
database: the machine's notes are children, 'why' and 'where' their names, and 'owner' the
worker they are assigned to, which a supervisor changes."""

import os
import uuid

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from app.auth.devices import enrol_device
from app.auth.models import Person, Role
from app.auth.services import add_organisation, add_person
from app.cases.models import Child
from app.core.types import utcnow
from app.extensions import db
from app.syncing.store import SqlStore
from sync import engine
from sync.protocol import Change, FieldConflict, Mutation, Page, Removal, Result
from tests.sync.sync_machine import SyncRules

NOTES = "notes"
TO_COLUMN = {"why": "given_name", "where": "family_name", "owner": "assigned_worker_id"}
FROM_COLUMN = {column: name for name, column in TO_COLUMN.items()}
APP = {}


@pytest.fixture(autouse=True)
def _app_for_the_machine(app):
    APP["app"] = app
    yield


class SqlServer:
    def __init__(self, app):
        self.app = app
        with app.app_context():
            organisation, (team,) = add_organisation(db.session, "Machine", ["Team"])
            self.people = {
                name: add_person(db.session, organisation, team, role, name,
                                 f"{name}.{uuid.uuid4().hex[:8]}@example.org").id
                for name, role in (("worker-1", Role.WORKER), ("worker-2", Role.WORKER),
                                   ("supervisor-1", Role.SUPERVISOR))}
            for number in range(3):
                db.session.add(Child(organisation_id=organisation.id, team_id=team.id,
                                     assigned_worker_id=self.people[f"worker-{number % 2 + 1}"],
                                     given_name="Start", family_name=f"Child {number}"))
            db.session.commit()
        self.names = {person_id: name for name, person_id in self.people.items()}
        self.devices = {}

    def enrol(self, device):
        with self.app.app_context():
            person = db.session.get(Person, self.people[device.user])
            pair = enrol_device(db.session, "secret", person, device.device_id, utcnow())
            db.session.commit()
            self.devices[device.device_id] = str(pair.device.id)

    # --- translation between the machine's notes and children ---
    def _to_server(self, mutation: Mutation) -> Mutation:
        fields = {TO_COLUMN.get(name, name): value for name, value in mutation.fields.items()}
        if "assigned_worker_id" in fields:
            fields["assigned_worker_id"] = str(self.people[fields["assigned_worker_id"]])
        return Mutation(mutation.mutation_id, "children", mutation.id, mutation.op,
                        mutation.base_rev, fields, mutation.device_time)

    def _value_back(self, column, value):
        if column == "assigned_worker_id" and value is not None:
            return self.names[uuid.UUID(str(value))]
        return value

    def _result_back(self, result: Result) -> Result:
        if result.conflicts:
            result.conflicts = [
                FieldConflict(FROM_COLUMN[c.field], self._value_back(c.field, c.server_value),
                              self._value_back(c.field, c.device_value))
                for c in result.conflicts]
        return result

    def _record_back(self, record: dict) -> dict:
        return {FROM_COLUMN[column]: self._value_back(column, record[column])
                for column in TO_COLUMN.values()}

    # --- the server's side ---
    def push(self, device, batch):
        with self.app.app_context():
            person = db.session.get(Person, self.people[device.user])
            results = engine.push(SqlStore(db.session), person, self.devices[device.device_id],
                                  [self._to_server(m) for m in batch])
            db.session.commit()
        return [self._result_back(r) for r in results]

    def pull(self, device, limit):
        with self.app.app_context():
            person = db.session.get(Person, self.people[device.user])
            page, cursor = engine.pull(SqlStore(db.session), person, device.cursor, limit)
            db.session.commit()
        return Page(
            changes=[Change(NOTES, c.id, c.rev, self._record_back(c.record))
                     for c in page.changes],
            removals=[Removal(NOTES, r.id, r.rev) for r in page.removals],
            last_rev=page.last_rev, more=page.more), cursor

    def visible_records(self, user: str) -> dict:
        with self.app.app_context():
            person = db.session.get(Person, self.people[user])
            page, _cursor = engine.pull(SqlStore(db.session), person, None, 10_000)
            db.session.rollback()
        return {(NOTES, c.id): self._record_back(c.record) for c in page.changes}


class SqlSync(SyncRules):
    VALUES = st.sampled_from(["", "Ann", "Ŵyn", "Ŷr"])

    def make_server(self):
        return SqlServer(APP["app"])


SqlSync.TestCase.settings = settings(
    max_examples=int(os.environ.get("SYNC_SQL_EXAMPLES", "40")), stateful_step_count=30,
    deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
TestSyncOnSqlStore = SqlSync.TestCase
