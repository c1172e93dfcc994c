"""The shape of a questionnaire definition, checked whenever a version is published.

New keys are never given load defaults: a version's content hash is taken of the loaded
definition, and a published version must keep its hash."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.core.schemas import PageQuery, RecordSchema

QUESTION_TYPES = ("text", "textarea", "single", "multiple", "boolean", "date", "datetime",
                  "number", "scale", "cards")
# Questions that choose from one code list ("scale": one choice of an ordered list, as faces).
CHOICE_TYPES = ("single", "multiple", "scale")
# Core-dataset fields a worker's question may fill: typed columns of a return interview.
CORE_FIELDS = {
    "duration_account": "textarea", "why_missing": "textarea", "what_happened": "textarea",
    "where_and_with_whom": "textarea", "feeling_before": "textarea",
    "feeling_during": "textarea", "feeling_after": "textarea", "notes": "textarea",
    "push_factors": "multiple", "pull_factors": "multiple", "harms": "multiple",
    "vulnerabilities": "multiple",
}
# Fields of the young person's self-report a young_person question may fill. "reasons" is a
# cards question's answer, "<code_list>:<code>" strings kept by list as push_factors and
# pull_factors.
SELF_REPORT_FIELDS = {
    "feeling_before": "scale", "feeling_away": "scale", "feeling_now": "scale",
    "hurt": "single", "talk_to": "multiple", "reasons": "cards",
}
FIELDS_OF = {"worker": CORE_FIELDS, "young_person": SELF_REPORT_FIELDS}
# The lists a card may come from, and where a cards answer's codes are kept.
CARD_FIELDS = {"push_factor": "push_factors", "pull_factor": "pull_factors"}
PICTURES = ("home", "family", "friends", "school", "rules", "sad", "money", "party", "love",
            "bored", "other")
FACTS = ("out_of_area",)
STABLE_ID = validate.Regexp(r"^[a-z][a-z0-9_]{0,63}$")


class BilingualText(Schema):
    en = fields.String(required=True, validate=validate.Length(min=1))
    cy = fields.String(required=True, validate=validate.Length(min=1))


class ShowIf(Schema):
    """Asked only when an earlier question's answer, or a fact about the child, holds."""
    question = fields.String(validate=STABLE_ID)
    fact = fields.String(validate=validate.OneOf(FACTS))
    equals = fields.Raw()
    includes = fields.String()
    answered = fields.Boolean()

    @validates_schema
    def one_condition(self, data, **kwargs):
        conditions = [k for k in ("equals", "includes", "answered") if k in data]
        if len(conditions) != 1:
            raise ValidationError("give exactly one of equals, includes, answered")
        if ("question" in data) == ("fact" in data):
            raise ValidationError("give exactly one of question, fact")
        if "fact" in data and not isinstance(data.get("equals"), bool):
            raise ValidationError("a fact is true or false: give equals true or false")


class CardOption(Schema):
    code_list = fields.String(required=True, validate=validate.OneOf(list(CARD_FIELDS)))
    code = fields.String(required=True)
    label = fields.Nested(BilingualText, required=True)
    picture = fields.String(required=True, validate=validate.OneOf(PICTURES))


class Question(Schema):
    id = fields.String(required=True, validate=STABLE_ID)
    type = fields.String(required=True, validate=validate.OneOf(QUESTION_TYPES))
    label = fields.Nested(BilingualText, required=True)
    hint = fields.Nested(BilingualText)
    code_list = fields.String()
    options = fields.List(fields.Nested(CardOption), validate=validate.Length(min=1))
    field = fields.String(allow_none=True, load_default=None,
                          validate=validate.OneOf(list(CORE_FIELDS | SELF_REPORT_FIELDS)))
    required = fields.Boolean(load_default=False)
    sensitive = fields.Boolean()
    why = fields.Nested(BilingualText)
    show_if = fields.Nested(ShowIf)

    @validates_schema
    def choices_have_a_list(self, data, **kwargs):
        if (data.get("type") in CHOICE_TYPES) != ("code_list" in data):
            raise ValidationError("single, multiple and scale questions, and only they, name a "
                                  "code_list", "code_list")
        if (data.get("type") == "cards") != ("options" in data):
            raise ValidationError("cards questions, and only they, list options", "options")
        if data.get("sensitive") and "why" not in data:
            raise ValidationError("a sensitive question says why it is asked", "why")


