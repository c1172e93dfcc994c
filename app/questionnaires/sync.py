"""What a device is sent of the questionnaires: every version its organisation may use."""

from app.questionnaires.schemas import QuestionnaireVersionSchema
from app.questionnaires.services import usable_versions
from app.syncing.collections import ReferencePart


def questionnaire_versions(session, person):
    return session.scalars(usable_versions(person.organisation_id))


REFERENCE = (ReferencePart("questionnaires", questionnaire_versions,
                           QuestionnaireVersionSchema()),)
