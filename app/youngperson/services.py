"""Self-reports: seen as their interviews are, made and changed under their rules."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import Person
from app.interviews.models import ReturnInterview
from app.interviews.services import create_held, update_held, visible_interviews
from app.youngperson import rules
from app.youngperson.models import SelfReport


def visible_self_reports(person: Person):
    """Those of the interviews this person may see."""
    interviews = visible_interviews(person).with_only_columns(ReturnInterview.id)
    return select(SelfReport).where(SelfReport.interview_id.in_(interviews))


def create_self_report(session: Session, person: Person, data: dict) -> SelfReport:
    return create_held(session, person, data, SelfReport, rules.self_report_errors,
                       lambda change: {"answers": {}, "question_states": {}})


def update_self_report(session: Session, person: Person, report: SelfReport,
                       data: dict) -> SelfReport:
    return update_held(session, person, report, data, rules.self_report_errors)
