"""An interview read back as its questionnaire asked it: each part, each question in the
reader's language, and under it the answer, with coded answers named in the reader's language
and the person's own words as they were given, marked with the language they were given in."""

from dataclasses import dataclass, field
from datetime import date, datetime

from app.i18n import clock_time, full_date

# Which of the interview's fields records the language each part was given in.
PART_LANGUAGE = {"worker": "language", "young_person": "young_person_language"}


@dataclass
class Answer:
    question: str
    # "words" (the person's own), "choices" (named by us), "yes", "no", "none"; for the young
    # person's own section also "skipped" (they chose not to say) and "not_reached".
    kind: str
    words: str | None = None
    choices: list[str] = field(default_factory=list)
    key: str | None = None  # the question's id (the interview's report leaves some out by it)


@dataclass
class SheetPart:
    title: str
    given_in: str | None  # "cy", "en", or None when the part has not been given yet
    answers: list[Answer]
    hand_over: object = None  # the young person's section: how it was given (own_words.py)


def answer_of(interview, question: dict):
    """A worker's question's answer (a v1 young_person part's too: it lives in local_answers).
    A v2 young_person question's field names the self-report's, never the interview's."""
    if question.get("field"):
        return getattr(interview, question["field"]) if question["audience"] == "worker" else None
    return (interview.local_answers or {}).get(question["id"])


def keyed(question: dict, answer: Answer) -> Answer:
    answer.key = question["id"]
    return answer


def is_answered(value) -> bool:
    return value not in (None, "", [])


def condition_holds(condition: dict | None, value_of, facts: dict | None = None) -> bool:
    """The same rule as the app's questionnaire.js: a question asked only in some cases is
    read back only in those cases. value_of(question id) is the answer it depends on; facts
    are what is known of the child (out_of_area), none when unknown."""
    if not condition:
        return True
    if "fact" in condition:
        return (facts or {}).get(condition["fact"]) == condition["equals"]
    value = value_of(condition["question"])
    if "equals" in condition:
        return value == condition["equals"]
    if "includes" in condition:
        return isinstance(value, list) and condition["includes"] in value
    return is_answered(value) == condition["answered"]


def word_answer(question: dict, value, labels: dict, language: str) -> Answer:
    label = question["label"][language]
    if not is_answered(value):
        return Answer(label, "none")
    kind = question["type"]
    if kind == "boolean" and isinstance(value, bool):
        return Answer(label, "yes" if value else "no")
    if kind in ("single", "multiple"):
        codes = value if isinstance(value, list) else [value]
        return Answer(label, "choices", choices=[
            labels.get((question["code_list"], code), code) for code in codes])
    if kind in ("date", "datetime"):
        shown = _when(value, kind, language)
        if shown is not None:
            return Answer(label, "choices", choices=[shown])
    # Anything else is shown as it was stored, never guessed at (answers written before their
    # kinds were checked may not be of their question's kind).
    return Answer(label, "words", words=str(value))


def _when(value, kind: str, language: str) -> str | None:
    try:
        moment = datetime.fromisoformat(value) if kind == "datetime" else date.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    if kind == "date":
        return full_date(moment, language)
    return f"{full_date(moment, language)}, {clock_time(moment, language)}"


def answer_sheet(definition: dict, interview, labels: dict, language: str,
                 own_words=None) -> list[SheetPart]:
    """labels maps (code list, code) to its label in the reader's language. own_words(part)
    reads the young person's part from their self-report, when they have one."""
    questions = {q["id"]: {**q, "audience": part["audience"]} for part in definition["parts"]
                 for screen in part["screens"] for q in screen["questions"]}
    return [
        own_words(part) if own_words and part["audience"] == "young_person" else SheetPart(
            title=part["title"][language],
            given_in=getattr(interview, PART_LANGUAGE[part["audience"]]),
            answers=[keyed(q, word_answer(q, answer_of(interview, questions[q["id"]]), labels,
                                          language))
                     for screen in part["screens"] for q in screen["questions"]
                     if condition_holds(q.get("show_if"),
                                        lambda qid: answer_of(interview, questions[qid]))],
        )
        for part in definition["parts"]
    ]
