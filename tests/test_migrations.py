"""The Alembic migrations make exactly the schema the models describe, and can be undone."""

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from app import create_app
from app.extensions import db


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


def fresh_databases():
    yield pytest.param("sqlite", id="sqlite")
    if os.environ.get("ADREF_TEST_DATABASE_URL"):
        yield pytest.param("postgresql", id="postgresql")


@pytest.fixture
def fresh_app(request, tmp_path):
    kind = request.param
    schema = None
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
    else:
        from tests.conftest import _postgres_schema_url

        schema = f"adref_migrations_{os.getpid()}"
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
