"""Writing what a push decided: the records it made and changed, in a handful of statements
(bulk INSERTs and UPDATEs, never one ORM object a mutation), what follows from them (each
collection's after_write), deletions, and the audit trail."""

from sqlalchemy import update
from sqlalchemy.orm import Session

from app.audit.chain import add_events
from app.auth.models import Person
from app.core.bulk import insert_rows
from app.syncing import scope
from app.syncing.collections import COLLECTIONS, SyncCollection, Written
from sync.protocol import Record
from sync.store import BatchOutcome


class Writer:
    def __init__(self, session: Session, actor: Person, now, defaults: dict, remembered: dict,
                 audited_as: Person):
        self.session = session
        self.actor = actor
        self.audited_as = audited_as  # whom the audit trail names: the actor, or an importer
        self.now = now
        # What each new record defaults to (as its checks saw it), and what was remembered of
        # each stored one before the push changed it, by (collection, id).
        self.defaults = defaults
        self.remembered = remembered

    def write(self, outcome: BatchOutcome) -> None:
        # The statements below are Core statements, which do not autoflush: write whatever the
        # ORM holds pending first, as the ORM's own statements would have.
        self.session.flush()
        changed = _changed_fields_by_key(outcome)
        created, updated = _created_and_updated(outcome)
        for spec in COLLECTIONS.values():
            made, changed_records = created.get(spec.name, []), updated.get(spec.name, [])
            self._insert(spec, made)
            self._update(spec, changed_records, changed)
            if spec.after_write and (made or changed_records):
                spec.after_write(self.session, Written(
                    made, changed_records,
                    {record.id: changed.get((spec.name, record.id), set())
                     for record in changed_records},
                    {record.id: self.remembered.get((spec.name, record.id))
                     for record in changed_records}))
        self._delete(outcome)
        self._audit(created, updated, outcome.deleted)

    def _insert(self, spec: SyncCollection, created: list[Record]) -> None:
        if not created:
            return
        same_for_all = {"organisation_id": self.actor.organisation_id,
                        "created_at": self.now, "updated_at": self.now}
        rows = []
        for record in created:
            # The record's own fields over its defaults; field_sources as the record holds
            # them (a (rev, source) pair is a JSON array too).
            row = {**self.defaults.get((spec.name, record.id), {}), **record.fields,
                   **spec.stamps(record.fields, self.now),
                   "id": record.id, "rev": record.rev, "field_sources": record.field_sources}
            for name in spec.extra_fields:  # kept in tables of their own
                row.pop(name, None)
            rows.append(row)
        insert_rows(self.session, spec.model.__table__, rows, same=same_for_all)

    def _update(self, spec: SyncCollection, updated: list[Record], changed: dict) -> None:
        if not updated:
            return
        rows = []
        for record in updated:
            names = changed.get((spec.name, record.id), set())
            values = {name: record.fields[name] for name in names
                      if name not in spec.extra_fields}
            rows.append({"id": record.id, "rev": record.rev, "updated_at": self.now,
                         "field_sources": record.field_sources, **values,
                         **spec.stamps(values, self.now)})
        self.session.execute(update(spec.model), rows)

    def _delete(self, outcome: BatchOutcome) -> None:
        for collection, record_id in outcome.deleted:
            scope.remove_record(self.session, collection, record_id, self.actor.id, self.now)

    def _audit(self, created: dict, updated: dict, deleted: dict) -> None:
        """Every record a push created, changed or deleted, in the audit trail."""
        records = [("sync-create", record.collection, record.id)
                   for records in created.values() for record in records]
        records += [("sync-update", record.collection, record.id)
                    for records in updated.values() for record in records]
        records += [("sync-delete", collection, record_id) for collection, record_id in deleted]
        add_events(self.session, self.audited_as.organisation_id, self.audited_as.id,
                   self.now, records)


def _created_and_updated(outcome: BatchOutcome) -> tuple[dict, dict]:
    """The records the push wrote, by collection: those it created, and those it changed."""
    created: dict = {}
    updated: dict = {}
    for key, record in outcome.written.items():
        (created if key in outcome.created else updated).setdefault(key[0], []).append(record)
    return created, updated


def _changed_fields_by_key(outcome: BatchOutcome) -> dict:
    """The fields the push changed of each stored record it wrote. (A record it created is
    written whole: which of its fields each mutation set is not needed.)"""
    changed: dict = {}
    for mutation, _result, names in outcome.accepted:
        key = (mutation.collection, mutation.id)
        if key not in outcome.created:
            changed.setdefault(key, set()).update(names)
    return changed

