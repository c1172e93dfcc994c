"""The SQLAlchemy Store for the sync engine.

Writes go through bulk INSERT (app/core/bulk.py) and UPDATE statements, one per table and batch,
never one ORM object per mutation: a push of hundreds of mutations costs a handful of statements.
Reads for a pull are plain rows (app/syncing/plain_records.py), dumped to what the JSON API's
schemas give (app/core/dumping.py).
"""

import uuid
from datetime import date, datetime
from enum import Enum
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError
from sqlalchemy import String, delete, func, select, type_coerce, update
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.auth.models import Device, Person, Role, Team
from app.auth.policy import may_review, may_work_on_cases
from app.cases.rules import area_errors, return_time_errors
from app.cases.services import area_kinds, assignment_errors
from app.codelists.services import code_errors, known_codes
from app.core.bulk import existing_ids, insert_many, insert_rows, rows_by_id
from app.core.dumping import quick_dumper
from app.core.errors import ValidationFailed, field_errors
from app.core.ids import new_id, parse_id
from app.core.models import RevisionCounter, hold_writes, take_revisions
from app.core.schemas import load_changed_fields
from app.core.types import utcnow
from app.i18n import supported_languages
from app.interviews import rules as interview_rules
from app.interviews.models import CODED_ANSWERS, InterviewCode, InterviewStatus
from app.questionnaires.models import QuestionnaireVersion
from app.questionnaires.services import check_local_answers, current_version_id, usable_versions
from app.syncing import scope
from app.syncing.collections import (
    COLLECTIONS,
    NO_SUCH_PARENT,
    NOT_DELETABLE,
    NOT_WRITABLE,
    REQUIRED,
    UNKNOWN_COLLECTION,
    SyncCollection,
)
from app.syncing.models import ResultBatch, ScopeRemoval, SyncConflict, SyncRejection
from app.syncing.plain_records import plain_records
from sync.protocol import DELETE, Change, Page, Record, Removal, Result
from sync.store import BatchOutcome

NOT_PERMITTED = _l("You do not have permission to do that")


