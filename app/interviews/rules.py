"""The rules of an interview's life, on plain values, so that the API and sync apply the same
ones: which status changes are allowed, when the content is locked, what a submission needs."""

from flask_babel import lazy_gettext as _l

from app.interviews.models import CODED_ANSWERS, Consent, InterviewStatus

S = InterviewStatus
# Which status changes each kind of person may make. Anything else is refused.
WORKER_MOVES = {(S.DRAFT, S.SUBMITTED), (S.RETURNED, S.SUBMITTED), (S.RETURNED, S.DRAFT)}
REVIEWER_MOVES = WORKER_MOVES | {(S.SUBMITTED, S.RETURNED), (S.SUBMITTED, S.APPROVED)}
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


def move_refusal(reviewer: bool, current: S, wanted: S):
    """Why this status change is refused, or None when it is allowed."""
    if current == wanted or (current, wanted) in (REVIEWER_MOVES if reviewer else WORKER_MOVES):
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


def timing_errors(returned_at, conducted_at) -> dict:
    if conducted_at and returned_at and conducted_at < returned_at:
        return {"conducted_at": [_l("The interview cannot be before the child returned.")]}
    return {}
