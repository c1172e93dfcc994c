"""Loading reference data (code lists, areas, questionnaires) from the data files into the
database. Loading is an upsert by natural key, so running it again changes nothing."""

import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session


def read_json(path: Path):
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def upsert_by_key(session: Session, model, key: dict, values: dict):
    """Inserts the row, or updates only the columns that differ (so revisions move only on change)."""
    existing = session.scalars(select(model).filter_by(**key)).first()
    if existing is None:
        existing = model(**key, **values)
        session.add(existing)
        return existing
    for name, value in values.items():
        if getattr(existing, name) != value:
            setattr(existing, name, value)
    return existing
