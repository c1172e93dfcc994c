"""`flask seed-demo`: the demo organisation for `make run`, which can be seeded again safely."""

import pytest
from sqlalchemy import func, select, text

from app.auth.models import Person, Role
from app.cases.models import Child, MissingEpisode
from app.demo import DEMO_NOW, PEOPLE, demo_id
from app.extensions import db
from app.interviews.models import InterviewAttempt, InterviewStatus, ReturnInterview
from tests.conftest import PASSWORD, sign_in


def snapshot(session) -> dict:
    """Rows of every table, and the last revision handed out."""
    session.expire_all()
    counts = {table.name: session.scalar(select(func.count()).select_from(table))
              for table in db.metadata.sorted_tables}
    counts["revision_counter.value"] = session.scalar(
        text("SELECT value FROM revision_counter WHERE id = 1"))
    return counts


def run_seed(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result


@pytest.fixture
def seeded(app, session):
    """The output of the first run."""
    return run_seed(app)


def demo_children(session):
    organisation_id = demo_id("organisation")
    return session.scalars(select(Child).where(Child.organisation_id == organisation_id)).all()


def test_seeding_twice_changes_nothing(app, session, seeded):
    before = snapshot(session)
    revs_before = {(type(r).__name__, r.id): (r.rev, r.updated_at)
                   for model in (Person, Child, MissingEpisode, ReturnInterview, InterviewAttempt)
                   for r in session.scalars(select(model))}
    run_seed(app)
    assert snapshot(session) == before
    revs_after = {(type(r).__name__, r.id): (r.rev, r.updated_at)
                  for model in (Person, Child, MissingEpisode, ReturnInterview, InterviewAttempt)
                  for r in session.scalars(select(model))}
    assert revs_after == revs_before


def test_first_run_adds_the_demo(app, session):
    before = snapshot(session)
    run_seed(app)
    after = snapshot(session)
    assert after["children"] == before["children"] + 12
    assert after["people"] == before["people"] + len(PEOPLE)
    assert after["revision_counter.value"] > before["revision_counter.value"]


def test_twelve_children_across_several_authorities(session, seeded):
    children = demo_children(session)
    assert len(children) == 12
    authorities = {code for c in children
                   for code in (c.placing_authority_code, c.host_authority_code) if code}
    assert len(authorities) >= 5
    assert {c.preferred_language for c in children} == {"cy", "en"}
    assert any(c.looked_after and c.placing_authority_code != c.host_authority_code
               for c in children)
    assert any(not c.looked_after for c in children)
    assert all(c.episodes for c in children)


def test_interviews_in_every_status(session, seeded):
    statuses = set(session.scalars(
        select(ReturnInterview.status).where(
            ReturnInterview.organisation_id == demo_id("organisation"))))
    assert statuses == set(InterviewStatus)


def test_demo_interviews_are_consistent(session, seeded):
    interviews = session.scalars(select(ReturnInterview).where(
        ReturnInterview.organisation_id == demo_id("organisation"))).all()
    assert interviews
    for interview in interviews:
        assert interview.questionnaire_version_id is not None
        if interview.conducted_at is not None:
            assert interview.conducted_at >= interview.episode.returned_at
        if interview.status != InterviewStatus.DRAFT:
            assert interview.submitted_at is not None
        assert interview.episode.reported_missing_at < DEMO_NOW


def test_one_supervisor_and_two_workers(session, seeded):
    people = session.scalars(select(Person).where(
        Person.organisation_id == demo_id("organisation"))).all()
    roles = [p.role for p in people]
    assert roles.count(Role.SUPERVISOR) == 1
    assert roles.count(Role.WORKER) == 2
    workers = {p.id for p in people if p.role == Role.WORKER}
    assert {c.assigned_worker_id for c in demo_children(session)} == workers
    assert all(p.password_hash and p.password_hash.startswith("$argon2id$") for p in people)


def test_output_lists_the_demo_accounts(seeded):
    for _key, name, email, role, _language in PEOPLE:
        line = next((ln for ln in seeded.output.splitlines() if email in ln), None)
        assert line is not None, seeded.output
        assert role.value in line and name in line
    assert PASSWORD in seeded.output


def test_demo_accounts_can_sign_in(app, session, seeded):
    worker = session.get(Person, demo_id("worker-1"))
    client = sign_in(app.test_client(), worker)
    children = client.get("/api/v1/children").json
    assert children["total"] == len([c for c in demo_children(session)
                                     if c.assigned_worker_id == worker.id])
    assert children["total"] > 0
