"""0017 adds children's folded names in place and fills them for the children already there
(SQLite cannot rebuild a table other rows refer to); going down and up again keeps every
child and episode."""

import os
from datetime import UTC, datetime

import psycopg
import pytest
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from app import create_app
from app.auth.models import Role
from app.auth.services import add_organisation, add_person
from app.cases.models import Child, MissingEpisode
from app.extensions import db
from tests.conftest import _postgres_schema_url


def _databases():
    yield "sqlite"
    if os.environ.get("ADREF_TEST_DATABASE_URL"):
        yield "postgresql"


@pytest.fixture(params=list(_databases()))
def empty_app(request, tmp_path):
    """An app on a database of its own, not yet migrated."""
    base = os.environ.get("ADREF_TEST_DATABASE_URL")
    schema = f"adref_intake_migration_{os.getpid()}"
    url = (f"sqlite:///{tmp_path / 'intake.sqlite3'}" if request.param == "sqlite"
           else _postgres_schema_url(base, schema))
    fresh = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                        "SECRET_KEY": "test-only-secret"})
    yield fresh
    with fresh.app_context():
        db.session.remove()
        db.engine.dispose()
    if request.param == "postgresql":
        with psycopg.connect(base.replace("postgresql+psycopg://", "postgresql://"),
                             autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def _before_0017() -> str:
    config = current_app.extensions["migrate"].migrate.get_config()
    return ScriptDirectory.from_config(config).get_revision("0017").down_revision


def test_folded_names_are_filled_for_the_children_already_there(empty_app):
    with empty_app.app_context():
        upgrade()
        organisation, (team,) = add_organisation(db.session, "Migrating", ["Team"])
        worker = add_person(db.session, organisation, team, Role.WORKER, "W", "w@example.org")
        child = Child(organisation_id=organisation.id, team_id=team.id,
                      assigned_worker_id=worker.id, given_name="Siân", family_name="Ŵyn")
        db.session.add(child)
        db.session.flush()
        moment = datetime(2026, 3, 1, 9, tzinfo=UTC)
        db.session.add(MissingEpisode(organisation_id=organisation.id, child_id=child.id,
                                      reported_missing_at=moment, returned_at=moment,
                                      notified_by="police", worker_wish="same"))
        db.session.commit()
        db.session.remove()
        downgrade(revision=_before_0017())
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT given_name FROM children")).all() == \
                [("Siân",)]
        upgrade()
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT name_folded FROM children")).scalar_one() \
                == "sian wyn"
            assert connection.execute(text(
                "SELECT count(*) FROM missing_episodes")).scalar_one() == 1
