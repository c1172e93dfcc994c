"""Return interviews and attempts: who may change them, in which state, with which codes."""


from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import Person
from app.auth.policy import may_work_on_cases
from app.cases.models import Child, MissingEpisode
from app.cases.policy import visible_children_filter
from app.core.errors import Forbidden, ValidationFailed
from app.core.followers import Followers
from app.core.rules import refuse
from app.core.types import utcnow
from app.interviews import rules
from app.interviews.models import InterviewAttempt, ReturnInterview
from app.syncing.collections import direct_change

# What follows a write of interviews, or of records they hold, whichever way it came (the API,
# a sync push, a page): each capability keeping something derived from them adds a function
# (session, interview ids) with add_write_follower (the review queue's priority:
# app/review/priority.py). Interviews import none of them.
# Told whenever interviews, or what they hold, are written (see app/core/followers.py).
INTERVIEWS_WRITTEN = Followers()
add_write_follower = INTERVIEWS_WRITTEN.add


def interviews_written(session: Session, interview_ids) -> None:
    """Tells every follower that these interviews (or what they hold) were written."""
    INTERVIEWS_WRITTEN.tell(session, interview_ids)


def visible_interviews(person: Person):
    return (select(ReturnInterview).join(MissingEpisode).join(Child)
            .where(visible_children_filter(person)))


def visible_attempts(person: Person):
    return (select(InterviewAttempt).join(ReturnInterview).join(MissingEpisode).join(Child)
            .where(visible_children_filter(person)))


def _visible_episode(session: Session, person: Person, episode_id) -> MissingEpisode:
    stmt = (select(MissingEpisode).join(Child)
            .where(visible_children_filter(person), MissingEpisode.id == episode_id))
    episode = session.scalars(stmt).first()
    if episode is None:
        raise ValidationFailed({"episode_id": [rules.NO_SUCH_EPISODE]})
    return episode


def _apply(record, data: dict) -> None:
    for name, value in data.items():
        setattr(record, name, value)


def _stamped(change, now) -> dict:
    """The change's fields, with what the server sets when the status moves (a submission's
    time)."""
    if change.new or change.alters("status"):
        return {**change.parsed, **rules.submitted_stamp(change.parsed, now)}
    return change.parsed


def create_interview(session: Session, person: Person, data: dict) -> ReturnInterview:
    if not may_work_on_cases(person):
        raise Forbidden()
    episode = _visible_episode(session, person, data.get("episode_id"))
    change = direct_change(session, person, None, data)
    change.defaults = {**rules.interview_defaults(change), "local_answers": {},
                       "organisation_id": episode.organisation_id}
    with session.no_autoflush:
        refuse(rules.interview_errors(change))
    interview = ReturnInterview()
    _apply(interview, {**change.defaults, **_stamped(change, utcnow())})
    session.add(interview)
    session.flush()  # (its id, made by the column's default)
    interviews_written(session, {interview.id})
    return interview


def update_interview(session: Session, person: Person, interview: ReturnInterview,
                     data: dict) -> ReturnInterview:
    if not may_work_on_cases(person):
        raise Forbidden()
    change = direct_change(session, person, interview, data)
    with session.no_autoflush:
        refuse(rules.interview_errors(change))
    _apply(interview, _stamped(change, utcnow()))
    interviews_written(session, {interview.id})
    return interview


def create_held(session: Session, person: Person, data: dict, model, check,
                defaults=lambda change: {}):
    """A record held under one of the person's interviews (an attempt, a self-report, an
    intelligence item),
    made through its rules (check): it takes the interview's organisation, and `defaults`
    unless the data says otherwise."""
    if not may_work_on_cases(person):
        raise Forbidden()
    interview = session.scalars(
        visible_interviews(person).where(ReturnInterview.id == data.get("interview_id"))
    ).first()
    if interview is None:
        raise ValidationFailed({"interview_id": [rules.NO_SUCH_INTERVIEW]})
    change = direct_change(session, person, None, data,
                           {"organisation_id": interview.organisation_id})
    change.defaults |= defaults(change)
    with session.no_autoflush:
        refuse(check(change))
    record = model()
    _apply(record, dict(change.merged))
    session.add(record)
    interviews_written(session, {interview.id})
    return record


def update_held(session: Session, person: Person, record, data: dict, check):
    """A change to a record held under an interview, through its rules (check)."""
    if not may_work_on_cases(person):
        raise Forbidden()
    with session.no_autoflush:
        refuse(check(direct_change(session, person, record, data)))
    _apply(record, data)
    interviews_written(session, {record.interview_id})
    return record


def create_attempt(session: Session, person: Person, data: dict) -> InterviewAttempt:
    return create_held(session, person, data, InterviewAttempt, rules.attempt_errors)


def update_attempt(session: Session, person: Person, attempt: InterviewAttempt,
                   data: dict) -> InterviewAttempt:
    return update_held(session, person, attempt, data, rules.attempt_errors)
