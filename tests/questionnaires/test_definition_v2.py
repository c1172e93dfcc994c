"""Version 2 of the return interview: the young person's own section, one question a screen,
in plain words a child can read, with faces, cards and questions asked only when they fit."""

import copy
import json
import re
from pathlib import Path

import pytest
from marshmallow import ValidationError
from sqlalchemy import select

from app.questionnaires.models import QuestionnaireVersion
from app.questionnaires.schemas import SELF_REPORT_FIELDS, QuestionnaireDefinitionSchema
from app.questionnaires.services import all_questions, current_version

DATA = Path(__file__).resolve().parents[2] / "app" / "questionnaires" / "data"
CONTRACT_ORDER = [
    ("yp_feeling_before", "scale", "feeling_before"), ("yp_feeling_away", "scale", "feeling_away"),
    ("yp_feeling_today", "scale", "feeling_now"), ("yp_feel_safe_now", "boolean", None),
    ("yp_why_left", "cards", "reasons"), ("yp_why_left_other", "textarea", None),
    ("yp_where_who", "textarea", None), ("yp_hurt", "single", "hurt"),
    ("yp_hurt_more", "textarea", None), ("yp_make_things_better", "textarea", None),
    ("yp_stop_next_time", "textarea", None), ("yp_talk_to", "multiple", "talk_to"),
    ("yp_talk_to_who", "textarea", None), ("yp_tell_adults", "textarea", None),
    ("yp_where_live", "textarea", None), ("yp_feel_safe_where_live", "textarea", None),
]


def read(version: int) -> dict:
    return json.loads((DATA / f"return-interview-v{version}.json").read_text(encoding="utf-8"))


@pytest.fixture
def v2() -> dict:
    return read(2)


def young_person(definition: dict) -> dict:
    return next(p for p in definition["parts"] if p["audience"] == "young_person")


def question(definition: dict, qid: str) -> dict:
    return next(q for q in all_questions(definition) if q["id"] == qid)


def refusal(definition: dict) -> str:
    with pytest.raises(ValidationError) as raised:
        QuestionnaireDefinitionSchema().load(definition)
    return json.dumps(raised.value.messages)


def test_version_two_keeps_the_workers_part_and_asks_one_question_a_screen(v2):
    QuestionnaireDefinitionSchema().load(v2)
    assert v2["parts"][0] == read(1)["parts"][0]
    screens = young_person(v2)["screens"]
    assert all(len(s["questions"]) == 1 and s["id"] == s["questions"][0]["id"] for s in screens)
    asked = [(s["questions"][0]["id"], s["questions"][0]["type"], s["questions"][0]["field"])
             for s in screens]
    assert asked == CONTRACT_ORDER
    assert all(not s["questions"][0]["required"] for s in screens)
    assert {f for _q, _t, f in CONTRACT_ORDER if f} == set(SELF_REPORT_FIELDS)


def test_sensitive_questions_say_why_in_both_languages(v2):
    sensitive = [q for q in all_questions(v2) if q.get("sensitive")]
    assert [q["id"] for q in sensitive] == ["yp_why_left", "yp_where_who", "yp_hurt"]
    assert all(q["why"]["en"] and q["why"]["cy"] for q in sensitive)


def syllables(word: str) -> int:
    word = re.sub(r"(?:[^laeiouy]es|ed|[^laeiouy]e)$", "", word.lower().strip("'"))
    return 1 if len(word) <= 3 else max(1, len(re.findall(r"[aeiouy]{1,2}", word)))


def test_the_childs_english_reads_easily(v2):
    """Flesch reading ease of everything the child reads in English, at least 80."""
    texts = []
    for q in all_questions({"parts": [young_person(v2)]}):
        texts += [q["label"]["en"], q.get("hint", {}).get("en", ""), q.get("why", {}).get("en", "")]
        texts += [o["label"]["en"] + "." for o in q.get("options", [])]
    text = " ".join(t for t in texts if t)
    words = re.findall(r"[A-Za-z']+", text)
    sentences = len(re.findall(r"[.?!]+", text))
    ease = 206.835 - 1.015 * len(words) / sentences \
        - 84.6 * sum(syllables(w) for w in words) / len(words)
    assert ease >= 80


def test_cards_name_codes_of_their_lists(v2):
    cards = question(v2, "yp_why_left")["options"]
    assert 9 <= len(cards) <= 11
    assert {"push_factor", "pull_factor"} == {c["code_list"] for c in cards}
    assert ("push_factor", "other") in {(c["code_list"], c["code"]) for c in cards}
    changed = copy.deepcopy(v2)
    question(changed, "yp_why_left")["options"][0]["code"] = "no_such_code"
    assert "no_such_code is not a code of push_factor" in refusal(changed)


def test_a_condition_on_cards_names_one_of_its_cards(v2):
    changed = copy.deepcopy(v2)
    question(changed, "yp_why_left_other")["show_if"]["includes"] = "other"
    assert "includes none of the cards" in refusal(changed)


def test_a_fact_condition_names_a_known_fact_and_true_or_false(v2):
    for condition in ({"fact": "out_of_area", "equals": "yes"}, {"fact": "no_such_fact",
                                                                  "equals": True},
                      {"fact": "out_of_area", "question": "yp_hurt", "equals": True}):
        changed = copy.deepcopy(v2)
        question(changed, "yp_where_live")["show_if"] = condition
        refusal(changed)


def test_a_sensitive_question_must_say_why(v2):
    changed = copy.deepcopy(v2)
    del question(changed, "yp_hurt")["why"]
    assert "says why" in refusal(changed)


def test_fields_belong_to_their_part(v2):
    changed = copy.deepcopy(v2)
    question(changed, "yp_tell_adults")["field"] = "notes"
    assert "not a field of the young_person part" in refusal(changed)
    changed = copy.deepcopy(v2)
    question(changed, "yp_hurt")["type"] = "scale"
    assert "hurt must be a single question" in refusal(changed)


def test_cards_and_only_cards_list_options(v2):
    changed = copy.deepcopy(v2)
    question(changed, "yp_hurt")["options"] = question(changed, "yp_why_left")["options"]
    assert "only they, list options" in refusal(changed)


def test_version_two_is_published_and_current_for_new_interviews(session, world):
    published = session.scalars(select(QuestionnaireVersion).filter_by(
        key="return-interview", version=2)).one()
    assert current_version(session, world.org_a.id).id == published.id
