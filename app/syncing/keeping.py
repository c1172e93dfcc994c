"""What a push keeps for people to see: its conflicts, its refusals (worded in each language of
the service), and its results (a repeated mutation is answered with its first result)."""

import uuid
from datetime import date, datetime
from enum import Enum

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.api.resources import nests_deeper_than
from app.core.bulk import insert_rows
from app.core.errors import field_errors
from app.core.ids import new_id
from app.i18n import supported_languages
from app.syncing.models import ResultBatch, SyncConflict, SyncRejection
from sync.protocol import Result
from sync.store import BatchOutcome


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


def keepable(fields: dict, errors: dict) -> dict:
    """A rejected mutation's fields and errors as they are kept: as sent, except that a value
    nested too deeply is kept as null, with a message saying so among its errors."""
    too_deep = [name for name, value in fields.items()
                if nests_deeper_than(value, MOST_KEPT_NESTING)]
    if not too_deep:
        return {"fields": to_json(fields), "errors": to_json(errors)}
    kept = {name: None if name in too_deep else value for name, value in fields.items()}
    noted = {**errors, **{name: [*errors.get(name, []), str(TOO_DEEP_TO_KEEP)]
                          for name in too_deep}}
    return {"fields": to_json(kept), "errors": to_json(noted)}


def worded(errors: dict) -> dict[str, list[str]]:
    """Errors as the checks gave them (lazy, nested) worded in the reader's language."""
    if not errors:  # the usual case, worth no walk
        return {}
    return {e["field"]: e["messages"] for e in field_errors(errors)}


def keep(session: Session, organisation_id, outcome: BatchOutcome, refusals: dict, now) -> None:
    """refusals: the errors of each refused mutation, by mutation_id, as the checks gave them."""
    device_id = uuid.UUID(outcome.device_id)
    insert_rows(session, SyncConflict.__table__, [
        {"id": new_id(), "organisation_id": organisation_id, "collection": m.collection,
         "record_id": m.id, "field": c.field, "server_value": to_json(c.server_value),
         "device_value": to_json(c.device_value), "device_id": device_id,
         "mutation_id": m.mutation_id, "base_rev": m.base_rev, "created_at": now}
        for m, conflicts in outcome.conflicts for c in conflicts])
    insert_rows(session, SyncRejection.__table__, [
        {"id": new_id(), "organisation_id": organisation_id, "device_id": device_id,
         "mutation_id": m.mutation_id, "collection": m.collection[:32], "record_id": m.id,
         "op": m.op, **keepable(m.fields, errors),
         "errors_by_language": _in_each_language(m.fields, refusals[m.mutation_id]),
         "created_at": now}
        for m, errors in outcome.rejections])
    if outcome.results:
        insert_rows(session, ResultBatch.__table__, [{
            "device_id": device_id,
            "first_mutation_id": outcome.results[0].mutation_id,
            "last_mutation_id": outcome.results[-1].mutation_id,
            "results": [result_as_json(r) for r in outcome.results]}])


def _in_each_language(fields: dict, errors: dict) -> dict:
    """A refused mutation's errors, as kept, worded in each language of the service: a
    supervisor reading them later may read the other language from the worker's."""
    by_language = {}
    for language in supported_languages():
        with force_locale(language):
            by_language[language] = keepable(fields, worded(errors))["errors"]
    return by_language
