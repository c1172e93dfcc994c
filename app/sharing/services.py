"""The interview's report and its sharing: only once the interview is signed off; what the child
asked not to share (and what is shared anyway for their safety, with why and when they were
told); every share recorded and kept in the audit trail."""

import uuid
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.services import record_access
from app.auth.models import Person
from app.core.errors import Conflict, ValidationFailed
from app.core.types import utcnow
from app.interviews.models import FIVE_THINGS, InterviewStatus, ReturnInterview
from app.review.services import read_interview
from app.sharing.models import RECIPIENT_KINDS, ReportChoice, ReportShare

LANGUAGES = ("cy", "en")
NOT_SIGNED_OFF = _l("The report can be written only once a supervisor has signed the interview "
                    "off.")


def signed_off_interview(session: Session, person: Person,
                         interview_id: uuid.UUID) -> ReturnInterview:
    """An interview of the reviewer's cases (NotFound otherwise) that has been signed off
    (Conflict otherwise); the read is kept in the audit trail."""
    interview = read_interview(session, person, interview_id)
    if interview.status != InterviewStatus.APPROVED:
        raise Conflict(str(NOT_SIGNED_OFF))
    return interview


def item_keys(definition: dict | None) -> list[str]:
    """The report's items a child may ask to keep back: the five things, then the questions of
    the young person's own section."""
    own = [q["id"] for part in (definition or {}).get("parts", [])
           if part["audience"] == "young_person"
           for screen in part["screens"] for q in screen["questions"]]
    return list(FIVE_THINGS) + own


def choice_of(session: Session, interview: ReturnInterview) -> ReportChoice | None:
    return session.scalars(select(ReportChoice).where(
        ReportChoice.interview_id == interview.id)).first()


def _choice_errors(keys: list[str], withheld: list[str], overridden: list[str],
                   reason: str | None, told_at: datetime | None) -> dict:
    errors = {}
    if set(withheld) - set(keys):
        errors["withheld"] = [str(_l("Choose only items of this report."))]
    if set(overridden) - set(withheld):
        errors["overridden"] = [str(_l("Only something the child asked not to share can be "
                                       "shared for their safety."))]
    if overridden and not reason:
        errors["override_reason"] = [str(_l("Say why it is shared for the child's safety."))]
    if overridden and told_at is None:
        errors["child_told_at"] = [str(_l("Enter the date the child was told it would be "
                                          "shared."))]
    return errors


def set_choices(session: Session, person: Person, interview: ReturnInterview, keys: list[str],
                withheld: list[str], overridden: list[str], reason: str | None,
                told_at: datetime | None) -> ReportChoice:
    """Records what the child asked not to share, and what is shared anyway, or refuses it
    (ValidationFailed, nothing saved)."""
    reason = (reason or "").strip() or None
    errors = _choice_errors(keys, withheld, overridden, reason, told_at)
    if errors:
        raise ValidationFailed(errors)
    choice = choice_of(session, interview) or ReportChoice(interview_id=interview.id)
    choice.withheld = [key for key in keys if key in withheld]
    choice.overridden = [key for key in keys if key in overridden]
    choice.override_reason = reason if overridden else None
    choice.child_told_at = told_at if overridden else None
    choice.updated_by, choice.updated_at = person.id, utcnow()
    session.add(choice)
    session.flush()
    record_access(session, person, "update", "report_choices", choice.id)
    return choice


def _share_errors(kind: str, name: str, language: str, reason: str) -> dict:
    errors = {}
    if kind not in RECIPIENT_KINDS:
        errors["recipient_kind"] = [str(_l("Choose who receives the report."))]
    if not name or len(name) > 200:
        errors["recipient_name"] = [str(_l("Enter the name of who receives it (200 characters "
                                           "at most)."))]
    if language not in LANGUAGES:
        errors["language"] = [str(_l("Choose the language of the report."))]
    if not reason:
        errors["reason"] = [str(_l("Say why the report is shared with them."))]
    return errors


def record_share(session: Session, person: Person, interview: ReturnInterview, kind: str,
                 name: str, language: str, reason: str) -> ReportShare:
    """Records that the report was given to someone, and why; kept in the audit trail."""
    name, reason = (name or "").strip(), (reason or "").strip()
    errors = _share_errors(kind, name, language, reason)
    if errors:
        raise ValidationFailed(errors)
    share = ReportShare(interview_id=interview.id, recipient_kind=kind, recipient_name=name,
                        language=language, reason=reason, shared_at=utcnow(),
                        shared_by=person.id)
    session.add(share)
    session.flush()
    record_access(session, person, "share", "interview_reports", share.id)
    return share


def shares_of(session: Session, interview: ReturnInterview) -> list[ReportShare]:
    return list(session.scalars(select(ReportShare).where(
        ReportShare.interview_id == interview.id).order_by(ReportShare.shared_at.desc())))
