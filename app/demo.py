"""Demo data for `make run`: one organisation, its people, and a dozen children's cases.

Every record has a fixed id, and an existing record is left alone, so seeding twice changes
nothing. The demo password is not in the repository: it is taken from ADREF_DEMO_PASSWORD or
made once and kept in instance/.
"""

import secrets
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from app.auth.models import Organisation, Person, Role, Team
from app.auth.passwords import hash_password
from app.cases.models import Child, MissingEpisode
from app.interviews.models import Consent, InterviewAttempt, InterviewStatus, ReturnInterview
from app.interviews.services import interviews_written
from app.questionnaires.services import current_version

DEMO_NAMESPACE = uuid.UUID("5f0c6a4e-1d8b-4f7e-9a51-7a2d0c9e3b10")
# A fixed moment keeps the demo the same on every run and every machine.
DEMO_NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)

PEOPLE = [
    ("supervisor", "Siân Roberts", "supervisor@demo.adref.cymru", Role.SUPERVISOR, "cy"),
    ("worker-1", "Gareth Lewis", "gareth@demo.adref.cymru", Role.WORKER, "en"),
    ("worker-2", "Nia Thomas", "nia@demo.adref.cymru", Role.WORKER, "cy"),
    ("admin", "Alun Davies", "admin@demo.adref.cymru", Role.ADMIN, "en"),
]

# given, family, born, language, looked after, placing, host, residential, UASC, worker
CHILDREN = [
    ("Cerys", "Morgan", date(2011, 3, 14), "cy", True, "W06000002", "W06000003", True, False, 1),
    ("Dylan", "Pritchard", date(2010, 7, 2), "en", True, "W06000015", "W06000011", True, False, 1),
    ("Ffion", "Hughes", date(2012, 1, 23), "cy", False, None, None, False, False, 2),
    ("Rhys", "Jenkins", date(2009, 11, 5), "en", True, "W06000022", "W06000022", False, False, 1),
    ("Elin", "Parry", date(2013, 5, 30), "cy", False, None, None, False, False, 2),
    ("Kai", "Williams", date(2008, 9, 12), "en", True, "W06000016", "W06000024", True, False, 2),
    ("Amir", "Haddad", date(2009, 2, 1), "en", True, "W06000015", "W06000015", False, True, 1),
    ("Mali", "Evans", date(2011, 8, 19), "cy", True, "W06000008", "W06000010", False, False, 2),
    ("Osian", "Griffiths", date(2010, 4, 7), "cy", False, None, None, False, False, 1),
    ("Lily", "Bowen", date(2012, 12, 11), "en", True, "W06000020", "W06000019", True, False, 2),
    ("Tomos", "Rees", date(2009, 6, 26), "cy", True, "W06000023", "W06000009", False, False, 1),
    ("Jade", "Price", date(2010, 10, 3), "en", False, None, None, False, False, 2),
]

STATUSES = [InterviewStatus.DRAFT, InterviewStatus.SUBMITTED, InterviewStatus.RETURNED,
            InterviewStatus.APPROVED]
FORCE_OF = {"W06000002": "W15000001", "W06000003": "W15000001", "W06000015": "W15000003",
            "W06000011": "W15000003", "W06000022": "W15000002", "W06000016": "W15000003",
            "W06000024": "W15000003", "W06000008": "W15000004", "W06000010": "W15000004",
            "W06000020": "W15000002", "W06000019": "W15000002", "W06000023": "W15000004",
            "W06000009": "W15000004"}


def demo_id(name: str) -> uuid.UUID:
    return uuid.uuid5(DEMO_NAMESPACE, name)


def demo_password(instance_path: str, from_environment: str | None) -> str:
    if from_environment:
        return from_environment
    path = Path(instance_path) / "demo-password"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(12))
        path.chmod(0o600)
    return path.read_text().strip()


def _add_once(session: Session, record):
    if session.get(type(record), record.id) is None:
        session.add(record)
        session.flush()
    return session.get(type(record), record.id)


