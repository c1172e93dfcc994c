"""The Alembic migrations make exactly the schema the models describe, and can be undone."""


import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select, text

from app.extensions import db
from tests.conftest import fresh_databases


def describe(difference) -> str:
    """One of compare_metadata's differences, readable in a failure message."""
    if isinstance(difference, list):
        return "; ".join(describe(d) for d in difference)
    operation = difference[0]
    if operation.startswith("modify_"):
        _op, _schema, table, column, _existing, in_database, in_models = difference
        def shown(value):
            return str(getattr(value, "arg", value))
        return (f"{operation} {table}.{column}: database has {shown(in_database)}, "
                f"models have {shown(in_models)}")
    target = difference[-1] if operation.startswith(("add_", "remove_")) else difference[1:]
    return f"{operation} {getattr(target, 'name', target)}"


def schema_differences(engine) -> list[str]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "compare_server_default": True})
        return [describe(d) for d in compare_metadata(context, db.metadata)]


def head_revision() -> str:
    config = current_app.extensions["migrate"].migrate.get_config()
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, f"the migrations have several heads: {heads}"
    return heads[0]


def current_revision(engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def model_tables() -> set[str]:
    return {table.name for table in db.metadata.sorted_tables}


def test_migrated_database_matches_the_models(app):
    with app.app_context():
        assert schema_differences(db.engine) == []
        assert current_revision(db.engine) == head_revision()


def test_migrated_database_has_every_table(app):
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
        assert model_tables() <= tables
        assert tables - model_tables() == {"alembic_version"}


def test_migrations_have_one_line_of_history(app):
    with app.app_context():
        config = current_app.extensions["migrate"].migrate.get_config()
        script = ScriptDirectory.from_config(config)
        revisions = list(script.walk_revisions())
        assert [r for r in revisions if r.down_revision is None] == [revisions[-1]]
        assert all(not r.is_merge_point for r in revisions)


@pytest.mark.parametrize("fresh_app", list(fresh_databases()), indirect=True)
def test_downgrade_to_base_and_upgrade_again(fresh_app):
    with fresh_app.app_context():
        engine = db.engine
        upgrade()
        head = head_revision()
        assert current_revision(engine) == head
        assert schema_differences(engine) == []
        with engine.connect() as connection:
            assert connection.execute(text("SELECT id, value FROM revision_counter")).all() == [
                (1, 0)]

        downgrade(revision="base")
        assert current_revision(engine) is None
        left = set(inspect(engine).get_table_names())
        assert left & model_tables() == set(), f"tables left after downgrade: {left}"

        upgrade()
        assert current_revision(engine) == head
        assert schema_differences(engine) == []
        assert model_tables() <= set(inspect(engine).get_table_names())
        with engine.connect() as connection:
            assert connection.execute(text("SELECT id, value FROM revision_counter")).all() == [
                (1, 0)]
        db.session.remove()


@pytest.mark.parametrize("fresh_app", list(fresh_databases()), indirect=True)
def test_reference_data_loads_into_a_freshly_migrated_database(fresh_app):
    from app.reference import load_reference_data

    with fresh_app.app_context():
        upgrade()
        counts = load_reference_data(db.session)
        db.session.commit()
        assert all(n > 0 for n in counts.values()), counts
        again = load_reference_data(db.session)
        db.session.commit()
        assert again == counts
        db.session.remove()


@pytest.mark.parametrize("fresh_app", list(fresh_databases()), indirect=True)
def test_results_kept_before_0003_still_answer_a_replay(fresh_app):
    """0003 keeps one row of results per push; results kept one per mutation before it (here
    made by going down to 0002) become pushes of one, and a replay finds them all."""
    from app.auth.devices import enrol_device
    from app.auth.models import Role
    from app.auth.services import add_organisation, add_person
    from app.core.types import utcnow
    from app.syncing.models import ResultBatch
    from app.syncing.store import SqlStore

    first = [{"mutation_id": 1, "status": "applied", "rev": 7},
             {"mutation_id": 2, "status": "rejected", "errors": {"given_name": ["Rhy hir."]}}]
    second = [{"mutation_id": 5, "status": "conflict", "rev": 9, "conflicts": [
        {"field": "given_name", "server_value": "Siôn", "device_value": "Sion"}]}]
    with fresh_app.app_context():
        upgrade()
        organisation, (team,) = add_organisation(db.session, "Migrating", ["Team"])
        worker = add_person(db.session, organisation, team, Role.WORKER, "W", "w@example.org")
        device_id = enrol_device(db.session, "secret", worker, "Tablet", utcnow()).device.id
        db.session.add_all([
            ResultBatch(device_id=device_id, first_mutation_id=1, last_mutation_id=2,
                        results=first),
            ResultBatch(device_id=device_id, first_mutation_id=5, last_mutation_id=5,
                        results=second)])
        db.session.commit()
        store = SqlStore(db.session)
        before = store.past_results(str(device_id), [1, 2, 5])
        db.session.remove()

        downgrade(revision="0002")
        with db.engine.connect() as connection:
            kept = connection.execute(text(
                "SELECT mutation_id FROM sync_mutation_results ORDER BY mutation_id")).scalars()
            assert list(kept) == [1, 2, 5]
        upgrade()
        after = SqlStore(db.session).past_results(str(device_id), [1, 2, 5])
        assert after == before
        assert [before[n].as_dict() for n in (1, 2, 5)] == first + second
        assert db.session.scalar(select(func.count()).select_from(ResultBatch)) == 3
        db.session.remove()


def _a_child_of_a_new_organisation():
    """A child (flushed) of a new organisation, in a team, assigned to a worker."""
    from app.auth.models import Role
    from app.auth.services import add_organisation, add_person
    from app.cases.models import Child

    organisation, (team,) = add_organisation(db.session, "Migrating", ["Team"])
    worker = add_person(db.session, organisation, team, Role.WORKER, "W", "w@example.org")
    child = Child(organisation_id=organisation.id, team_id=team.id,
                  assigned_worker_id=worker.id, given_name="Siân", family_name="Ŵyn")
    db.session.add(child)
    db.session.flush()
    return child


@pytest.mark.parametrize("fresh_app", list(fresh_databases()), indirect=True)
def test_coded_answers_survive_0004_both_ways(fresh_app):
    """0004 keys interview_codes by its three columns (WITHOUT ROWID on SQLite); going down and
    up again keeps every coded answer of every interview."""
    from datetime import UTC, datetime

    from app.cases.models import MissingEpisode
    from app.interviews.models import ReturnInterview

    def stored_codes() -> list[tuple]:
        with db.engine.connect() as connection:
            return connection.execute(text(
                "SELECT interview_id, list_name, code FROM interview_codes "
                "ORDER BY interview_id, list_name, code")).all()

    with fresh_app.app_context():
        upgrade()
        child = _a_child_of_a_new_organisation()
        organisation_id = child.organisation_id
        moment = datetime(2026, 3, 1, 9, tzinfo=UTC)
        interviews = []  # two: the keys of one must not mix with the other's
        for pushes in (["bullying", "not_listened_to"], ["communication_breakdown"]):
            episode = MissingEpisode(organisation_id=organisation_id, child_id=child.id,
                                     reported_missing_at=moment, returned_at=moment)
            db.session.add(episode)
            db.session.flush()
            interview = ReturnInterview(organisation_id=organisation_id, episode_id=episode.id)
            interview.set_coded("push_factor", pushes)
            interview.set_coded("pull_factor", ["to_see_friends"])
            db.session.add(interview)
            interviews.append(interview)
        db.session.commit()
        first_id = interviews[0].id
        before = stored_codes()
        assert len(before) == 5
        if db.engine.dialect.name == "sqlite":
            with db.engine.connect() as connection:
                made = connection.execute(text("SELECT sql FROM sqlite_master "
                                               "WHERE name = 'interview_codes'")).scalar()
            assert "WITHOUT ROWID" in made
        db.session.remove()

        downgrade(revision="0003")
        with db.engine.connect() as connection:
            numbered = connection.execute(text("SELECT id FROM interview_codes")).scalars().all()
        assert len(set(numbered)) == 5 and None not in numbered
        assert stored_codes() == before

        upgrade()
        assert stored_codes() == before
        again = db.session.get(ReturnInterview, first_id)
        assert again.coded("push_factor") == ["bullying", "not_listened_to"]
        assert again.coded("pull_factor") == ["to_see_friends"]
        db.session.remove()


@pytest.mark.parametrize("fresh_app", list(fresh_databases()), indirect=True)
def test_field_sources_survive_0005_both_ways(fresh_app):
    """0005 stores field_sources grouped by (revision, source): each device's id once a change,
    not once a field. Going down and up again keeps every field's revision and source."""
    import json

    from app.cases.models import Child

    device = "0190aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee"

    def canonical(groups: list) -> list:
        return sorted((revision, source or "", sorted(names)) for revision, source, names in groups)

    def stored_sources() -> dict:
        with db.engine.connect() as connection:
            value = connection.execute(text("SELECT field_sources FROM children")).scalar_one()
        return json.loads(value) if isinstance(value, str) else value

    with fresh_app.app_context():
        upgrade()
        child = _a_child_of_a_new_organisation()
        db.session.commit()
        made_at = child.rev
        # Two fields changed later by a device, as a sync push records them.
        child.field_sources = {**child.field_sources, "given_name": [made_at + 5, device],
                               "family_name": [made_at + 5, device]}
        db.session.commit()
        child_id = child.id
        db.session.remove()
        before = db.session.get(Child, child_id).field_sources
        assert before["given_name"] == [made_at + 5, device]
        assert before["team_id"] == [made_at, None]
        grouped = stored_sources()
        assert [(revision, sorted(names)) for revision, source, names in grouped
                if source == device] == [(made_at + 5, ["family_name", "given_name"])]
        db.session.remove()

        downgrade(revision="0004")
        assert stored_sources() == before

        upgrade()
        # PostgreSQL's JSONB keeps an object's keys in an order of its own, so fields may come
        # back grouped in another order.
        assert canonical(stored_sources()) == canonical(grouped)
        assert db.session.get(Child, child_id).field_sources == before
        db.session.remove()
