"""The young person's own section read back from their self-report (questionnaire version 2
on): each question in the reader's language with the child's answer, coded answers named by
their code lists, "chose not to say" apart from "not reached", and the facts of the hand-over."""

from dataclasses import dataclass
from datetime import datetime

from app.cases.derived import is_out_of_area
from app.questionnaires.schemas import CARD_FIELDS
from app.review.answers import (
    Answer,
    SheetPart,
    condition_holds,
    is_answered,
    keyed,
    word_answer,
)

STATE_KINDS = {"skipped": "skipped", "not_reached": "not_reached"}


@dataclass
class HandOver:
    """How the section was given: the child's first language (named in the reader's language)
    and whether an interpreter read it to them, its times, and whether they asked for an
    advocate."""

    first_language: str | None
    interpreter: bool | None
    handed_over_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    handed_back_at: datetime | None
    advocate_requested: bool | None
    advocate_requested_at: datetime | None


def hand_over(report, labels: dict) -> HandOver:
    first = report.first_language
    return HandOver(labels.get(("first_language", first), first) if first else None,
                    report.interpreter, report.handed_over_at, report.started_at,
                    report.finished_at, report.handed_back_at, report.advocate_requested,
                    report.advocate_requested_at)


def reported(report, question: dict):
    """What the report holds for a question: its field's value, a cards question's
    "<list>:<code>" reasons, or its answer."""
    field = question.get("field")
    if field == "reasons":
        return [f"{name}:{code}" for name, attribute in CARD_FIELDS.items()
                for code in getattr(report, attribute)]
    if field:
        return getattr(report, field)
    return (report.answers or {}).get(question["id"])


def _coded(question: dict, value, labels: dict) -> list[str]:
    if question["type"] == "cards":
        pairs = [tuple(reason.split(":", 1)) for reason in value]
    else:
        codes = value if isinstance(value, list) else [value]
        pairs = [(question["code_list"], code) for code in codes]
    return [labels.get(pair, pair[1]) for pair in pairs]


def own_answer(question: dict, report, labels: dict, language: str) -> Answer:
    label = question["label"][language]
    state = (report.question_states or {}).get(question["id"])
    if state in STATE_KINDS:
        return Answer(label, STATE_KINDS[state])
    value = reported(report, question)
    if not is_answered(value):
        return Answer(label, "none")
    if question["type"] in ("scale", "single", "multiple", "cards"):
        return Answer(label, "choices", choices=_coded(question, value, labels))
    return word_answer(question, value, labels, language)


def own_words_part(part: dict, report, labels: dict, language: str, facts: dict) -> SheetPart:
    questions = [q for screen in part["screens"] for q in screen["questions"]]
    by_id = {q["id"]: q for q in questions}
    states = report.question_states or {}
    return SheetPart(
        title=part["title"][language], given_in=report.language,
        answers=[keyed(q, own_answer(q, report, labels, language)) for q in questions
                 if q["id"] in states or condition_holds(
                     q.get("show_if"), lambda qid: reported(report, by_id[qid]), facts)],
        hand_over=hand_over(report, labels))


def own_words_reader(report, child, labels: dict, language: str):
    """For answer_sheet: the young person's part read from this self-report (None: there is
    none, and the part is read as version 1 keeps it, from the interview's local answers)."""
    if report is None:
        return None
    facts = {"out_of_area": is_out_of_area(child)}
    return lambda part: own_words_part(part, report, labels, language, facts)
