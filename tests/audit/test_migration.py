"""Migration 0019 chains the events written before the chain existed, in id order (gaps in the
ids as a sequence leaves them), and the events written after it go on from them."""

import uuid

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from app.audit.chain import verify_chain
from app.audit.services import record_access
from app.auth.models import Person, Role
from app.auth.services import add_organisation, add_person
from app.extensions import db
from tests.conftest import fresh_databases


@pytest.mark.parametrize("fresh_app", list(fresh_databases()), indirect=True)
def test_events_from_before_the_chain_are_chained_by_the_migration(fresh_app):
    with fresh_app.app_context():
        upgrade(revision="0018")  # the revision before the chain
        organisation, (team,) = add_organisation(db.session, "Migrating", ["Team"])
        worker = add_person(db.session, organisation, team, Role.WORKER, "W", "w@example.org")
        db.session.commit()
        organisation_id, worker_id = organisation.id, worker.id
        for event_id, hour in ((3, 9), (5, 10), (9, 11)):  # ids with gaps, as a sequence leaves
            db.session.execute(text(
                "INSERT INTO audit_events (id, at, organisation_id, person_id, action, "
                "collection, record_id) VALUES (:id, :at, :org, :person, 'read', 'children', "
                ":record)"), {"id": event_id, "at": f"2026-03-01 {hour:02d}:00:00.000000",
                              "org": organisation_id.hex, "person": worker_id.hex,
                              "record": uuid.uuid4().hex})
        db.session.commit()
        db.session.remove()

        upgrade()
        verdict = verify_chain(db.session)
        assert verdict.intact, verdict.problem
        assert (verdict.count, verdict.last_id) == (3, 9)

        worker = db.session.get(Person, worker_id)
        record_access(db.session, worker, "read", "people", worker.id)
        db.session.commit()
        verdict = verify_chain(db.session)
        assert verdict.intact, verdict.problem
        assert (verdict.count, verdict.last_id) == (4, 10)

        db.session.execute(text("UPDATE audit_events SET action = 'list' WHERE id = 5"))
        db.session.commit()
        assert verify_chain(db.session).row_id == 5
        db.session.remove()
