"""JSON routes for questionnaire versions (read-only: versions are published from data files)."""

from app.api.resources import Resource
from app.questionnaires import schemas, services
from app.questionnaires.models import QuestionnaireVersion

RESOURCES = [
    Resource(
        name="questionnaires",
        model=QuestionnaireVersion,
        schema=schemas.QuestionnaireVersionSchema,
        query_schema=schemas.QuestionnaireQuery,
        visible=lambda person: services.usable_versions(person.organisation_id),
        audited=False,
        order_by=[QuestionnaireVersion.key, QuestionnaireVersion.version.desc()],
        description="Versions of the interview's questions, in Welsh and English.",
    ),
]
