"""Return interviews and attempts: who may change them, in which state, with which codes."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import Person
from app.auth.policy import may_review, may_work_on_cases
from app.cases.models import Child, MissingEpisode
from app.cases.policy import visible_children_filter
from app.codelists.services import check_codes
from app.core.errors import Conflict, Forbidden, ValidationFailed
from app.core.types import utcnow
from app.interviews import rules
from app.interviews.models import (
    InterviewAttempt,
    InterviewStatus,
    ReturnInterview,
)
from app.questionnaires.models import QuestionnaireVersion
from app.questionnaires.services import check_local_answers, current_version_id, usable_versions

S = InterviewStatus


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
        raise ValidationFailed({"episode_id": [_l("No such episode among your cases.")]})
    return episode


def _check_codes(session: Session, interview: ReturnInterview) -> None:
    used = {name: (list_name, getattr(interview, name))
            for name, list_name in rules.CODE_FIELDS.items()}
    check_codes(session, interview.organisation_id, used)


def _check_people_and_version(session: Session, interview: ReturnInterview) -> None:
    errors = {}
    interviewer = session.get(Person, interview.interviewer_id) if interview.interviewer_id else None
    if interview.interviewer_id and (interviewer is None or not interviewer.active
                                     or interviewer.organisation_id != interview.organisation_id):
        errors["interviewer_id"] = [_l("No such person in your organisation.")]
    version_id = interview.questionnaire_version_id
    usable = usable_versions(interview.organisation_id).where(QuestionnaireVersion.id == version_id)
    if version_id and session.scalars(usable).first() is None:
        errors["questionnaire_version_id"] = [_l("No such questionnaire version.")]
    if errors:
        raise ValidationFailed(errors)


def _raise_if(errors: dict) -> None:
    if errors:
        raise ValidationFailed(errors)


def _change_status(person: Person, interview: ReturnInterview, wanted: S) -> None:
    if wanted == interview.status:
        return
    refusal = rules.move_refusal(may_review(person), interview.status, wanted)
    if refusal:
        raise Conflict(refusal)
    if wanted == S.SUBMITTED:
        _raise_if(rules.submission_errors(interview.consent, interview.declined_by,
                                          interview.conducted_at))
        interview.submitted_at = utcnow()
    interview.status = wanted


def _check_editable(person: Person, interview: ReturnInterview, data: dict) -> None:
    content_changed = any(key != "status" for key in data)
    if not content_changed:
        return
    refusal = rules.lock_refusal(may_review(person), interview.status)
    if refusal:
        raise Conflict(refusal)


def _apply(session: Session, person: Person, interview: ReturnInterview, data: dict) -> None:
    data = dict(data)
    wanted_status = data.pop("status", None)
    for name, value in data.items():
        setattr(interview, name, value)
    _check_codes(session, interview)
    _check_people_and_version(session, interview)
    _raise_if(rules.timing_errors(interview.episode.returned_at, interview.conducted_at))
    if interview.local_answers:
        check_local_answers(session, interview.questionnaire_version_id, interview.local_answers)
    if wanted_status is not None:
        _change_status(person, interview, S(wanted_status))


def create_interview(session: Session, person: Person, data: dict) -> ReturnInterview:
    if not may_work_on_cases(person):
        raise Forbidden()
    data = dict(data)
    episode = _visible_episode(session, person, data.pop("episode_id"))
    version_id = data.pop("questionnaire_version_id", None)
    interview = ReturnInterview(
        id=data.pop("id", None),
        organisation_id=episode.organisation_id,
        episode=episode,
        interviewer_id=data.pop("interviewer_id", None) or person.id,
        status=S.DRAFT,
        questionnaire_version_id=version_id or current_version_id(session, person.organisation_id),
        local_answers={},
    )
    with session.no_autoflush:
        _apply(session, person, interview, data)
    session.add(interview)
    return interview


def update_interview(session: Session, person: Person, interview: ReturnInterview,
                     data: dict) -> ReturnInterview:
    if not may_work_on_cases(person):
        raise Forbidden()
    _check_editable(person, interview, data)
    with session.no_autoflush:
        if data.get("episode_id", interview.episode_id) != interview.episode_id:
            raise ValidationFailed(
                {"episode_id": [_l("An interview cannot move to another episode.")]})
        data.pop("episode_id", None)
        _apply(session, person, interview, data)
    return interview


def _check_attempt(session: Session, person: Person, attempt: InterviewAttempt) -> None:
    check_codes(session, attempt.organisation_id,
                {name: (list_name, getattr(attempt, name))
                 for name, list_name in rules.ATTEMPT_CODE_FIELDS.items()})
    _check_editable(person, attempt.interview, {"attempts": True})


def create_attempt(session: Session, person: Person, data: dict) -> InterviewAttempt:
    if not may_work_on_cases(person):
        raise Forbidden()
    data = dict(data)
    interview = session.scalars(
        visible_interviews(person).where(ReturnInterview.id == data.pop("interview_id"))
    ).first()
    if interview is None:
        raise ValidationFailed({"interview_id": [_l("No such interview among your cases.")]})
    attempt = InterviewAttempt(organisation_id=interview.organisation_id, interview=interview,
                               **data)
    with session.no_autoflush:
        _check_attempt(session, person, attempt)
    session.add(attempt)
    return attempt


def update_attempt(session: Session, person: Person, attempt: InterviewAttempt,
                   data: dict) -> InterviewAttempt:
    if not may_work_on_cases(person):
        raise Forbidden()
    if "interview_id" in data and data["interview_id"] != attempt.interview_id:
        raise ValidationFailed({"interview_id": [_l("An attempt cannot move to another interview.")]})
    with session.no_autoflush:
        for name, value in data.items():
            setattr(attempt, name, value)
        _check_attempt(session, person, attempt)
    return attempt
