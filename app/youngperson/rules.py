"""The rules of a self-report, written once for the API and sync: its codes, its times in
order, its questions those of its version, a skipped question holding no answer, one report an
interview, and no change once the interview is submitted."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.codelists.rules import unknown_code_errors
from app.core.rules import Change, TimeOrder, state_refusal, time_order_errors
from app.interviews.models import InterviewStatus
from app.interviews.rules import TO_THE_EPISODE, lock_refusal
from app.questionnaires.models import QuestionnaireVersion
from app.questionnaires.rules import NO_SUCH_VERSION, questionnaire_errors
from app.questionnaires.schemas import CARD_FIELDS
from app.questionnaires.services import answer_kind_error
from app.youngperson.models import CODED_ANSWERS, SelfReport

CODE_FIELDS = dict(CODED_ANSWERS) | {
    "feeling_before": "feeling", "feeling_away": "feeling", "feeling_now": "feeling",
    "hurt": "yes_no_unsure", "first_language": "first_language",
}
# The tablet is handed to the child, who starts, finishes, and hands it back, in that order;
# and not before the child came back.
HANDED_OVER_FIRST = _l("The section cannot start before the tablet was handed over.")
STARTED_FIRST = _l("The section cannot finish before it started.")
FINISHED_FIRST = _l("The tablet cannot be handed back before the section finished.")
SELF_REPORT_TIMES = (
    TimeOrder("handed_over_at", "returned_at",
              _l("The tablet cannot be handed over before the child came back."),
              via=(("interview_id", "interviews"), *TO_THE_EPISODE)),
    TimeOrder("started_at", "handed_over_at", HANDED_OVER_FIRST),
    TimeOrder("finished_at", "handed_over_at", HANDED_OVER_FIRST),
    TimeOrder("finished_at", "started_at", STARTED_FIRST),
    TimeOrder("handed_back_at", "handed_over_at", HANDED_OVER_FIRST),
    TimeOrder("handed_back_at", "started_at", FINISHED_FIRST),
    TimeOrder("handed_back_at", "finished_at", FINISHED_FIRST),
)
REPORT_MOVED = _l("A self-report cannot move to another interview.")
ALREADY_ONE = _l("This interview already has the young person's own section.")
NO_OWN_SECTION = _l("This questionnaire version has no section for the young person.")
SKIPPED_WITH_ANSWER = _l("A question the young person chose not to answer holds no answer.")


def self_report_errors(change: Change) -> dict:
    if change.alters("interview_id"):
        return {"interview_id": [REPORT_MOVED]}
    refusal = lock_errors(change)
    if refusal:
        return refusal
    errors = unknown_code_errors(change, CODE_FIELDS) | _one_an_interview(change)
    errors |= _version_errors(change) or _question_errors(change)
    return errors | time_order_errors(change, SELF_REPORT_TIMES)


def lock_errors(change: Change) -> dict:
    """The young person's section is part of its interview's content: locked with it."""
    interview = change.lookup("interviews", change.merged.get("interview_id")) or {}
    status = InterviewStatus(interview.get("status") or InterviewStatus.DRAFT)
    refusal = lock_refusal(change.reviewer, status)
    return state_refusal("interview_id", refusal) if refusal else {}


def _one_an_interview(change: Change) -> dict:
    if not change.new:
        return {}
    taken = change.session.scalar(select(SelfReport.id).where(
        SelfReport.interview_id == change.merged.get("interview_id")))
    return {"interview_id": [ALREADY_ONE]} if taken and taken != change.merged.get("id") else {}


def young_persons_questions(change: Change) -> dict | None:
    """The young person's questions of the report's version, by id (None: no such version),
    read once a push."""
    version_id = change.merged.get("questionnaire_version_id")

    def read():
        version = change.session.get(QuestionnaireVersion, version_id) if version_id else None
        if version is None:
            return None
        return {q["id"]: q for part in version.definition["parts"]
                if part["audience"] == "young_person"
                for screen in part["screens"] for q in screen["questions"]}
    return change.remembered(("young person's questions", version_id), read)


def _version_errors(change: Change) -> dict:
    if not change.sets("questionnaire_version_id"):
        return {}
    errors = questionnaire_errors(change)
    if errors:
        return errors
    if not young_persons_questions(change):
        return {"questionnaire_version_id": [NO_OWN_SECTION]}
    return {}


def _question_errors(change: Change) -> dict:
    if not change.sets("answers", "question_states", "questionnaire_version_id",
                       *_fields_of_questions()):
        return {}
    questions = young_persons_questions(change)
    if questions is None:
        return {"questionnaire_version_id": [NO_SUCH_VERSION]}
    merged = change.merged
    answers, states = merged.get("answers") or {}, merged.get("question_states") or {}
    errors = _unknown_ids("question_states", states, questions)
    errors |= _unknown_ids("answers", answers, {q: v for q, v in questions.items()
                                                if not v.get("field")})
    if errors:
        return errors
    errors = _answer_kinds(answers, questions)
    skipped = [qid for qid, state in states.items() if state == "skipped"
               and _holds_answer(merged, answers, questions[qid])]
    if skipped:
        errors["question_states"] = {qid: [SKIPPED_WITH_ANSWER] for qid in skipped}
    return errors


def _fields_of_questions() -> tuple[str, ...]:
    return ("feeling_before", "feeling_away", "feeling_now", "hurt", *CODED_ANSWERS)


def _unknown_ids(name: str, given: dict, questions: dict) -> dict:
    unknown = sorted(set(given) - set(questions))
    if not unknown:
        return {}
    return {name: [_l("Not a question of the young person's section: %(ids)s.",
                      ids=", ".join(unknown))]}


def _answer_kinds(answers: dict, questions: dict) -> dict:
    wrong = {qid: [message] for qid, value in answers.items()
             for message in [answer_kind_error(questions[qid]["type"], value)] if message}
    return {"answers": wrong} if wrong else {}


def _field_values(merged, question: dict) -> list:
    """What the report holds for a question that fills a field (a cards question: its
    reasons, kept by list)."""
    if question.get("field") == "reasons":
        return [code for name in CARD_FIELDS.values() for code in merged.get(name) or []]
    value = merged.get(question["field"])
    return value if isinstance(value, list) else [value] if value is not None else []


def _holds_answer(merged, answers: dict, question: dict) -> bool:
    if question.get("field"):
        return bool(_field_values(merged, question))
    return question["id"] in answers

