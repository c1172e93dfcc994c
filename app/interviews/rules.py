"""The rules of an interview's life, written once for the API and sync: which status changes
are allowed, when the content is locked, what a submission needs, which codes and times an
interview and an attempt may hold."""

from collections.abc import Callable

from flask_babel import lazy_gettext as _l

from app.auth.models import Person, Role
from app.codelists.rules import unknown_code_errors
from app.core.rules import Change, TimeOrder, state_refusal, time_order_errors
from app.interviews.models import CODED_ANSWERS, Consent, InterviewStatus
from app.questionnaires.rules import current_version_of, questionnaire_errors

S = InterviewStatus
# Which status changes each kind of person may make. Anything else is refused.
WORKER_MOVES = {(S.DRAFT, S.SUBMITTED), (S.RETURNED, S.SUBMITTED), (S.RETURNED, S.DRAFT)}
REVIEWER_MOVES = WORKER_MOVES | {(S.SUBMITTED, S.RETURNED), (S.SUBMITTED, S.APPROVED)}
# An admin may reopen an approved interview (back to the worker, with a reason: app/review).
ADMIN_MOVES = REVIEWER_MOVES | {(S.APPROVED, S.RETURNED)}
# A worker may change an interview's content only in these states.
WORKER_EDITABLE = {S.DRAFT, S.RETURNED}

# Fields holding codes, with the code list each draws from.
CODE_FIELDS = dict(CODED_ANSWERS) | {
    "declined_by": "declined_by",
    "decline_reason": "decline_reason",
    "location": "interview_location",
    "interviewer_type": "interviewer_type",
}
ATTEMPT_CODE_FIELDS = {"method": "attempt_method", "outcome": "attempt_outcome"}
# The offer, each attempt and the interview come after the child came back (the return is the
# episode's: an interview's parent, an attempt's interview's parent). Declared once: the rules
# below and the limits a tablet is sent read these.
TO_THE_EPISODE = (("episode_id", "episodes"),)
INTERVIEW_TIMES = (
    TimeOrder("offered_at", "returned_at", _l("The offer must be after the child came back."),
              via=TO_THE_EPISODE),
    TimeOrder("conducted_at", "returned_at",
              _l("The interview cannot be before the child returned."), via=TO_THE_EPISODE),
)
ATTEMPT_TIMES = (
    TimeOrder("attempted_at", "returned_at", _l("The attempt must be after the child came back."),
              via=(("interview_id", "interviews"), *TO_THE_EPISODE)),
)


def status_label(status: S):
    return {S.DRAFT: _l("draft"), S.SUBMITTED: _l("submitted"), S.RETURNED: _l("returned"),
            S.APPROVED: _l("approved")}[status]


# What each state means to a supervisor reading a list of interviews.
STATE_NAMES = {
    S.SUBMITTED: _l("Waiting for review"),
    S.RETURNED: _l("Returned to the worker"),
    S.APPROVED: _l("Approved"),
    S.DRAFT: _l("Not finished yet"),
}


def move_refusal(reviewer: bool, current: S, wanted: S, admin: bool = False):
    """Why this status change is refused, or None when it is allowed."""
    allowed = ADMIN_MOVES if admin else REVIEWER_MOVES if reviewer else WORKER_MOVES
    if current == wanted or (current, wanted) in allowed:
        return None
    return _l("An interview cannot move from %(current)s to %(wanted)s.",
              current=status_label(current), wanted=status_label(wanted))


def lock_refusal(reviewer: bool, status: S):
    """Why the content of an interview in this status cannot be changed, or None."""
    if status == S.APPROVED or (not reviewer and status not in WORKER_EDITABLE):
        return _l("This interview has been submitted. A supervisor must return it before it "
                  "can be changed.")
    return None


def submission_errors(consent, declined_by, conducted_at) -> dict:
    if consent == Consent.DECLINED:
        return {} if declined_by else {"declined_by": [_l("Say who declined the interview.")]}
    if conducted_at is None:
        return {"conducted_at": [
            _l("Record when the interview took place, or that it was declined.")]}
    return {}


# What else a submission needs, added by the capabilities that hold it (the Active Offer of
# advocacy for a looked-after child: app/referrals/rules.py): each a function of the interview's
# Change giving errors, asked by the API and a sync push alike. Interviews import none of those
# capabilities: each adds its check here with add_submission_check.
SUBMISSION_CHECKS: list[Callable[[Change], dict]] = []


def add_submission_check(check: Callable[[Change], dict]) -> Callable[[Change], dict]:
    """Adds a check every submission must pass (the same again changes nothing)."""
    if check not in SUBMISSION_CHECKS:
        SUBMISSION_CHECKS.append(check)
    return check


def _further_submission_errors(change: Change) -> dict:
    errors = {}
    for check in SUBMISSION_CHECKS:
        errors |= check(change)
    return errors


# The harms that say a child was exploited: where an interview records one, the record and the
# partner intelligence submission say that the child is a victim, not an offender (the
# campaign's second ask), in these words.
EXPLOITATION_HARMS = frozenset({"criminal_exploitation", "sexual_exploitation",
                                "trafficking_or_modern_slavery"})
