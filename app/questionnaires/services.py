"""Questionnaire versions: loading the data files, finding the current version, and checking
answers to local questions against the version they were given under."""

import hashlib
import json
import math
import uuid
from datetime import date, datetime
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.core.errors import ValidationFailed
from app.core.messages import (
    A_LIST,
    ENTER_A_DATE,
    ENTER_A_DATE_AND_TIME,
    ENTER_A_NUMBER,
    ENTER_TEXT,
    TRUE_OR_FALSE,
)
from app.core.reference import read_json
from app.questionnaires.models import QuestionnaireVersion
from app.questionnaires.schemas import QuestionnaireDefinitionSchema

DATA_DIR = Path(__file__).parent / "data"
CORE_KEY = "return-interview"


def content_hash(definition: dict) -> str:
    canonical = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def all_questions(definition: dict):
    for part in definition["parts"]:
        for screen in part["screens"]:
            yield from screen["questions"]


def publish_version(session: Session, definition: dict,
                    organisation_id: uuid.UUID | None = None) -> QuestionnaireVersion:
    """Stores a definition as a version. The same content again is the same version: a version
    that answers point at is never changed in place."""
    definition = QuestionnaireDefinitionSchema().load(definition)
    digest = content_hash(definition)
    existing = session.scalars(select(QuestionnaireVersion).filter_by(
        key=definition["key"], version=definition["version"])).first()
    if existing is not None:
        if existing.content_hash != digest:
            raise ValidationFailed({"version": [_l("This version exists with other content; "
                                                   "publish a new version number.")]})
        return existing
    version = QuestionnaireVersion(key=definition["key"], version=definition["version"],
                                   organisation_id=organisation_id, definition=definition,
                                   content_hash=digest)
    session.add(version)
    return version


def load_questionnaires(session: Session, directory: Path = DATA_DIR) -> int:
    files = sorted(directory.glob("*.json"))
    for path in files:
        publish_version(session, read_json(path))
    return len(files)


def usable_versions(organisation_id: uuid.UUID):
    return select(QuestionnaireVersion).where(or_(
        QuestionnaireVersion.organisation_id.is_(None),
        QuestionnaireVersion.organisation_id == organisation_id))


def _current_version_query(organisation_id: uuid.UUID, key: str):
    return (usable_versions(organisation_id).where(QuestionnaireVersion.key == key)
            .order_by(QuestionnaireVersion.version.desc()).limit(1))


def current_version(session: Session, organisation_id: uuid.UUID,
                    key: str = CORE_KEY) -> QuestionnaireVersion:
    return session.scalars(_current_version_query(organisation_id, key)).first()


def current_version_id(session: Session, organisation_id: uuid.UUID,
                       key: str = CORE_KEY) -> uuid.UUID | None:
    """current_version's id alone, without reading (and parsing) its whole definition."""
    return session.scalar(_current_version_query(organisation_id, key)
                          .with_only_columns(QuestionnaireVersion.id))


def local_answer_errors(session: Session, version_id: uuid.UUID | None, answers: dict) -> dict:
    """Answers to local questions must name questions of their version that fill no core field,
    each answer of the kind its question asks for (or null, for an answer taken back)."""
    version = session.get(QuestionnaireVersion, version_id) if version_id else None
    local = ({q["id"]: q for q in all_questions(version.definition) if q.get("field") is None}
             if version else {})
    unknown = sorted(set(answers) - set(local))
    if unknown:
        return {"local_answers": [
            _l("Not a local question of this questionnaire version: %(ids)s.",
               ids=", ".join(unknown))]}
    wrong = {question_id: [message] for question_id, value in answers.items()
             for message in [answer_kind_error(local[question_id]["type"], value)] if message}
    return {"local_answers": wrong} if wrong else {}


def _is_iso(value, parse) -> bool:
    try:
        parse(value)
        return True
    except (TypeError, ValueError):
        return False


def answer_kind_error(kind: str, value):
    """Why this value cannot answer a question of this type, or None. A boolean must be true or
    false itself: the text "false" would read back as a yes."""
    if value is None:
        return None
    if kind == "boolean":
        return None if isinstance(value, bool) else TRUE_OR_FALSE
    if kind == "number":
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        return None if is_number and math.isfinite(value) else ENTER_A_NUMBER
    if kind in ("multiple", "cards"):
        return None if isinstance(value, list) and all(isinstance(v, str) for v in value) \
            else A_LIST
    if not isinstance(value, str):
        return ENTER_TEXT
    if kind == "date":
        return None if _is_iso(value, date.fromisoformat) and len(value) == 10 else ENTER_A_DATE
    if kind == "datetime":
        return None if _is_iso(value, datetime.fromisoformat) else ENTER_A_DATE_AND_TIME
    return None
