"""What changed since the last review decision: each of the worker's answers that differs from
the snapshot the decision kept, question by question, before and after, worded as the page
words any answer (answers.py)."""

from dataclasses import dataclass

from app.review.answers import Answer, word_answer
from app.review.decisions import worker_questions


@dataclass
class Difference:
    question: str
    before: Answer
    after: Answer


def differences(definition: dict | None, before: dict, after: dict, labels: dict,
                language: str) -> list[Difference]:
    """The questions whose answers differ between two snapshots, in the questionnaire's order."""
    return [Difference(question["label"][language],
                       word_answer(question, before.get(question["id"]), labels, language),
                       word_answer(question, after.get(question["id"]), labels, language))
            for question in worker_questions(definition)
            if before.get(question["id"]) != after.get(question["id"])]
