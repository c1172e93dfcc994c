"""The shape of a questionnaire definition, checked whenever a version is published."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.core.schemas import PageQuery, RecordSchema

QUESTION_TYPES = ("text", "textarea", "single", "multiple", "boolean", "date", "datetime",
                  "number")
CHOICE_TYPES = ("single", "multiple")
# Core-dataset fields a question may fill: typed columns of a return interview.
CORE_FIELDS = {
    "duration_account": "textarea", "why_missing": "textarea", "what_happened": "textarea",
    "where_and_with_whom": "textarea", "feeling_before": "textarea",
    "feeling_during": "textarea", "feeling_after": "textarea", "notes": "textarea",
    "push_factors": "multiple", "pull_factors": "multiple", "harms": "multiple",
    "vulnerabilities": "multiple",
}
STABLE_ID = validate.Regexp(r"^[a-z][a-z0-9_]{0,63}$")


class BilingualText(Schema):
    en = fields.String(required=True, validate=validate.Length(min=1))
    cy = fields.String(required=True, validate=validate.Length(min=1))


class ShowIf(Schema):
    question = fields.String(required=True, validate=STABLE_ID)
    equals = fields.Raw()
    includes = fields.String()
    answered = fields.Boolean()

    @validates_schema
    def one_condition(self, data, **kwargs):
        conditions = [k for k in ("equals", "includes", "answered") if k in data]
        if len(conditions) != 1:
            raise ValidationError("give exactly one of equals, includes, answered")


class Question(Schema):
    id = fields.String(required=True, validate=STABLE_ID)
    type = fields.String(required=True, validate=validate.OneOf(QUESTION_TYPES))
    label = fields.Nested(BilingualText, required=True)
    hint = fields.Nested(BilingualText)
    code_list = fields.String()
    field = fields.String(allow_none=True, load_default=None,
                          validate=validate.OneOf(list(CORE_FIELDS)))
    required = fields.Boolean(load_default=False)
    show_if = fields.Nested(ShowIf)

    @validates_schema
    def choices_have_a_list(self, data, **kwargs):
        if (data.get("type") in CHOICE_TYPES) != ("code_list" in data):
            raise ValidationError("single and multiple questions, and only they, name a code_list",
                                  "code_list")
        if data.get("field") and CORE_FIELDS[data["field"]] != data.get("type"):
            raise ValidationError(f"{data['field']} must be a {CORE_FIELDS[data['field']]} question",
                                  "type")


class Screen(Schema):
    id = fields.String(required=True, validate=STABLE_ID)
    title = fields.Nested(BilingualText, required=True)
    questions = fields.List(fields.Nested(Question), required=True,
                            validate=validate.Length(min=1))


class Part(Schema):
    id = fields.String(required=True, validate=STABLE_ID)
    audience = fields.String(required=True, validate=validate.OneOf(["worker", "young_person"]))
    title = fields.Nested(BilingualText, required=True)
    screens = fields.List(fields.Nested(Screen), required=True, validate=validate.Length(min=1))


class QuestionnaireDefinitionSchema(Schema):
    key = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9-]{0,63}$"))
    version = fields.Integer(required=True, validate=validate.Range(min=1))
    title = fields.Nested(BilingualText, required=True)
    parts = fields.List(fields.Nested(Part), required=True, validate=validate.Length(min=1))

    @validates_schema
    def references_hold(self, data, **kwargs):
        from app.codelists.services import list_titles

        known_lists = set(list_titles())
        seen: set[str] = set()
        filled: set[str] = set()
        for part in data.get("parts", []):
            for screen in part["screens"]:
                for question in screen["questions"]:
                    _check_question(question, seen, filled, known_lists)


def _check_question(question: dict, seen: set, filled: set, known_lists: set) -> None:
    qid = question["id"]
    if qid in seen:
        raise ValidationError(f"question id {qid} is used twice", "parts")
    condition = question.get("show_if")
    if condition and condition["question"] not in seen:
        raise ValidationError(f"{qid}: show_if must refer to an earlier question", "parts")
    if question.get("code_list") and question["code_list"] not in known_lists:
        raise ValidationError(f"{qid}: unknown code list {question['code_list']}", "parts")
    if question.get("field"):
        if question["field"] in filled:
            raise ValidationError(f"{qid}: field {question['field']} is filled twice", "parts")
        filled.add(question["field"])
    seen.add(qid)


class QuestionnaireVersionSchema(RecordSchema):
    key = fields.String(dump_only=True)
    version = fields.Integer(dump_only=True)
    organisation_id = fields.UUID(dump_only=True)
    content_hash = fields.String(dump_only=True)
    definition = fields.Dict(dump_only=True)


class QuestionnaireQuery(PageQuery):
    key = fields.String()
