"""SQLite's query planner is given statistics of the data, so a push checks the records it
names by their keys, however many children the organisation holds. Without them, "which of
these episodes may the worker see?" walked every child of the organisation on every push.

The database here is a SQLite file of this test's own, made afresh, so it starts, as a new
service does, with no statistics at all (the suite's shared database keeps whatever earlier
tests left). It runs in the PostgreSQL run too, on its own SQLite file: the behaviour under test
is SQLite's."""

import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from flask_migrate import upgrade
from sqlalchemy import event, text

from app import create_app
from app.auth.models import Role
from app.auth.services import add_organisation, add_person
from app.cases.models import Child, MissingEpisode
from app.extensions import db
from app.reference import load_reference_data
from tests.conftest import sign_in
from tests.sync.http_helpers import CONDUCTED, enrol, statuses

OTHER_CHILDREN = 120
OWN_CHILDREN = 6


def _organisation_with_many_children(password_hash):
    organisation, (team,) = add_organisation(db.session, "Large", ["Team"])
    worker = add_person(db.session, organisation, team, Role.WORKER, "Gwyn Gweithiwr",
                        "gwyn@large.example", password_hash)
    colleague = add_person(db.session, organisation, team, Role.WORKER, "Non Cydweithiwr",
                           "non@large.example", password_hash)
    returned = datetime(2026, 3, 2, 8, tzinfo=UTC)
    own_episodes = []
    for number in range(OTHER_CHILDREN + OWN_CHILDREN):
        mine = number < OWN_CHILDREN
        child = Child(organisation_id=organisation.id, team_id=team.id,
                      assigned_worker_id=(worker if mine else colleague).id,
                      given_name=f"Plentyn {number}", family_name="Prawf")
        db.session.add(child)
        db.session.flush()
        episode = MissingEpisode(organisation_id=organisation.id, child_id=child.id,
                                 reported_missing_at=returned - timedelta(hours=20),
                                 returned_at=returned)
        db.session.add(episode)
        if mine:
            own_episodes.append(episode)
    db.session.flush()
    episode_ids = [str(episode.id) for episode in own_episodes]
    signs_in_as = SimpleNamespace(email=worker.email)
    db.session.commit()
    return signs_in_as, episode_ids


def _interviews(tablet, episode_ids):
    return [tablet.mutation("interviews", uuid.uuid4(),
                            {"episode_id": episode_id, "consent": "accepted",
                             "conducted_at": CONDUCTED})
            for episode_id in episode_ids]


def test_a_push_looks_up_the_episodes_it_names_by_key_once_statistics_are_kept(
        tmp_path, password_hash, request):
    app = create_app({"TESTING": True, "SECRET_KEY": "test-only-secret",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fresh.sqlite3'}"})
    with app.app_context():
        upgrade()
        load_reference_data(db.session)
        db.session.commit()
        worker, episode_ids = _organisation_with_many_children(password_hash)
        engine = db.engine
    request.addfinalizer(engine.dispose)  # this test's own file: its connections go with it

    tablet = enrol(app, sign_in(app.test_client(), worker))
    first = tablet.push(_interviews(tablet, episode_ids[:3]))
    assert statuses(first) == ["applied"] * 3

    asked = []

    def keep_visibility_checks(connection, cursor, statement, parameters, context, many):
        if "json_each" in statement and "JOIN children" in statement:
            asked.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep_visibility_checks)
    try:
        second = tablet.push(_interviews(tablet, episode_ids[3:]))
    finally:
        event.remove(engine, "before_cursor_execute", keep_visibility_checks)
    assert statuses(second) == ["applied"] * 3
    assert asked, "the push asked nothing about which episodes the worker may see"

    with engine.connect() as connection:
        analysed = set(connection.execute(text("SELECT tbl FROM sqlite_stat1")).scalars())
        assert {"children", "missing_episodes"} <= analysed
        raw = connection.connection.driver_connection
        for statement, parameters in asked:
            plan = " / ".join(row[3] for row in raw.execute(
                "EXPLAIN QUERY PLAN " + statement, parameters).fetchall())
            # Each episode named, then its child, found by primary key: never a walk over the
            # organisation's (or the worker's) children.
            assert "SEARCH missing_episodes USING INDEX sqlite_autoindex" in plan, plan
            assert "SEARCH children USING INDEX sqlite_autoindex" in plan, plan
            assert "organisation_id" not in plan and "assigned_worker_id" not in plan, plan