class Screen(Schema):
    id = fields.String(required=True, validate=STABLE_ID)
    title = fields.Nested(BilingualText, required=True)
    questions = fields.List(fields.Nested(Question), required=True,
                            validate=validate.Length(min=1))


class Part(Schema):
    id = fields.String(required=True, validate=STABLE_ID)
    audience = fields.String(required=True, validate=validate.OneOf(list(FIELDS_OF)))
    title = fields.Nested(BilingualText, required=True)
    screens = fields.List(fields.Nested(Screen), required=True, validate=validate.Length(min=1))


class QuestionnaireDefinitionSchema(Schema):
    key = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9-]{0,63}$"))
    version = fields.Integer(required=True, validate=validate.Range(min=1))
    title = fields.Nested(BilingualText, required=True)
    parts = fields.List(fields.Nested(Part), required=True, validate=validate.Length(min=1))

    @validates_schema
    def references_hold(self, data, **kwargs):
        from app.codelists.services import list_codes

        known = {"lists": list_codes(), "questions": {}, "filled": set()}
        for part in data.get("parts", []):
            for screen in part["screens"]:
                for question in screen["questions"]:
                    _check_question(question, part["audience"], known)


def _check_question(question: dict, audience: str, known: dict) -> None:
    qid = question["id"]
    if qid in known["questions"]:
        raise ValidationError(f"question id {qid} is used twice", "parts")
    _check_condition(qid, question.get("show_if"), known["questions"])
    if question.get("code_list") and question["code_list"] not in known["lists"]:
        raise ValidationError(f"{qid}: unknown code list {question['code_list']}", "parts")
    for option in question.get("options", []):
        if option["code"] not in known["lists"].get(option["code_list"], ()):
            raise ValidationError(f"{qid}: {option['code']} is not a code of "
                                  f"{option['code_list']}", "parts")
    _check_field(question, audience, known["filled"])
    known["questions"][qid] = question


def _check_condition(qid: str, condition: dict | None, earlier: dict) -> None:
    if not condition or "fact" in condition:
        return
    if condition["question"] not in earlier:
        raise ValidationError(f"{qid}: show_if must refer to an earlier question", "parts")
    target = earlier[condition["question"]]
    cards = {f"{o['code_list']}:{o['code']}" for o in target.get("options", [])}
    if target["type"] == "cards" and condition.get("includes", next(iter(cards))) not in cards:
        raise ValidationError(f"{qid}: show_if includes none of the cards of "
                              f"{condition['question']}", "parts")


def _check_field(question: dict, audience: str, filled: set) -> None:
    name, qid = question.get("field"), question["id"]
    if not name:
        return
    fields_here = FIELDS_OF[audience]
    if name not in fields_here:
        raise ValidationError(f"{qid}: {name} is not a field of the {audience} part", "parts")
    if fields_here[name] != question["type"]:
        raise ValidationError(f"{name} must be a {fields_here[name]} question", "type")
    if (audience, name) in filled:
        raise ValidationError(f"{qid}: field {name} is filled twice", "parts")
    filled.add((audience, name))


class QuestionnaireVersionSchema(RecordSchema):
    key = fields.String(dump_only=True)
    version = fields.Integer(dump_only=True)
    organisation_id = fields.UUID(dump_only=True)
    content_hash = fields.String(dump_only=True)
    definition = fields.Dict(dump_only=True)


class QuestionnaireQuery(PageQuery):
    key = fields.String()
