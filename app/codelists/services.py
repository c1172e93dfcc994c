"""Code lists: loading them, and checking that a record uses only known codes."""

import uuid
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.codelists.models import CodeListItem
from app.core.errors import ValidationFailed
from app.core.messages import unknown_codes
from app.core.reference import read_json, upsert_by_key

DATA_FILE = Path(__file__).parent / "data" / "codelists.json"


def load_code_lists(session: Session, path: Path = DATA_FILE) -> int:
    lists = read_json(path)["lists"]
    count = 0
    for list_name, definition in lists.items():
        for position, item in enumerate(definition["items"]):
            upsert_by_key(
                session,
                CodeListItem,
                {"list_name": list_name, "code": item["code"]},
                {"label_en": item["en"], "label_cy": item["cy"], "position": position},
            )
            count += 1
    return count


def list_titles(path: Path = DATA_FILE) -> dict[str, dict[str, str]]:
    return {name: d["label"] for name, d in read_json(path)["lists"].items()}


def list_codes(path: Path = DATA_FILE) -> dict[str, set[str]]:
    """Each shipped list's codes, for checking a definition that names them."""
    return {name: {item["code"] for item in d["items"]} for name, d in read_json(path)["lists"].items()}


def usable_items(organisation_id: uuid.UUID):
    """The core items and the organisation's own, never another organisation's."""
    return select(CodeListItem).where(
        CodeListItem.active,
        or_(CodeListItem.organisation_id.is_(None),
            CodeListItem.organisation_id == organisation_id),
    )


def known_codes(session: Session, organisation_id: uuid.UUID, list_names=None) -> set[tuple]:
    """(list name, code) pairs this organisation may use."""
    stmt = usable_items(organisation_id).with_only_columns(CodeListItem.list_name,
                                                           CodeListItem.code)
    if list_names is not None:
        stmt = stmt.where(CodeListItem.list_name.in_(set(list_names)))
    return {(list_name, code) for list_name, code in session.execute(stmt)}


def code_errors(known: set[tuple], used: dict[str, tuple]) -> dict[str, list]:
    """used maps a field name to (list name, code or list of codes); unknown codes fail by field."""
    errors = {}
    for field_name, (list_name, value) in used.items():
        codes = value if isinstance(value, list) else [value]
        unknown = [c for c in codes if c is not None and (list_name, c) not in known]
        if unknown:
            errors[field_name] = [unknown_codes(unknown)]
    return errors


def check_codes(session: Session, organisation_id: uuid.UUID, used: dict[str, tuple]) -> None:
    known = known_codes(session, organisation_id, {name for name, _value in used.values()})
    errors = code_errors(known, used)
    if errors:
        raise ValidationFailed(errors)


def code_labels(session: Session, organisation_id: uuid.UUID, language: str) -> dict[tuple, str]:
    """(list name, code) -> the label in this language, for the codes this organisation uses
    (inactive ones too: an old record may hold a code no longer offered)."""
    stmt = select(CodeListItem).where(or_(CodeListItem.organisation_id.is_(None),
                                          CodeListItem.organisation_id == organisation_id))
    label = "label_cy" if language == "cy" else "label_en"
    return {(item.list_name, item.code): getattr(item, label) for item in session.scalars(stmt)}
