from marshmallow import fields, validate

from app.core.schemas import LANGUAGE, PageQuery, RecordSchema, code, instant
from app.interviews.schemas import codes
from app.youngperson.models import QUESTION_STATES

QUESTION_ID = fields.String(validate=validate.Length(min=1, max=64))


class SelfReportSchema(RecordSchema):
    organisation_id = fields.UUID(dump_only=True)
    interview_id = fields.UUID(required=True)
    questionnaire_version_id = fields.UUID(required=True)
    language = fields.String(required=True, validate=LANGUAGE)
    first_language = code()
    interpreter = fields.Boolean(allow_none=True)
    handed_over_at = instant(required=True, allow_none=False)
    started_at = instant()
    finished_at = instant()
    handed_back_at = instant()
    feeling_before = code()
    feeling_away = code()
    feeling_now = code()
    hurt = code()
    push_factors = codes()
    pull_factors = codes()
    talk_to = codes()
    advocate_requested = fields.Boolean(allow_none=True)
    advocate_requested_at = instant()
    answers = fields.Dict(keys=QUESTION_ID)
    question_states = fields.Dict(keys=QUESTION_ID,
                                  values=fields.String(validate=validate.OneOf(QUESTION_STATES)))


class SelfReportQuery(PageQuery):
    interview_id = fields.UUID()