def to_json(value):
    """A value as JSON carries it (for conflicts and rejections kept in the database)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    return value


def result_as_json(result: Result) -> dict:
    """A result as JSON carries it. Only the values of a conflict can be other than plain JSON
    (a datetime, a UUID); an original result was read back from JSON."""
    body = result.as_dict()
    return to_json(body) if result.conflicts else body


# Arrays and objects a rejected value may nest and still be kept as it came. No field a device
# writes nests more than two; a value a thousand deep (which JSON allows) could not be written
# or read back by the JSON libraries within Python's limit on recursion.
MOST_KEPT_NESTING = 32
TOO_DEEP_TO_KEEP = _l("This value was nested too deeply to keep, so it has not been kept here.")


def _keepable(fields: dict, errors: dict) -> dict:
    """A rejected mutation's fields and errors as they are kept: as sent, except that a value
    nested too deeply is kept as null, with a message saying so among its errors."""
    too_deep = [name for name, value in fields.items()
                if _nests_deeper_than(value, MOST_KEPT_NESTING)]
    if not too_deep:
        return {"fields": to_json(fields), "errors": to_json(errors)}
    kept = {name: None if name in too_deep else value for name, value in fields.items()}
    noted = {**errors, **{name: [*errors.get(name, []), str(TOO_DEEP_TO_KEEP)]
                          for name in too_deep}}
    return {"fields": to_json(kept), "errors": to_json(noted)}


def _nests_deeper_than(value, most: int) -> bool:
    """Whether the value holds arrays or objects more than `most` deep, found without
    recursion."""
    waiting = [(value, 0)]
    while waiting:
        value, depth = waiting.pop()
        if isinstance(value, dict):
            inner = value.values()
        elif isinstance(value, list | tuple):
            inner = value
        else:
            continue
        if depth == most:
            return True
        waiting.extend((item, depth + 1) for item in inner)
    return False


def _messages(errors: dict) -> dict[str, list[str]]:
    if not errors:  # the usual case, worth no walk
        return {}
    return {e["field"]: e["messages"] for e in field_errors(errors)}


class SqlStore:
    def __init__(self, session: Session):
        self.session = session
        self._powers: tuple[Person, _Powers] | None = None  # the actor, and what it may do
        self._visible_parents: dict[tuple[str, uuid.UUID], bool] = {}
        self._codes: set | None = None
        self._codes_by_list: dict[str, set] = {}
        self._areas: dict[str, str] = {}
        self._scopes_before: dict[uuid.UUID, set[str]] = {}
        self._version_id: uuid.UUID | None = None
        # What checking this batch reads of stored parents (SyncCollection.read_by_children).
        self._stored_fields: dict[tuple[str, uuid.UUID], dict | None] = {}
        self._now = utcnow()
        self._writable_fields: dict[tuple, frozenset] = {}
        # The errors of each mutation refused, by mutation_id, as the checks gave them.
        self._refusals: dict[int, dict] = {}
        self._rules = {"children": self._child_rules, "episodes": self._episode_rules,
                       "interviews": self._interview_rules, "attempts": self._attempt_rules}

    # --- push -----------------------------------------------------------------------------
    def last_mutation_id(self, device_id: str) -> int:
        # A push holds the right to write from its first read to its commit, so nothing can
        # change the records it checks between reading them and writing (see hold_writes).
        hold_writes(self.session)
        stmt = select(Device.last_mutation_id).where(Device.id == uuid.UUID(device_id))
        return self.session.scalar(stmt.with_for_update()) or 0

    def past_results(self, device_id: str, mutation_ids: list[int]) -> dict[int, Result]:
        # The pushes whose range of ids overlaps the repeated ones.
        batches = self.session.scalars(select(ResultBatch.results).where(
            ResultBatch.device_id == uuid.UUID(device_id),
            ResultBatch.last_mutation_id >= min(mutation_ids),
            ResultBatch.first_mutation_id <= max(mutation_ids)))
        wanted = set(mutation_ids)
        return {result["mutation_id"]: Result.from_dict(result)
                for results in batches for result in results if result["mutation_id"] in wanted}

    def prefetch(self, actor: Person, mutations) -> None:
        """Reads, one query per collection, the parents these mutations name that the actor may
        see, instead of one query per parent while checking. A parent it may not see (or that
        does not exist) is read no further: the mutation naming it is refused for that alone,
        and nothing stored in it can show in the refusal."""
        named: dict[str, set[str]] = {}
        for mutation in mutations:
            spec = COLLECTIONS.get(mutation.collection)
            if spec is not None and spec.parent is not None:
                parent_id = str(mutation.fields.get(spec.parent[0]))
                named.setdefault(spec.parent[1], set()).add(parent_id)
        # A parent that is itself changed by this push is judged by the push's own copy, which
        # the checks look at first (load reads every stored record a push changes; one it makes
        # exists only once made): it is not read again, nor asked for when it does not exist yet.
        targets = {(mutation.collection, mutation.id) for mutation in mutations}
        for collection, parent_ids in named.items():
            spec = COLLECTIONS[collection]
            ids = {record_id for record_id in _uuids(parent_ids)
                   if (collection, record_id) not in targets}
            visible = self._stored_columns(spec, ids, spec.visible(actor))
            for record_id in ids:
                self._visible_parents[(collection, record_id)] = record_id in visible
                self._stored_fields[(collection, record_id)] = visible.get(record_id)

    def _stored_columns(self, spec: SyncCollection, ids, among=None) -> dict[uuid.UUID, dict]:
        """What checking their children reads of the records of these ids that exist (and that
        the query `among` selects, when given), by id: plain rows, no ORM objects to build."""
        names = spec.read_by_children
        columns = [getattr(spec.model, name) for name in names]
        # Read as the driver gives them (type_coerce emits no cast): each value is made a Python
        # value only when a check asks for it (see _ReadByChildren).
        rows = rows_by_id(self.session, select(spec.model) if among is None else among,
                          spec.model.id, ids, [type_coerce(c, String) for c in columns])
        dialect = self.session.connection().dialect  # the connection rows_by_id read with
        processors = {name: column.type.dialect_impl(dialect).result_processor(dialect, None)
                      for name, column in zip(names, columns, strict=True)}
        return {record_id: _ReadByChildren(dict(zip(names, row, strict=True)), processors)
                for record_id, row in rows.items()}

    def load(self, actor: Person, keys) -> dict:
        found = {}
        for spec in COLLECTIONS.values():
            ids = [record_id for collection, record_id in keys if collection == spec.name]
            if not ids:
                continue
            stored, visible = self._stored_and_visible(actor, spec, ids)
            for obj in stored:
                found[(spec.name, obj.id)] = self._record(spec, obj, obj.id in visible)
        return found

    def _stored_and_visible(self, actor: Person, spec: SyncCollection, ids) -> tuple[list, set]:
        """The records of these ids that exist, and the ids of those the actor may see. Only a
        record that exists can be visible, so visibility is asked of those alone: a batch of new
        records asks nothing, and the planner is not led by hundreds of ids that match nothing
        into walking every record of the worker's cases."""
        present = existing_ids(self.session, spec.model, ids)
        if not present:
            return [], set()
        stored = self.session.scalars(select(spec.model).where(spec.model.id.in_(present))).all()
        visible = rows_by_id(self.session, spec.visible(actor), spec.model.id,
                             [obj.id for obj in stored])
        return stored, set(visible)

    def _record(self, spec: SyncCollection, obj, visible: bool) -> Record:
        if spec.name == "children":
            self._scopes_before[obj.id] = scope.scopes_of_child_record(obj)
        return Record(
            collection=spec.name, id=obj.id, rev=obj.rev,
            fields={name: getattr(obj, name) for name in spec.all_fields},
            field_sources={name: tuple(value) for name, value in (obj.field_sources or {}).items()},
            visible=visible,
        )

    def prepare(self, actor: Person, mutation, current, batch):
        parsed, errors = self._judged(actor, mutation, current, batch)
        messages = _messages(errors)
        if not messages:
            return parsed, {}
        # Kept as they are until saved, to be worded in each language for the rejection kept.
        self._refusals[mutation.mutation_id] = errors
        return {}, messages

    def _judged(self, actor: Person, mutation, current, batch) -> tuple[dict, dict]:
        """The mutation's fields loaded, and what is wrong with it (messages not yet worded)."""
        spec = COLLECTIONS.get(mutation.collection)
        if spec is None:
            return {}, {"collection": [UNKNOWN_COLLECTION]}
        if current is not None and not current.visible:
            return {}, {"id": [NO_SUCH_PARENT]}
        if not self._may(actor).work_on_cases:
            return {}, {"_record": [NOT_PERMITTED]}
        if mutation.op == DELETE:
            errors = {} if spec.deletable else {"op": [NOT_DELETABLE]}
            if current is not None and not errors:
                errors = self._parent_lock_errors(spec, actor, current.fields, batch)
            return {}, errors
        allowed = self._writable(spec, actor, current is None)
        if not mutation.fields.keys() <= allowed:
            return {}, {name: [NOT_WRITABLE] for name in mutation.fields if name not in allowed}
        try:
            parsed = load_changed_fields(spec.schema, mutation.fields)
        except ValidationError as error:
            return {}, error.messages
        # What the record would hold; the checks only read it (for a new record, parsed is all).
        merged = {**current.fields, **parsed} if current else parsed
        return parsed, self._check(spec, actor, current, parsed, merged, batch)

    def _may(self, actor) -> "_Powers":
        """What the actor may do: every mutation asks, and a push has one actor."""
        if self._powers is None or self._powers[0] is not actor:
            self._powers = (actor, _Powers(work_on_cases=may_work_on_cases(actor),
                                           review=may_review(actor)))
        return self._powers[1]

    def _writable(self, spec, actor, new: bool) -> frozenset:
        """The fields the actor may set from a device on a record, new or stored."""
        key = (spec.name, self._may(actor).review, new)
        if key not in self._writable_fields:
            allowed = spec.device_fields | (spec.reviewer_fields if key[1] else set())
            self._writable_fields[key] = allowed | (spec.create_only if new else set())
        return self._writable_fields[key]

    def _check(self, spec, actor, current, parsed, merged, batch) -> dict:
        errors = {}
        if current is None:
            errors |= {name: [REQUIRED] for name in spec.required_on_create
                       if merged.get(name) is None}
        if spec.parent and current is None and merged.get(spec.parent[0]) is not None:
            if not self._parent_visible(actor, spec.parent[1], merged[spec.parent[0]], batch):
                # Refused for that alone: a rule checking the change against its parent would
                # tell something of a record the actor may not see (when a child came back,
                # whether an interview was submitted).
                return errors | {spec.parent[0]: [NO_SUCH_PARENT]}
        codes = {name: (list_name, parsed[name]) for name, list_name in spec.code_fields.items()
                 if name in parsed}
        if codes and not self._all_known(actor, codes):
            errors |= code_errors(self._known_codes(actor), codes)
        if spec.area_fields:
            areas = {name: (kind, merged.get(name)) for name, kind in spec.area_fields.items()
                     if name in parsed}
            if areas:
                errors |= area_errors(self._area_kinds(code for _kind, code in areas.values()),
                                      areas)
        rule = self._rules[spec.name]
        return errors | rule(spec, actor, current, parsed, merged, batch)

    def _child_rules(self, spec, actor, current, parsed, merged, batch) -> dict:
        errors = {}
        team_id = merged.get("team_id") or (actor.team_id if current is None else None)
        if "team_id" in parsed or current is None:
            team = self.session.get(Team, team_id) if team_id else None
            if team is None or team.organisation_id != actor.organisation_id or (
                    actor.role != Role.ADMIN and team.id != actor.team_id):
                errors["team_id"] = [_l("Choose a team of your organisation.")]
        if "assigned_worker_id" in parsed or "team_id" in parsed:
            errors |= assignment_errors(self.session, actor, team_id,
                                       merged.get("assigned_worker_id"))
        return errors

    def _episode_rules(self, spec, actor, current, parsed, merged, batch) -> dict:
        return return_time_errors(merged.get("reported_missing_at"), merged.get("returned_at"))

    def _interview_rules(self, spec, actor, current, parsed, merged, batch) -> dict:
        reviewer = self._may(actor).review
        stored_status = current.fields.get("status") if current else None
        status = InterviewStatus(stored_status) if stored_status else InterviewStatus.DRAFT
        if current is not None and any(name != "status" for name in parsed):
            refusal = interview_rules.lock_refusal(reviewer, status)
            if refusal:
                return {"status": [refusal]}
        errors = {}
        if "status" in parsed:
            wanted = InterviewStatus(parsed["status"])
            refusal = interview_rules.move_refusal(reviewer, status, wanted)
            if refusal:
                return {"status": [refusal]}
            if wanted == InterviewStatus.SUBMITTED and wanted != status:
                errors |= interview_rules.submission_errors(
                    merged.get("consent"), merged.get("declined_by"), merged.get("conducted_at"))
        errors |= self._questionnaire_errors(actor, parsed, merged)
        episode = self._fields_of("episodes", merged.get("episode_id"), batch)
        return errors | interview_rules.timing_errors(
            episode.get("returned_at") if episode else None, merged.get("conducted_at"))

    def _questionnaire_errors(self, actor, parsed, merged) -> dict:
        """The version must be one this organisation may use, and local answers must answer its
        local questions (the same checks as the API's)."""
        if "questionnaire_version_id" not in parsed and not parsed.get("local_answers"):
            return {}  # most changes: neither is set
        version_id = merged.get("questionnaire_version_id") or self._current_version_id(actor)
        if "questionnaire_version_id" in parsed and self.session.scalar(
                usable_versions(actor.organisation_id).with_only_columns(
                    QuestionnaireVersion.id).where(QuestionnaireVersion.id == version_id)) is None:
            return {"questionnaire_version_id": [_l("No such questionnaire version.")]}
        if parsed.get("local_answers"):
            try:
                check_local_answers(self.session, version_id, parsed["local_answers"])
            except ValidationFailed as failure:
                return failure.errors
        return {}

    def _attempt_rules(self, spec, actor, current, parsed, merged, batch) -> dict:
        return self._parent_lock_errors(spec, actor, merged, batch)

    def _parent_lock_errors(self, spec, actor, fields, batch) -> dict:
        if spec.name != "attempts":
            return {}
        interview = self._fields_of("interviews", fields.get("interview_id"), batch) or {}
        refusal = interview_rules.lock_refusal(
            self._may(actor).review, InterviewStatus(interview.get("status") or "draft"))
        return {"interview_id": [refusal]} if refusal else {}

    def _fields_of(self, collection: str, record_id, batch) -> "dict | _ReadByChildren | None":
        """A record's fields as this push has left them, or as stored; None for one of this push
        that the actor may not see."""
        if record_id is None:
            return None
        key = (collection, record_id)
        in_batch = batch.get(key)
        if in_batch is not None:
            return in_batch.fields if in_batch.visible else None
        if key not in self._stored_fields:
            stored = self._stored_columns(COLLECTIONS[collection], [record_id])
            self._stored_fields[key] = stored.get(record_id)
        return self._stored_fields[key]

    def _parent_visible(self, actor, collection: str, record_id, batch) -> bool:
        in_batch = batch.get((collection, record_id))
        if in_batch is not None:
            return in_batch.visible and not in_batch.deleted
        key = (collection, record_id)
        if key not in self._visible_parents:
            spec = COLLECTIONS[collection]
            stmt = spec.visible(actor).with_only_columns(spec.model.id).where(
                spec.model.id == record_id)
            self._visible_parents[key] = self.session.scalar(stmt) is not None
        return self._visible_parents[key]

    def _known_codes(self, actor) -> set:
        if self._codes is None:
            self._codes = known_codes(self.session, actor.organisation_id)
            self._codes_by_list = {}
            for list_name, code in self._codes:
                self._codes_by_list.setdefault(list_name, set()).add(code)
        return self._codes

    def _all_known(self, actor, codes: dict) -> bool:
        """Whether every code these fields name is in its list: the usual case, told with one
        set per list; code_errors walks them only when one is not, to say which."""
        self._known_codes(actor)
        for list_name, value in codes.values():
            known = self._codes_by_list.get(list_name, frozenset())
            if value is None:
                continue
            if not (known.issuperset(value) if type(value) is list else value in known):
                return False
        return True

    def _area_kinds(self, values) -> dict[str, str]:
        wanted = {v for v in values if isinstance(v, str) and v not in self._areas}
        self._areas |= area_kinds(self.session, wanted)
        return self._areas

    def take_revisions(self, count: int) -> range:
        return take_revisions(self.session, count)

    def save(self, actor: Person, outcome: BatchOutcome) -> None:
        # The inserts below are Core statements, which do not autoflush: write whatever the ORM
        # holds pending first, as the ORM's own statements would have.
        self.session.flush()
        changed = _changed_fields_by_key(outcome)
        created, updated = _created_and_updated(outcome)
        for spec in COLLECTIONS.values():
            self._insert_created(spec, actor, created.get(spec.name, []))
            self._update_changed(spec, updated.get(spec.name, []), changed)
        self._delete(actor, outcome)
        self._keep_conflicts(actor, outcome)
        self._keep_rejections(actor, outcome)
        self._keep_results(outcome)
        self._audit(actor, created, updated, outcome.deleted)
        self.session.execute(update(Device).where(Device.id == uuid.UUID(outcome.device_id))
                             .values(last_mutation_id=outcome.last_mutation_id,
                                     last_seen_at=self._now))

    def _columns(self, spec: SyncCollection, record: Record, names) -> dict:
        return {name: record.fields[name] for name in names if name not in spec.extra_fields}

    def _insert_created(self, spec, actor, created: list[Record]) -> None:
        if not created:
            return
        same_for_all = {**self._shared_defaults(spec, actor), "created_at": self._now,
                        "updated_at": self._now}
        rows = []
        for record in created:
            # The record's own fields over the defaults (insert_rows gives a row the shared
            # ones it leaves out); field_sources as the record holds them (a (rev, source)
            # pair is a JSON array too).
            row = {**self._own_defaults(spec, actor, record), **record.fields,
                   "id": record.id, "rev": record.rev, "field_sources": record.field_sources}
            for name in spec.extra_fields:  # kept in tables of their own
                row.pop(name, None)
            rows.append(row)
        insert_rows(self.session, spec.model.__table__, rows, same=same_for_all)
        self._write_codes(spec, [(record, record.fields) for record in created], new=True)

    def _shared_defaults(self, spec, actor) -> dict:
        """What every record of this collection the actor makes holds unless it says otherwise."""
        defaults = {"organisation_id": actor.organisation_id}
        if spec.name == "children" and actor.role == Role.WORKER:
            defaults["assigned_worker_id"] = actor.id
        if spec.name == "interviews":
            defaults["interviewer_id"] = actor.id
            defaults["questionnaire_version_id"] = self._current_version_id(actor)
        return defaults

    def _own_defaults(self, spec, actor, record) -> dict:
        """Defaults that depend on the record itself."""
        if spec.name == "children":
            return {"team_id": record.fields.get("team_id") or actor.team_id}
        if spec.name == "interviews" and record.fields.get("status") == InterviewStatus.SUBMITTED:
            return {"submitted_at": self._now}
        return {}

    def _current_version_id(self, actor) -> uuid.UUID:
        if self._version_id is None:
            self._version_id = current_version_id(self.session, actor.organisation_id)
        return self._version_id

    def _update_changed(self, spec, updated: list[Record], changed) -> None:
        if not updated:
            return
        rows = []
        for record in updated:
            names = changed.get((spec.name, record.id), set())
            row = {"id": record.id, "rev": record.rev, "updated_at": self._now,
                   "field_sources": record.field_sources, **self._columns(spec, record, names)}
            if spec.name == "interviews" and "status" in names and \
                    record.fields.get("status") == InterviewStatus.SUBMITTED:
                row["submitted_at"] = self._now
            rows.append(row)
        self.session.execute(update(spec.model), rows)
        self._write_codes(spec, [(record, changed.get((spec.name, record.id), set()))
                                 for record in updated])
        if spec.name == "children":
            for record in updated:
                self._note_child_move(record)

    def _note_child_move(self, record: Record) -> None:
        child = self.session.get(scope.Child, record.id)
        self.session.refresh(child)
        scope.child_moved(self.session, record.id, self._scopes_before.get(record.id, set()),
                          scope.scopes_of_child_record(child))

    def _write_codes(self, spec, changes, new: bool = False) -> None:
        """changes: each record with the names of the fields that changed."""
        if spec.name != "interviews":
            return
        replace = [(record, field) for record, names in changes for field in CODED_ANSWERS
                   if field in names]
        for field in {field for _record, field in replace} if not new else ():
            ids = [record.id for record, replaced in replace if replaced == field]
            self.session.execute(delete(InterviewCode).where(
                InterviewCode.interview_id.in_(ids),
                InterviewCode.list_name == CODED_ANSWERS[field]))
        insert_many(self.session, InterviewCode.__table__, {}, ("interview_id", "list_name", "code"),
                    [(record.id, CODED_ANSWERS[field], code) for record, field in replace
                     for code in sorted(set(record.fields[field] or []))])

    def _delete(self, actor, outcome) -> None:
        for (collection, record_id), record in outcome.deleted.items():
            spec = COLLECTIONS[collection]
            child = self._child_of(collection, record.fields)
            self.session.execute(delete(spec.model).where(spec.model.id == record_id))
            scopes = sorted(scope.scopes_of_child_record(child)) if child else []
            scope.add_removals(self.session, scopes, [(collection, record_id)])

    def _child_of(self, collection: str, fields: dict):
        while collection != "children":
            parent_field, parent_collection = COLLECTIONS[collection].parent
            parent_id = fields.get(parent_field)
            fields = self._fields_of(parent_collection, parent_id, {}) or {}
            collection = parent_collection
            if collection == "children":
                return self.session.get(scope.Child, parent_id)
        return None

    def _keep_conflicts(self, actor, outcome) -> None:
        rows = [{"id": new_id(), "organisation_id": actor.organisation_id,
                 "collection": m.collection, "record_id": m.id, "field": c.field,
                 "server_value": to_json(c.server_value), "device_value": to_json(c.device_value),
                 "device_id": uuid.UUID(outcome.device_id), "mutation_id": m.mutation_id,
                 "base_rev": m.base_rev, "created_at": self._now}
                for m, conflicts in outcome.conflicts for c in conflicts]
        insert_rows(self.session, SyncConflict.__table__, rows)

    def _keep_rejections(self, actor, outcome) -> None:
        rows = [{"id": new_id(), "organisation_id": actor.organisation_id,
                 "device_id": uuid.UUID(outcome.device_id), "mutation_id": m.mutation_id,
                 "collection": m.collection[:32], "record_id": m.id, "op": m.op,
                 **_keepable(m.fields, errors),
                 "errors_by_language": self._in_each_language(m), "created_at": self._now}
                for m, errors in outcome.rejections]
        insert_rows(self.session, SyncRejection.__table__, rows)

    def _in_each_language(self, mutation) -> dict:
        """A refused mutation's errors, as kept, worded in each language of the service: a
        supervisor reading them later may read the other language from the worker's."""
        errors = self._refusals[mutation.mutation_id]
        worded = {}
        for language in supported_languages():
            with force_locale(language):
                worded[language] = _keepable(mutation.fields, _messages(errors))["errors"]
        return worded

    def _audit(self, actor, created: dict, updated: dict, deleted: dict) -> None:
        """Every record a push created, changed or deleted, in the audit trail."""
        records = [("sync-create", record.collection, record.id)
                   for records in created.values() for record in records]
        records += [("sync-update", record.collection, record.id)
                    for records in updated.values() for record in records]
        records += [("sync-delete", collection, record_id) for collection, record_id in deleted]
        for (action, collection), run in groupby(records, key=itemgetter(0, 1)):
            insert_many(self.session, AuditEvent.__table__, {
                "organisation_id": actor.organisation_id, "person_id": actor.id,
                "at": self._now, "action": action, "collection": collection},
                ("record_id",), [(record_id,) for _action, _collection, record_id in run])

    def _keep_results(self, outcome) -> None:
        if outcome.results:
            insert_rows(self.session, ResultBatch.__table__, [{
                "device_id": uuid.UUID(outcome.device_id),
                "first_mutation_id": outcome.results[0].mutation_id,
                "last_mutation_id": outcome.results[-1].mutation_id,
                "results": [result_as_json(r) for r in outcome.results]}])

    # --- pull -----------------------------------------------------------------------------
    def scope_key(self, actor: Person) -> str:
        """Changes when the person's role, team or organisation changes: an old cursor then
        cannot be trusted, and the device is told to pull from the start."""
        import hashlib

        basis = f"{actor.organisation_id}|{actor.role}|{actor.team_id}|{actor.id}"
        return hashlib.sha256(basis.encode()).hexdigest()[:12]

    def server_id(self) -> str:
        return self.session.scalar(select(RevisionCounter.server_id).where(
            RevisionCounter.id == 1)).replace("-", "")

    def current_revision(self) -> int:
        return self.session.scalar(select(RevisionCounter.value).where(RevisionCounter.id == 1))

    def changes_since(self, actor: Person, after_rev: int, limit: int) -> Page:
        # Every revision up to the committed counter belongs to a committed transaction (they
        # commit in the order they took revisions); reading only up to it, in every query,
        # means a page never holds a later revision while an earlier one is still missing.
        ceiling = self.current_revision()
        events, more = [], False
        for spec in COLLECTIONS.values():
            rows = plain_records(self.session, spec, spec.visible(actor).where(
                spec.model.rev > after_rev, spec.model.rev <= ceiling)
                .order_by(spec.model.rev).limit(limit + 1))
            more |= len(rows) > limit
            events += [(row.rev, spec, row) for row in rows[:limit]]
        removals = self.session.scalars(
            select(ScopeRemoval).where(ScopeRemoval.scope.in_(scope.scopes_of(actor)),
                                       ScopeRemoval.rev > after_rev, ScopeRemoval.rev <= ceiling)
            .order_by(ScopeRemoval.rev).limit(limit + 1)).all()
        more |= len(removals) > limit
        events += [(row.rev, None, row) for row in removals[:limit]]
        events.sort(key=lambda event: event[0])
        more |= len(events) > limit
        events = events[:limit]
        return Page(
            changes=self._dump_changes([(spec, row) for _rev, spec, row in events if spec]),
            removals=[Removal(row.collection, row.record_id, row.rev)
                      for _rev, spec, row in events if spec is None],
            last_rev=events[-1][0] if events else after_rev,
            more=more,
        )

    def _dump_changes(self, rows) -> list[Change]:
        ids = [row.id for _spec, row in rows]
        open_conflicts = {}
        if ids:
            for conflict in self.session.scalars(select(SyncConflict).where(
                    SyncConflict.record_id.in_(ids), SyncConflict.resolved_at.is_(None))):
                open_conflicts.setdefault(conflict.record_id, []).append({
                    "id": str(conflict.id), "field": conflict.field,
                    "server_value": conflict.server_value, "device_value": conflict.device_value})
        changes = []
        for spec, row in rows:
            record = quick_dumper(spec.schema)(row)
            record["_conflicts"] = open_conflicts.get(row.id, [])
            changes.append(Change(spec.name, row.id, row.rev, record))
        return changes


