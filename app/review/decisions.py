"""A supervisor's decisions on a submitted interview, and an admin's reopening of an approved
one. Each moves the interview's status through the same service and rules as the API and a
sync push (app/interviews/rules.py: the one place for state moves), so the same moves are
refused with the same words, and the move gives the interview a new revision: the worker's
tablet pulls its new state with the decision (a synced collection the tablet only reads)."""

import uuid
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.services import record_access
from app.auth.models import Person, Role
from app.core.errors import Conflict, NotFound, ValidationFailed
from app.core.models import hold_writes
from app.core.types import utcnow
from app.interviews import rules
from app.interviews.models import InterviewStatus as S
from app.interviews.models import ReturnInterview
from app.interviews.services import update_interview, visible_interviews
from app.review.answers import answer_of
from app.review.models import Decision, ReviewDecision
from app.review.services import check_reviewer, definition_of

COMMENT_LIMIT = 4000
COMMENTS_NEEDED = _l("Write what the worker should change before you return the interview.")
REASON_NEEDED = _l("Give the reason for reopening the interview.")
TOO_LONG = _l("Keep it under %(limit)d characters.", limit=COMMENT_LIMIT)
ALREADY = _l("This interview is no longer waiting for that decision. Reload the page to see "
             "where it stands.")
# Each decision: the status it moves the interview to, and what its words must say (None: no
# words needed).
MOVES = {Decision.APPROVE: (S.APPROVED, None), Decision.RETURN: (S.RETURNED, COMMENTS_NEEDED),
         Decision.REOPEN: (S.RETURNED, REASON_NEEDED)}
# The state each decision is made in.
FROM = {Decision.APPROVE: S.SUBMITTED, Decision.RETURN: S.SUBMITTED, Decision.REOPEN: S.APPROVED}


def _visible(session: Session, person: Person, interview_id: uuid.UUID) -> ReturnInterview:
    interview = session.scalars(visible_interviews(person).where(
        ReturnInterview.id == interview_id)).first()
    if interview is None:
        raise NotFound("no such interview among your cases")
    return interview


def _words(decision: Decision, comment: str | None) -> str | None:
    text = (comment or "").strip()
    needed = MOVES[decision][1]
    if needed and not text:
        raise ValidationFailed({"comment": [needed]})
    if len(text) > COMMENT_LIMIT:
        raise ValidationFailed({"comment": [TOO_LONG]})
    return text or None


def decide(session: Session, person: Person, interview_id: uuid.UUID, decision: Decision,
           comment: str | None = None) -> ReviewDecision:
    """The decision, with the interview moved to its status; nothing at all when refused (the
    caller rolls back): Forbidden, NotFound, Conflict (the rules' words) or ValidationFailed."""
    check_reviewer(person)
    hold_writes(session)  # nothing changes the interview between this read and the move
    interview = _visible(session, person, interview_id)
    wanted, before = MOVES[decision][0], interview.status
    if before == wanted:  # (staying put is no move for the rules: not a decision)
        raise Conflict(errors={"status": [ALREADY]})
    update_interview(session, person, interview, {"status": wanted})  # the rules' moves
    if before != FROM[decision]:  # (an admin's return of an approved one is a reopening)
        raise Conflict(errors={"status": [ALREADY]})
    made = ReviewDecision(
        organisation_id=interview.organisation_id, interview_id=interview.id,
        decision=decision, comment=_words(decision, comment), decided_by_id=person.id,
        reviewer_name=person.display_name, decided_at=utcnow(),
        snapshot=snapshot_of(session, interview))
    session.add(made)
    record_access(session, person, f"review-{decision.value}", "interviews", interview.id)
    return made


def approve(session: Session, person: Person, interview_id: uuid.UUID) -> ReviewDecision:
    return decide(session, person, interview_id, Decision.APPROVE)


def return_with_comments(session: Session, person: Person, interview_id: uuid.UUID,
                         comment: str | None) -> ReviewDecision:
    return decide(session, person, interview_id, Decision.RETURN, comment)


def reopen(session: Session, person: Person, interview_id: uuid.UUID,
           reason: str | None) -> ReviewDecision:
    """An admin's alone (the rules refuse anyone else the move from approved)."""
    return decide(session, person, interview_id, Decision.REOPEN, reason)


def decisions_of(session: Session, interview_id: uuid.UUID) -> list[ReviewDecision]:
    """An interview's decisions, the first first (the caller has checked it may be seen)."""
    return list(session.scalars(select(ReviewDecision)
                                .where(ReviewDecision.interview_id == interview_id)
                                .order_by(ReviewDecision.decided_at, ReviewDecision.id)))


def worker_questions(definition: dict | None) -> list[dict]:
    """The worker's questions of the questionnaire, in its order."""
    return [{**question, "audience": part["audience"]}
            for part in (definition or {}).get("parts", []) if part["audience"] == "worker"
            for screen in part["screens"] for question in screen["questions"]]


def snapshot_of(session: Session, interview: ReturnInterview) -> dict:
    """The worker's answers as reviewed, {question id: value as JSON}."""
    return {question["id"]: _as_json(answer_of(interview, question))
            for question in worker_questions(definition_of(session, interview))}


def _as_json(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):  # (coded answers: their codes, sorted)
        return list(value)
    return value


def open_decisions(person: Person, interview: ReturnInterview) -> set[Decision]:
    """The decisions this person may make on the interview now, by the rules' moves (the page
    offers only these; the rules refuse any other posted anyway)."""
    admin = person.role == Role.ADMIN
    allowed = set()
    for decision, (wanted, _words_needed) in MOVES.items():
        if interview.status != FROM[decision] or rules.move_refusal(
                True, interview.status, wanted, admin=admin):
            continue
        if decision == Decision.APPROVE and interview.interviewer_id == person.id:
            continue  # four eyes
        allowed.add(decision)
    return allowed
