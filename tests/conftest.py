"""Fixtures: a real database (a fresh SQLite file, or a fresh PostgreSQL schema when
ADREF_TEST_DATABASE_URL is set), migrated with Alembic; rows written by a test are removed
after it; people of two organisations to test who sees what."""

import os
import re
import uuid
from dataclasses import dataclass
from urllib.parse import quote

import psycopg
import pyotp
import pytest
from flask_migrate import upgrade
from sqlalchemy import delete
from sqlalchemy.orm import Session

from app import create_app
from app.auth.models import Organisation, Person, Role, Team
from app.auth.passwords import hash_password
from app.auth.second_factor.models import SecondFactor
from app.auth.services import add_organisation, add_person
from app.cases.models import Child
from app.extensions import db
from app.reference import load_reference_data

PASSWORD = "correct horse battery staple"
# Reference data loaded once; tests never remove these rows (only rows an organisation added).
REFERENCE_TABLES = {"areas", "code_list_items", "questionnaire_versions", "revision_counter",
                    "alembic_version"}


def _postgres_schema_url(base_url: str, schema: str) -> str:
    plain = base_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        conn.execute(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in base_url else "?"
    return f"{base_url}{separator}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    base = os.environ.get("ADREF_TEST_DATABASE_URL")
    if not base:
        yield "sqlite:///" + str(tmp_path_factory.mktemp("db") / "adref.sqlite3")
        return
    schema = f"adref_test_{os.getpid()}"
    yield _postgres_schema_url(base, schema)
    plain = base.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-only-secret",
        "DEMO_PASSWORD": PASSWORD,
    })
    with app.app_context():
        upgrade()
        load_reference_data(db.session)
        db.session.commit()
    return app


def remove_test_rows() -> None:
    for table in reversed(db.metadata.sorted_tables):
        if table.name not in REFERENCE_TABLES:
            db.session.execute(delete(table))
        elif "organisation_id" in table.c:
            db.session.execute(delete(table).where(table.c.organisation_id.is_not(None)))
    db.session.commit()


@pytest.fixture(autouse=True)
def clean_database(app):
    yield
    with app.app_context():
        db.session.rollback()
        remove_test_rows()


@pytest.fixture
def session(app):
    """A database session of the test's own, for setting up and checking rows directly.

    It is not tied to an app context on purpose: a context held open for the whole test would
    be shared by every request of the test client (and with it `g`, the language, the session).
    """
    with app.app_context():
        engine = db.engine
    with Session(engine) as own_session:
        yield own_session


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def password_hash():
    return hash_password(PASSWORD)


@dataclass
class World:
    """Two organisations. In A: a supervisor and two workers in one team, a worker in another
    team, an admin and a commissioner; children assigned to the workers. In B: one worker and
    one child."""

    org_a: Organisation
    team_a: Team
    other_team: Team
    supervisor: Person
    worker: Person
    colleague: Person
    other_team_worker: Person
    admin: Person
    commissioner: Person
    org_b: Organisation
    outsider: Person
    child: Child
    colleague_child: Child
    other_team_child: Child
    outsider_child: Child


def _person(session, org, team, role, name, password_hash, language="en"):
    email = f"{name.lower().replace(' ', '.')}.{uuid.uuid4().hex[:6]}@example.org"
    return add_person(session, org, team, role, name, email, password_hash, language)


def _child(session, org, team, worker, given, **fields):
    child = Child(organisation_id=org.id, team_id=team.id, assigned_worker_id=worker.id,
                  given_name=given, family_name="Test", **fields)
    session.add(child)
    session.flush()
    return child


