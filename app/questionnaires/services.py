"""Questionnaire versions: loading the data files, finding the current version, and checking
answers to local questions against the version they were given under."""

import hashlib
import json
import uuid
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.core.errors import ValidationFailed
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


def current_version(session: Session, organisation_id: uuid.UUID,
                    key: str = CORE_KEY) -> QuestionnaireVersion:
    stmt = (usable_versions(organisation_id).where(QuestionnaireVersion.key == key)
            .order_by(QuestionnaireVersion.version.desc()))
    return session.scalars(stmt).first()


def check_local_answers(session: Session, version_id: uuid.UUID | None, answers: dict) -> None:
    """Answers to local questions must name questions of their version that fill no core field."""
    version = session.get(QuestionnaireVersion, version_id) if version_id else None
    local_ids = ({q["id"] for q in all_questions(version.definition) if q.get("field") is None}
                 if version else set())
    unknown = sorted(set(answers) - local_ids)
    if unknown:
        raise ValidationFailed({"local_answers": [
            _l("Not a local question of this questionnaire version: %(ids)s.",
               ids=", ".join(unknown))]})
