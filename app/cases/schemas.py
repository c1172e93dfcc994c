from marshmallow import ValidationError, fields, validate, validates_schema

from app.cases import derived
from app.cases.rules import return_time_errors
from app.core.schemas import LANGUAGE, PageQuery, RecordSchema, bilingual, code, instant, text


class AreaSchema(RecordSchema):
    code = fields.String(dump_only=True)
    kind = fields.String(dump_only=True)
    country = fields.String(dump_only=True)
    name = fields.Function(lambda area: bilingual(area, "name"), dump_only=True)
    police_force_code = fields.String(dump_only=True)


class AreaQuery(PageQuery):
    kind = fields.String(validate=validate.OneOf(["local_authority", "police_force"]))
    country = fields.String(validate=validate.OneOf(["wales", "england"]))
    police_force_code = fields.String()


class ChildSchema(RecordSchema):
    organisation_id = fields.UUID(dump_only=True)
    team_id = fields.UUID(allow_none=True)
    assigned_worker_id = fields.UUID(allow_none=True)
    given_name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    family_name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    date_of_birth = fields.Date(allow_none=True)
    preferred_language = fields.String(allow_none=True, validate=LANGUAGE)
    looked_after = fields.Boolean()
    placing_authority_code = code()
    host_authority_code = code()
    residential_placement = fields.Boolean()
    unaccompanied_asylum_seeking = fields.Boolean()
    out_of_area = fields.Function(derived.is_out_of_area, dump_only=True)
    placed_outside_wales = fields.Function(derived.is_placed_outside_wales, dump_only=True)


class ChildQuery(PageQuery):
    assigned_worker_id = fields.UUID()
    looked_after = fields.Boolean()


class EpisodeSchema(RecordSchema):
    organisation_id = fields.UUID(dump_only=True)
    child_id = fields.UUID(required=True)
    reported_missing_at = instant(required=True, allow_none=False)
    returned_at = instant()
    return_method = code()
    risk_grade = code()
    reporting_force_code = code()
    where_found = text(2000)
    # The return notice and the child's wish about their worker, recorded at intake
    # (app/intake): read by the API and the tablets, written by the server alone.
    notified_by = fields.String(dump_only=True)
    notified_at = instant(dump_only=True)
    worker_wish = fields.String(dump_only=True)
    episode_length_minutes = fields.Function(derived.episode_length_minutes, dump_only=True)
    episodes_last_4_weeks = fields.Function(
        lambda episode: derived.episodes_within(episode, derived.FOUR_WEEKS), dump_only=True)
    episodes_last_12_months = fields.Function(
        lambda episode: derived.episodes_within(episode, derived.TWELVE_MONTHS), dump_only=True)

    @validates_schema
    def return_after_report(self, data, **kwargs):
        errors = return_time_errors(data.get("reported_missing_at"), data.get("returned_at"))
        for name, messages in errors.items():
            raise ValidationError([str(message) for message in messages], name)


class EpisodeQuery(PageQuery):
    child_id = fields.UUID()
    returned = fields.Boolean()