VICTIM_NOT_OFFENDER = _l("This child is a victim of exploitation and must not be treated as an "
                         "offender for what they were made to do.")


def exploitation_indicated(harms) -> bool:
    return not EXPLOITATION_HARMS.isdisjoint(harms)


NO_SUCH_EPISODE = _l("No such episode among your cases.")
NO_SUCH_INTERVIEW = _l("No such interview among your cases.")
INTERVIEW_MOVED = _l("An interview cannot move to another episode.")
ATTEMPT_MOVED = _l("An attempt cannot move to another interview.")
NO_SUCH_PERSON = _l("No such person in your organisation.")
ONLY_YOURSELF = _l("You can only name yourself as the interviewer.")
NOT_IN_YOUR_TEAM = _l("Choose someone in your team as the interviewer.")
# Four eyes: an interview is approved by someone other than the person who held it.
FOUR_EYES = _l("You cannot approve an interview you held yourself. Ask another supervisor.")


def interview_defaults(change: Change) -> dict:
    """What an interview made by this person holds unless the change says otherwise: the same
    for every interview of a push, made once (and never changed: each change copies it)."""
    actor = change.actor
    return change.remembered(("interview defaults", actor.id), lambda: {
        "organisation_id": actor.organisation_id, "interviewer_id": actor.id,
        "status": S.DRAFT, "questionnaire_version_id": current_version_of(change)})


def interview_errors(change: Change) -> dict:
    if change.alters("episode_id"):
        return {"episode_id": [INTERVIEW_MOVED]}
    refusal = _state_errors(change)
    if refusal:
        return refusal
    errors = unknown_code_errors(change, CODE_FIELDS)
    errors |= _interviewer_errors(change)
    errors |= questionnaire_errors(change)
    if _submitting(change):
        merged = change.merged
        errors |= submission_errors(merged.get("consent"), merged.get("declined_by"),
                                    merged.get("conducted_at"))
        errors |= _further_submission_errors(change)
    return errors | time_order_errors(change, INTERVIEW_TIMES)


def stored_status(change: Change) -> S:
    status = change.current.get("status") if change.current is not None else None
    return S(status) if status else S.DRAFT


def _submitting(change: Change) -> bool:
    return change.sets("status") and S(change.parsed["status"]) == S.SUBMITTED \
        and stored_status(change) != S.SUBMITTED


def _state_errors(change: Change) -> dict:
    """A locked interview's content, or a status change this person may not make."""
    status = stored_status(change)
    if not change.new and any(name != "status" for name in change.parsed):
        refusal = lock_refusal(change.reviewer, status)
        if refusal:
            return state_refusal("status", refusal)
    if change.sets("status"):
        wanted = S(change.parsed["status"])
        refusal = move_refusal(change.reviewer, status, wanted,
                               admin=change.actor.role == Role.ADMIN)
        if refusal:
            return state_refusal("status", refusal)
        if wanted == S.APPROVED and status != S.APPROVED \
                and change.merged.get("interviewer_id") == change.actor.id:
            return state_refusal("status", FOUR_EYES)
    return {}


def _interviewer_errors(change: Change) -> dict:
    """The interviewer is an active person of the organisation: a worker names themself; a
    supervisor someone of their team; an admin anyone."""
    interviewer_id = change.parsed.get("interviewer_id")
    if not change.sets("interviewer_id") or interviewer_id is None:
        return {}
    actor = change.actor
    if actor.role == Role.WORKER:
        return {} if interviewer_id == actor.id else {"interviewer_id": [ONLY_YOURSELF]}
    interviewer = change.session.get(Person, interviewer_id)
    if interviewer is None or not interviewer.active \
            or interviewer.organisation_id != actor.organisation_id:
        return {"interviewer_id": [NO_SUCH_PERSON]}
    if actor.role != Role.ADMIN and interviewer.team_id != actor.team_id:
        return {"interviewer_id": [NOT_IN_YOUR_TEAM]}
    return {}


def submitted_stamp(change_fields: dict, now) -> dict:
    """The moment an interview is submitted, when these fields submit it."""
    return {"submitted_at": now} if change_fields.get("status") == S.SUBMITTED else {}


def attempt_errors(change: Change) -> dict:
    if change.alters("interview_id"):
        return {"interview_id": [ATTEMPT_MOVED]}
    refusal = attempt_lock_errors(change)
    return refusal or (unknown_code_errors(change, ATTEMPT_CODE_FIELDS)
                       | time_order_errors(change, ATTEMPT_TIMES))


def attempt_lock_errors(change: Change) -> dict:
    """An attempt is part of its interview's content: locked with it (made, changed or
    deleted)."""
    interview = change.lookup("interviews", change.merged.get("interview_id")) or {}
    refusal = lock_refusal(change.reviewer, S(interview.get("status") or S.DRAFT))
    return state_refusal("interview_id", refusal) if refusal else {}
