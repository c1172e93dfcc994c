"""The shipped return-interview questionnaire, and the rules every published version keeps."""

import copy
import json
from collections import Counter
from pathlib import Path

import pytest
from marshmallow import ValidationError
from sqlalchemy import func, select

from app.core.errors import ValidationFailed
from app.questionnaires.models import QuestionnaireVersion
from app.questionnaires.schemas import CORE_FIELDS, QuestionnaireDefinitionSchema
from app.questionnaires.services import all_questions, content_hash, publish_version

APP = Path(__file__).resolve().parents[2] / "app"
DEFINITION_FILE = APP / "questionnaires" / "data" / "return-interview-v1.json"
CODELISTS_FILE = APP / "codelists" / "data" / "codelists.json"


@pytest.fixture
def shipped() -> dict:
    return json.loads(DEFINITION_FILE.read_text(encoding="utf-8"))


def first_question(definition: dict) -> dict:
    return definition["parts"][0]["screens"][0]["questions"][0]


def question(definition: dict, qid: str) -> dict:
    return next(q for q in all_questions(definition) if q["id"] == qid)


def validation_messages(error: ValidationError) -> str:
    return json.dumps(error.messages, ensure_ascii=False)


# The shipped definition.

def test_shipped_definition_loads(shipped):
    loaded = QuestionnaireDefinitionSchema().load(shipped)
    assert loaded["key"] == "return-interview"
    assert loaded["version"] == 1
    assert {part["audience"] for part in loaded["parts"]} == {"worker", "young_person"}


def bilingual_texts(definition: dict):
    yield "title", definition["title"]
    for part in definition["parts"]:
        yield part["id"], part["title"]
        for screen in part["screens"]:
            yield screen["id"], screen["title"]
            for q in screen["questions"]:
                yield q["id"] + ".label", q["label"]
                if "hint" in q:
                    yield q["id"] + ".hint", q["hint"]


def test_every_text_is_in_welsh_and_english(shipped):
    for where, texts in bilingual_texts(shipped):
        assert set(texts) == {"en", "cy"}, where
        assert texts["en"].strip() and texts["cy"].strip(), where


def test_every_question_has_a_welsh_and_english_label(shipped):
    questions = list(all_questions(shipped))
    assert questions
    for q in questions:
        assert q["label"]["en"].strip(), q["id"]
        assert q["label"]["cy"].strip(), q["id"]


def test_question_ids_are_unique(shipped):
    counts = Counter(q["id"] for q in all_questions(shipped))
    assert [qid for qid, n in counts.items() if n > 1] == []


def test_every_code_list_exists(shipped):
    lists = json.loads(CODELISTS_FILE.read_text(encoding="utf-8"))["lists"]
    named = [q for q in all_questions(shipped) if q.get("code_list")]
    assert named
    for q in named:
        assert q["code_list"] in lists, q["id"]
        assert q["type"] in ("single", "multiple"), q["id"]


def test_every_include_condition_names_a_code_of_the_list(shipped):
    lists = json.loads(CODELISTS_FILE.read_text(encoding="utf-8"))["lists"]
    for q in all_questions(shipped):
        condition = q.get("show_if") or {}
        if "includes" in condition:
            target = question(shipped, condition["question"])
            codes = {item["code"] for item in lists[target["code_list"]]["items"]}
            assert condition["includes"] in codes, q["id"]


def test_every_core_field_is_filled_exactly_once(shipped):
    filled = Counter(q["field"] for q in all_questions(shipped) if q.get("field"))
    assert set(filled) == set(CORE_FIELDS)
    assert all(n == 1 for n in filled.values()), filled
    for q in all_questions(shipped):
        if q.get("field"):
            assert q["type"] == CORE_FIELDS[q["field"]], q["id"]


def test_shipped_definition_is_loaded_as_version_one(session, shipped):
    stored = session.scalars(select(QuestionnaireVersion).filter_by(
        key="return-interview", version=1)).one()
    assert stored.organisation_id is None
    assert stored.content_hash == content_hash(QuestionnaireDefinitionSchema().load(shipped))


# Publishing versions.

def count_versions(session) -> int:
    return session.scalar(select(func.count()).select_from(QuestionnaireVersion))


def test_changed_content_under_the_same_version_is_refused(session, shipped):
    before = count_versions(session)
    changed = copy.deepcopy(shipped)
    first_question(changed)["label"]["en"] = "A different question"
    with pytest.raises(ValidationFailed) as raised:
        publish_version(session, changed)
    assert list(raised.value.errors) == ["version"]
    session.flush()
    assert count_versions(session) == before
    stored = session.scalars(select(QuestionnaireVersion).filter_by(
        key="return-interview", version=1)).one()
    assert first_question(stored.definition)["label"]["en"] == first_question(shipped)["label"][
        "en"]