@pytest.fixture
def world(session, password_hash):
    org_a, (team_a, other_team) = add_organisation(session, "Organisation A", ["A1", "A2"])
    org_b, (team_b,) = add_organisation(session, "Organisation B", ["B1"])
    people = {
        "supervisor": _person(session, org_a, team_a, Role.SUPERVISOR, "Siân Sup", password_hash),
        "worker": _person(session, org_a, team_a, Role.WORKER, "Will Worker", password_hash),
        "colleague": _person(session, org_a, team_a, Role.WORKER, "Cai Colleague", password_hash),
        "other_team_worker": _person(session, org_a, other_team, Role.WORKER, "Owen Other",
                                     password_hash),
        "admin": _person(session, org_a, None, Role.ADMIN, "Ada Admin", password_hash),
        "commissioner": _person(session, org_a, None, Role.COMMISSIONER, "Cora Comm",
                                password_hash),
        "outsider": _person(session, org_b, team_b, Role.WORKER, "Olaf Outsider", password_hash),
    }
    children = {
        "child": _child(session, org_a, team_a, people["worker"], "Cerys", looked_after=True,
                        placing_authority_code="W06000015", host_authority_code="W06000011"),
        "colleague_child": _child(session, org_a, team_a, people["colleague"], "Dylan"),
        "other_team_child": _child(session, org_a, other_team, people["other_team_worker"],
                                   "Ffion"),
        "outsider_child": _child(session, org_b, team_b, people["outsider"], "Osian"),
    }
    session.commit()
    return World(org_a=org_a, team_a=team_a, other_team=other_team, org_b=org_b, **people,
                 **children)


def _csrf(page) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def sign_in(client, person: Person, password: str = PASSWORD):
    """Signs in through the real sign-in form, as a person would, with the second step when
    asked for one (supervisors and admins): see second_step."""
    token = _csrf(client.get("/sign-in?lang=en&another=1"))
    response = client.post("/sign-in", data={"csrf_token": token, "email": person.email,
                                              "password": password})
    assert response.status_code == 302, response.text
    second_step(client, response)
    return client


def second_step(client, response):
    """After a right password: nothing more when the session has started; else enrolment (the
    key read off the page, its code, the recovery codes' page's button), or a code from the
    person's secret. A person signs in once in a while; tests sign the same person in many times
    a minute, so the step last used is forgotten first (each code is accepted once). The answer
    that started the session."""
    where = response.headers["Location"]
    if where.startswith("/sign-in/second-factor"):
        page = client.get(where)
        secret = re.search(r'id="secret-key">([A-Z2-7 ]+)<', page.text).group(1).replace(" ", "")
        confirmed = client.post("/sign-in/second-factor", data={
            "csrf_token": _csrf(page), "code": pyotp.TOTP(secret).now()})
        assert confirmed.status_code == 200, confirmed.text
        finished = client.post("/sign-in/finish", data={"csrf_token": _csrf(confirmed)})
        assert finished.status_code == 302, finished.text
        return finished
    elif where.startswith("/sign-in/code"):
        page = client.get(where)
        with client.application.app_context():
            factor = db.session.get(SecondFactor, _half_signed_in_person(client))
            factor.last_step = None
            secret = factor.secret
            db.session.commit()
        answered = client.post("/sign-in/code", data={"csrf_token": _csrf(page),
                                                      "code": pyotp.TOTP(secret).now()})
        assert answered.status_code == 302, answered.text
        return answered
    return response


def _half_signed_in_person(client) -> uuid.UUID:
    with client.session_transaction() as cookie_session:
        return uuid.UUID(cookie_session["half_signed_in"]["person"])


@pytest.fixture
def as_person(app):
    """as_person(person) gives a test client signed in as that person."""

    def make(person: Person):
        return sign_in(app.test_client(), person)

    return make


def fresh_databases():
    yield pytest.param("sqlite", id="sqlite")
    if os.environ.get("ADREF_TEST_DATABASE_URL"):
        yield pytest.param("postgresql", id="postgresql")


@pytest.fixture
def fresh_app(request, tmp_path):
    """An app on a database of its own, not yet migrated (parametrized with fresh_databases)."""
    kind = request.param
    schema = None
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
    else:
        schema = f"adref_fresh_{os.getpid()}"
        url = _postgres_schema_url(os.environ["ADREF_TEST_DATABASE_URL"], schema)
    fresh = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                        "SECRET_KEY": "test-only-secret"})
    yield fresh
    with fresh.app_context():
        db.session.remove()
        db.engine.dispose()
    if schema:
        import psycopg

        plain = os.environ["ADREF_TEST_DATABASE_URL"].replace("postgresql+psycopg://",
                                                               "postgresql://")
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