def seed_demo(session: Session, password: str) -> list[tuple[str, str, str]]:
    organisation = _add_once(session, Organisation(id=demo_id("organisation"),
                                                   name="Llwybr Adref (demo)"))
    team = _add_once(session, Team(id=demo_id("team"), organisation_id=organisation.id,
                                   name="Tîm y De / South team"))
    people = {}
    password_hash = None
    for key, name, email, role, language in PEOPLE:
        if session.get(Person, demo_id(key)) is None and password_hash is None:
            password_hash = hash_password(password)
        people[key] = _add_once(session, Person(
            id=demo_id(key), organisation_id=organisation.id,
            team_id=None if role == Role.ADMIN else team.id, email=email, display_name=name,
            role=role, preferred_language=language, password_hash=password_hash))
    version = current_version(session, organisation.id)
    for index, row in enumerate(CHILDREN):
        _seed_child(session, organisation, team, people, version, index, row)
    return [(p.email, p.role.value, p.display_name) for p in people.values()]


def _seed_child(session, organisation, team, people, version, index, row):
    given, family, born, language, looked_after, placing, host, residential, uasc, worker = row
    child = _add_once(session, Child(
        id=demo_id(f"child-{index}"), organisation_id=organisation.id, team_id=team.id,
        assigned_worker_id=people[f"worker-{worker}"].id, given_name=given, family_name=family,
        date_of_birth=born, preferred_language=language, looked_after=looked_after,
        placing_authority_code=placing, host_authority_code=host,
        residential_placement=residential, unaccompanied_asylum_seeking=uasc))
    # Children in care go missing more often: give them more episodes (DOMAIN.md).
    for number in range(3 if looked_after else 1):
        reported = DEMO_NOW - timedelta(days=5 + index * 3 + number * 20, hours=index)
        returned = reported + timedelta(hours=6 + index * 2)
        episode = _add_once(session, MissingEpisode(
            id=demo_id(f"episode-{index}-{number}"), organisation_id=organisation.id,
            child_id=child.id, reported_missing_at=reported, returned_at=returned,
            return_method="found" if number % 2 else "came_back",
            risk_grade=["low", "medium", "high", "no_apparent_risk"][(index + number) % 4],
            reporting_force_code=FORCE_OF.get(host or "", "W15000003")))
        _seed_interview(session, organisation, people, version, child, episode, index, number)


def _seed_interview(session, organisation, people, version, child, episode, index, number):
    status = STATUSES[(index + number) % len(STATUSES)]
    declined = index % 5 == 4 and number == 0
    interview = _add_once(session, ReturnInterview(
        id=demo_id(f"interview-{index}-{number}"), organisation_id=organisation.id,
        episode_id=episode.id, interviewer_id=child.assigned_worker_id, status=status,
        questionnaire_version_id=version.id, local_answers={},
        offered_at=episode.returned_at + timedelta(hours=4),
        consent=Consent.DECLINED if declined else Consent.ACCEPTED,
        consent_recorded_at=episode.returned_at + timedelta(hours=30),
        declined_by="child" if declined else None,
        decline_reason="not_ready_yet" if declined else None,
        conducted_at=None if declined else episode.returned_at + timedelta(hours=48 + index * 3),
        location=None if declined else "placement" if child.looked_after else "home",
        interviewer_type="independent_service", interviewer_organisation=organisation.name,
        independent_of_police=True, independent_of_local_authority=True,
        independent_of_placement=True, child_chose_known_adult=False,
        language=child.preferred_language,
        why_missing=None if declined else "Demo: an argument at home about going out.",
        submitted_at=None if status == InterviewStatus.DRAFT else episode.returned_at
        + timedelta(days=3),
    ))
    if not declined and not interview.codes:
        interview.push_factors = ["communication_breakdown"] if index % 2 else ["family_conflict"]
        interview.pull_factors = ["to_see_friends"]
    interviews_written(session, {interview.id})  # (what follows, as any write: its priority)
    _add_once(session, InterviewAttempt(
        id=demo_id(f"attempt-{index}-{number}"), organisation_id=organisation.id,
        interview_id=interview.id, attempted_at=episode.returned_at + timedelta(hours=5),
        method="phone", outcome="appointment_made"))