def test_same_content_again_is_the_same_version(session, shipped):
    existing = session.scalars(select(QuestionnaireVersion).filter_by(
        key="return-interview", version=1)).one()
    before = count_versions(session)
    again = publish_version(session, copy.deepcopy(shipped))
    assert again.id == existing.id
    assert again.rev == existing.rev
    # Key order does not make content different.
    reordered = json.loads(json.dumps(shipped, sort_keys=True))
    assert publish_version(session, reordered).id == existing.id
    session.flush()
    assert count_versions(session) == before


def test_new_version_number_is_accepted(session, world, shipped):
    before = count_versions(session)
    changed = copy.deepcopy(shipped)
    changed["version"] = 5
    first_question(changed)["label"]["en"] = "A different question"
    published = publish_version(session, changed, organisation_id=world.org_a.id)
    session.flush()
    assert published.version == 5
    assert published.organisation_id == world.org_a.id
    assert published.rev > 0
    assert count_versions(session) == before + 1
    assert publish_version(session, copy.deepcopy(changed),
                           organisation_id=world.org_a.id).id == published.id
    session.flush()
    assert count_versions(session) == before + 1


def test_show_if_referring_to_a_later_question_is_refused(shipped):
    changed = copy.deepcopy(shipped)
    later = list(all_questions(changed))[1]["id"]
    first_question(changed)["show_if"] = {"question": later, "answered": True}
    with pytest.raises(ValidationError) as raised:
        QuestionnaireDefinitionSchema().load(changed)
    assert "earlier question" in validation_messages(raised.value)


def test_show_if_referring_to_a_later_question_cannot_be_published(session, shipped):
    changed = copy.deepcopy(shipped)
    changed["version"] = 3
    later = list(all_questions(changed))[1]["id"]
    first_question(changed)["show_if"] = {"question": later, "answered": True}
    before = count_versions(session)
    with pytest.raises(ValidationError):
        publish_version(session, changed)
    session.flush()
    assert count_versions(session) == before


def test_show_if_referring_to_itself_is_refused(shipped):
    changed = copy.deepcopy(shipped)
    q = first_question(changed)
    q["show_if"] = {"question": q["id"], "answered": True}
    with pytest.raises(ValidationError):
        QuestionnaireDefinitionSchema().load(changed)


def test_show_if_referring_to_an_unknown_question_is_refused(shipped):
    changed = copy.deepcopy(shipped)
    list(all_questions(changed))[-1]["show_if"] = {"question": "no_such_question",
                                                   "answered": True}
    with pytest.raises(ValidationError):
        QuestionnaireDefinitionSchema().load(changed)


def test_show_if_needs_exactly_one_condition(shipped):
    changed = copy.deepcopy(shipped)
    list(all_questions(changed))[1]["show_if"] = {"question": first_question(changed)["id"],
                                                  "answered": True, "equals": "x"}
    with pytest.raises(ValidationError):
        QuestionnaireDefinitionSchema().load(changed)


def test_core_field_filled_twice_is_refused(shipped):
    changed = copy.deepcopy(shipped)
    duplicate = copy.deepcopy(question(changed, "why_missing"))
    duplicate["id"] = "why_missing_again"
    changed["parts"][0]["screens"][0]["questions"].append(duplicate)
    with pytest.raises(ValidationError) as raised:
        QuestionnaireDefinitionSchema().load(changed)
    assert "filled twice" in validation_messages(raised.value)


def test_unknown_code_list_is_refused(shipped):
    changed = copy.deepcopy(shipped)
    question(changed, "push_factors")["code_list"] = "no_such_list"
    with pytest.raises(ValidationError) as raised:
        QuestionnaireDefinitionSchema().load(changed)
    assert "unknown code list" in validation_messages(raised.value)


def test_question_without_welsh_is_refused(shipped):
    changed = copy.deepcopy(shipped)
    first_question(changed)["label"]["cy"] = ""
    with pytest.raises(ValidationError):
        QuestionnaireDefinitionSchema().load(changed)
    del first_question(changed)["label"]["cy"]
    with pytest.raises(ValidationError):
        QuestionnaireDefinitionSchema().load(changed)


def test_duplicate_question_id_is_refused(shipped):
    changed = copy.deepcopy(shipped)
    list(all_questions(changed))[1]["id"] = first_question(changed)["id"]
    with pytest.raises(ValidationError):
        QuestionnaireDefinitionSchema().load(changed)
