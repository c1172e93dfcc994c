"""Records for the board's tests, made straight in the database: episodes, interviews, attempts,
referrals, conflicts, intelligence and tablets of the world's children and people."""

import re
from datetime import UTC, datetime, timedelta

from app.auth.models import Device
from app.cases.models import Child, MissingEpisode
from app.intelligence.models import IntelligenceItem
from app.interviews.models import Consent, InterviewAttempt, InterviewStatus, ReturnInterview

BOARD = "/board?lang=en"


def now():
    return datetime.now(UTC)


def episode(session, child, hours_ago: float | None, reported_hours_ago: float | None = None,
            **fields) -> MissingEpisode:
    """An episode of the child, back `hours_ago` hours ago (None: not back yet)."""
    returned = None if hours_ago is None else now() - timedelta(hours=hours_ago)
    reported = now() - timedelta(hours=reported_hours_ago or (hours_ago or 0) + 24)
    made = MissingEpisode(organisation_id=child.organisation_id, child_id=child.id,
                          reported_missing_at=reported, returned_at=returned, **fields)
    session.add(made)
    session.flush()
    return made


def interview(session, made: MissingEpisode, worker=None, **fields) -> ReturnInterview:
    held = ReturnInterview(organisation_id=made.organisation_id, episode_id=made.id,
                           interviewer_id=worker.id if worker else None, **fields)
    session.add(held)
    session.flush()
    return held


def attempts(session, held: ReturnInterview, *outcomes: str) -> None:
    for number, outcome in enumerate(outcomes):
        session.add(InterviewAttempt(organisation_id=held.organisation_id, interview_id=held.id,
                                     attempted_at=now() - timedelta(hours=10 - number),
                                     method="phone", outcome=outcome))
    session.flush()


def declined(session, made, worker) -> ReturnInterview:
    return interview(session, made, worker, consent=Consent.DECLINED, declined_by="child",
                     consent_recorded_at=now() - timedelta(hours=1))


def intelligence(session, held: ReturnInterview) -> None:
    session.add(IntelligenceItem(organisation_id=held.organisation_id, interview_id=held.id,
                                 kind="vehicle", vehicle_registration="AB12 CDE"))
    session.flush()


def child(session, like: Child, given: str) -> Child:
    """Another child of the same team and worker as `like`."""
    made = Child(organisation_id=like.organisation_id, team_id=like.team_id,
                 assigned_worker_id=like.assigned_worker_id, given_name=given,
                 family_name="Test")
    session.add(made)
    session.flush()
    return made


def tablet(session, person, name="Tablet", seen_hours_ago: float | None = 1,
           unsent: int | None = None, **fields) -> Device:
    seen = None if seen_hours_ago is None else now() - timedelta(hours=seen_hours_ago)
    made = Device(organisation_id=person.organisation_id, person_id=person.id, name=name,
                  last_seen_at=seen, unsent_count=unsent, **fields)
    session.add(made)
    session.flush()
    return made


def section_of(page: str, key: str) -> str:
    """The HTML of one section of the board."""
    found = re.search(rf'<section class="board-section" id="{key}".*?</section>', page, re.S)
    assert found, f"no section {key}"
    return found.group(0)


def count_of(page: str, key: str) -> int:
    return int(re.search(r'<span class="count">\((\d+)\)</span>', section_of(page, key)).group(1))


def sync_health_of(page: str) -> str:
    found = re.search(r'<section class="sync-health".*?</section>', page, re.S)
    assert found
    return found.group(0)


SUBMITTED = InterviewStatus.SUBMITTED
APPROVED = InterviewStatus.APPROVED
