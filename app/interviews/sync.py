"""Return interviews and their attempts as synced collections: what a device may write, their
rules, the coded answers a push writes beside them, and what a pull reads with them."""

from types import SimpleNamespace

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cases.models import MissingEpisode
from app.codelists.coded import code_writer, read_codes
from app.core.bulk import rows_by_id
from app.interviews import rules
from app.interviews.models import CODED_ANSWERS, InterviewAttempt, InterviewCode, ReturnInterview
from app.interviews.retention import children_finished_before
from app.interviews.schemas import AttemptSchema, InterviewSchema
from app.interviews.services import interviews_written, visible_attempts, visible_interviews
from app.syncing.collections import Parent, SyncCollection

write_codes = code_writer(InterviewCode, "interview_id", CODED_ANSWERS)


def after_interviews(session: Session, written) -> None:
    """Their coded answers, then what follows any write of interviews (interviews_written)."""
    write_codes(session, written)
    interviews_written(session, {record.id for record in written.created + written.updated})


def interview_relations(session: Session, interviews) -> None:
    """interview.episode: when the child came back (the 72-hour clock reads it); and each coded
    answer (push_factors, harms, ...) as the model gives it, its codes in order."""
    returned = {episode_id: SimpleNamespace(id=episode_id, returned_at=returned_at)
                for episode_id, (returned_at,) in rows_by_id(
                    session, select(MissingEpisode), MissingEpisode.id,
                    {interview.episode_id for interview in interviews},
                    [MissingEpisode.returned_at]).items()}
    for interview in interviews:
        interview.episode = returned.get(interview.episode_id)
    read_codes(session, InterviewCode, "interview_id", CODED_ANSWERS, interviews)


INTERVIEWS = SyncCollection(
    name="interviews", model=ReturnInterview, schema=InterviewSchema(),
    visible=visible_interviews,
    device_fields=frozenset({
        "episode_id", "questionnaire_version_id", "interviewer_id", "status", "offered_at", "consent",
        "consent_recorded_at", "declined_by", "decline_reason", "conducted_at", "location",
        "interviewer_type", "interviewer_organisation", "independent_of_police",
        "independent_of_local_authority", "independent_of_placement",
        "child_chose_known_adult", "language", "young_person_language", "duration_account",
        "why_missing", "what_happened", "where_and_with_whom", "feeling_before",
        "feeling_during", "feeling_after", "notes", "local_answers", *CODED_ANSWERS}),
    rules=rules.interview_errors,
    parent=Parent("episode_id", "episodes", rules.NO_SUCH_EPISODE),
    defaults=rules.interview_defaults,
    stamps=rules.submitted_stamp,
    extra_fields=tuple(CODED_ANSWERS),
    read_by_children=("episode_id", "status"),
    after_write=after_interviews,
    pull_relations=interview_relations,
    code_fields=rules.CODE_FIELDS,
    time_order=rules.INTERVIEW_TIMES,
)

ATTEMPTS = SyncCollection(
    name="attempts", model=InterviewAttempt, schema=AttemptSchema(), visible=visible_attempts,
    device_fields=frozenset({"interview_id", "attempted_at", "method", "outcome", "notes"}),
    rules=rules.attempt_errors,
    delete_rules=rules.attempt_lock_errors,
    parent=Parent("interview_id", "interviews", rules.NO_SUCH_INTERVIEW),
    code_fields=rules.ATTEMPT_CODE_FIELDS,
    time_order=rules.ATTEMPT_TIMES,
)

COLLECTIONS = (INTERVIEWS, ATTEMPTS)

# A finished case leaves the tablets (app/syncing/retiring.py); retention.py says which are.
FINISHED_BEFORE = {"children": children_finished_before}
