"""0017 adds children's folded names in place and fills them for the children already there
(SQLite cannot rebuild a table other rows refer to); going down and up again keeps every
child and episode."""

from datetime import UTC, datetime

import pytest
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from app.auth.models import Role
from app.auth.services import add_organisation, add_person
from app.cases.models import Child, MissingEpisode
from app.extensions import db
from tests.conftest import fresh_databases


def _before_0017() -> str:
    config = current_app.extensions["migrate"].migrate.get_config()
    return ScriptDirectory.from_config(config).get_revision("0017").down_revision


@pytest.mark.parametrize("fresh_app", list(fresh_databases()), indirect=True)
def test_folded_names_are_filled_for_the_children_already_there(fresh_app):
    with fresh_app.app_context():
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
