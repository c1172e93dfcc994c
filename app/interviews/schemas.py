from marshmallow import fields, validate

from app.core.schemas import LANGUAGE, PageQuery, RecordSchema, code, instant, text
from app.interviews import clock
from app.interviews.models import Consent, InterviewStatus

STATUS = validate.OneOf([s.value for s in InterviewStatus])


def _returned_at(interview):
    return interview.episode.returned_at if interview.episode else None


def codes():
    """A list of codes from one code list (the service checks them against the list)."""
    return fields.List(fields.String(validate=validate.Length(min=1, max=64)),
                       validate=validate.Length(max=50))


class InterviewSchema(RecordSchema):
    organisation_id = fields.UUID(dump_only=True)
    episode_id = fields.UUID(required=True)
    interviewer_id = fields.UUID(allow_none=True)
    status = fields.String(validate=STATUS)
    questionnaire_version_id = fields.UUID(allow_none=True)
    offered_at = instant()
    consent = fields.String(validate=validate.OneOf([c.value for c in Consent]))
    consent_recorded_at = instant()
    declined_by = code()
    decline_reason = code()
    conducted_at = instant()
    location = code()
    interviewer_type = code()
    interviewer_organisation = text(200)
    independent_of_police = fields.Boolean(allow_none=True)
    independent_of_local_authority = fields.Boolean(allow_none=True)
    independent_of_placement = fields.Boolean(allow_none=True)
    child_chose_known_adult = fields.Boolean(allow_none=True)
    language = fields.String(allow_none=True, validate=LANGUAGE)
    young_person_language = fields.String(allow_none=True, validate=LANGUAGE)
    duration_account = text(10000)
    why_missing = text(10000)
    what_happened = text(10000)
    where_and_with_whom = text(10000)
    feeling_before = text(10000)
    feeling_during = text(10000)
    feeling_after = text(10000)
    notes = text(20000)
    push_factors = codes()
    pull_factors = codes()
    harms = codes()
    vulnerabilities = codes()
    local_answers = fields.Dict(keys=fields.String(validate=validate.Length(max=64)))
    submitted_at = fields.AwareDateTime(dump_only=True)
    # Derived, never typed in.
    due_by = fields.Function(lambda i: _iso(clock.due_by(_returned_at(i))), dump_only=True)
    hours_to_interview = fields.Function(
        lambda i: clock.hours_to_interview(_returned_at(i), i.conducted_at), dump_only=True)
    within_72_hours = fields.Function(
        lambda i: clock.within_deadline(_returned_at(i), i.conducted_at), dump_only=True)


def _iso(moment):
    return moment.isoformat() if moment else None


class InterviewQuery(PageQuery):
    status = fields.String(validate=STATUS)
    episode_id = fields.UUID()
    interviewer_id = fields.UUID()


class AttemptSchema(RecordSchema):
    organisation_id = fields.UUID(dump_only=True)
    interview_id = fields.UUID(required=True)
    attempted_at = instant(required=True, allow_none=False)
    method = code(required=True, allow_none=False)
    outcome = code(required=True, allow_none=False)
    notes = text(5000)


class AttemptQuery(PageQuery):
    interview_id = fields.UUID()
