"""The checks a record answering a questionnaire obeys, written once for the API and sync."""

from flask_babel import lazy_gettext as _l

from app.core.rules import Change
from app.questionnaires.models import QuestionnaireVersion
from app.questionnaires.services import current_version_id, local_answer_errors, usable_versions

NO_SUCH_VERSION = _l("No such questionnaire version.")


def current_version_of(change: Change):
    """The questionnaire version a new record answers unless it names one: the organisation's
    current version, read once a push."""
    organisation_id = change.actor.organisation_id
    return change.remembered(("current version", organisation_id),
                             lambda: current_version_id(change.session, organisation_id))


def questionnaire_errors(change: Change) -> dict:
    """The version must be one this organisation may use, and local answers must answer its
    local questions."""
    if not change.sets("questionnaire_version_id") and not change.parsed.get("local_answers"):
        return {}  # most changes: neither is set
    version_id = change.merged.get("questionnaire_version_id")
    if change.sets("questionnaire_version_id") and not _usable(change, version_id):
        return {"questionnaire_version_id": [NO_SUCH_VERSION]}
    if change.parsed.get("local_answers"):
        return local_answer_errors(change.session, version_id, change.parsed["local_answers"])
    return {}


def _usable(change: Change, version_id) -> bool:
    stmt = usable_versions(change.actor.organisation_id).with_only_columns(
        QuestionnaireVersion.id).where(QuestionnaireVersion.id == version_id)
    return version_id is not None and change.session.scalar(stmt) is not None


