"""Self-reports as a synced collection, held by their interview: a pull carries them with it,
and a finished case's leave the tablets with it (app/syncing/retiring.py follows parents)."""

from app.codelists.coded import code_writer, read_codes
from app.interviews.rules import NO_SUCH_INTERVIEW
from app.interviews.services import interviews_written
from app.syncing.collections import Parent, SyncCollection
from app.youngperson import rules
from app.youngperson.models import CODED_ANSWERS, SelfReport, SelfReportCode
from app.youngperson.schemas import SelfReportSchema
from app.youngperson.services import visible_self_reports


def self_report_codes(session, reports) -> None:
    read_codes(session, SelfReportCode, "self_report_id", CODED_ANSWERS, reports)


write_codes = code_writer(SelfReportCode, "self_report_id", CODED_ANSWERS)


def after_self_reports(session, written) -> None:
    """Their coded answers, then what follows a write of what their interviews hold (a child
    asking for help raises the interview's review priority: app/review/priority.py)."""
    write_codes(session, written)
    interviews_written(session, {record.fields.get("interview_id")
                                 for record in written.created + written.updated})


SELF_REPORTS = SyncCollection(
    name="self_reports", model=SelfReport, schema=SelfReportSchema(),
    visible=visible_self_reports,
    device_fields=frozenset({
        "interview_id", "questionnaire_version_id", "language", "first_language",
        "interpreter", "handed_over_at", "started_at", "finished_at", "handed_back_at",
        "feeling_before", "feeling_away", "feeling_now", "hurt", "advocate_requested",
        "advocate_requested_at", "answers", "question_states", *CODED_ANSWERS}),
    rules=rules.self_report_errors,
    parent=Parent("interview_id", "interviews", NO_SUCH_INTERVIEW),
    defaults=lambda change: {"organisation_id": change.actor.organisation_id, "answers": {},
                             "question_states": {}},
    extra_fields=tuple(CODED_ANSWERS),
    after_write=after_self_reports,
    pull_relations=self_report_codes,
    code_fields=rules.CODE_FIELDS,
    time_order=rules.SELF_REPORT_TIMES,
)

COLLECTIONS = (SELF_REPORTS,)