class _Powers(NamedTuple):
    work_on_cases: bool
    review: bool


class _ReadByChildren:
    """A stored parent's fields listed in its collection's read_by_children, as read from the
    driver, each made the Python value its column gives when first asked for: a push checks
    hundreds of interviews against their episodes' return times, and asks none for its child's
    id (an id made a UUID from its text costs more than the rest of reading it). Asked for
    another field, it fails loudly: that field was never read, and None would pass a check
    unseen."""

    __slots__ = ("_read", "_made", "_processors")

    def __init__(self, read: dict, processors: dict):
        self._read = read
        self._made = {}
        self._processors = processors

    def get(self, name, default=None):
        if name not in self._read:
            raise KeyError(f"{name} is not in read_by_children of its collection")
        if name not in self._made:
            value, process = self._read[name], self._processors[name]
            self._made[name] = process(value) if process and value is not None else value
        return self._made[name]


def _uuids(values) -> set[uuid.UUID]:
    """The values that are UUIDs, parsed (a mutation's own check words what is wrong with the
    others)."""
    found = set()
    for value in values:
        try:
            found.add(parse_id(value))
        except ValueError:
            continue
    return found


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


def open_conflict_count(session: Session, organisation_id) -> int:
    return session.scalar(select(func.count()).select_from(SyncConflict).where(
        SyncConflict.organisation_id == organisation_id, SyncConflict.resolved_at.is_(None)))
