"""Records for a pull read as plain rows, not ORM objects.

A pull dumps thousands of records with their schemas. Loading each as an ORM object, with the
related objects its derived fields read (an episode's child and the child's episodes, say),
was half the time of a pull; marshmallow's dump was most of the rest (see app/core/dumping.py).
Here each record is a plain object holding its columns, and, under the same names as the
model's relationships, just what the schema's derived fields read of its relations (each
collection's pull_relations, declared in its capability's sync.py). A derived
field that comes to read something else fails loudly (AttributeError) in the tests, which hold
each dump equal to the schema's dump of the ORM object (tests/sync/test_plain_records.py).

Measured gain, with plain_records.py and dumping.py together: they save 37% of a pull; ORM
objects (selectinload) dumped by schema.dump took 1.60 of the time (1.34 to 1.66, four runs,
5 December 2026).
"""

from types import SimpleNamespace

from sqlalchemy.orm import Session

from app.syncing.collections import SyncCollection

# Never sent by a pull, and costly to read back (grouped JSON turned into a dict by field).
NOT_PULLED = frozenset({"field_sources"})


def plain_records(session: Session, spec: SyncCollection, stmt) -> list[SimpleNamespace]:
    """The records a SELECT of spec.model (the visible records, say) finds, in its order."""
    names = [attribute.key for attribute in spec.model.__mapper__.column_attrs
             if attribute.key not in NOT_PULLED]
    # On the session's connection: the session's own execute would pass each row through the
    # ORM's loading steps. Its pending changes are written first, as its execute would.
    session.flush()
    rows = session.connection().execute(stmt.with_only_columns(
        *(getattr(spec.model, name) for name in names))).all()
    records = [SimpleNamespace(**dict(zip(names, row, strict=True))) for row in rows]
    if records and spec.pull_relations:
        spec.pull_relations(session, records)
    return records
