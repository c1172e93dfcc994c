"""Configuration layers: defaults, then instance/adref.cfg, then ADREF_* and DATABASE_URL, then
what create_app is given; and the SQLite settings every connection gets."""

import os
import stat

import flask
import pytest
from sqlalchemy import text

from app import create_app
from app.extensions import db


@pytest.fixture
def instance(tmp_path, monkeypatch):
    """A fresh instance folder for the apps this test makes, and an environment without any
    ADREF_* setting or DATABASE_URL of the machine running the tests."""
    folder = tmp_path / "instance"
    monkeypatch.setattr(flask.Flask, "auto_find_instance_path", lambda self: str(folder))
    for name in list(os.environ):
        if name.startswith("ADREF_") or name == "DATABASE_URL":
            monkeypatch.delenv(name)
    return folder


@pytest.fixture
def make_app(instance):
    made = []

    def make(overrides=None):
        app = create_app(overrides)
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.engine.dispose()


def test_defaults(make_app, instance):
    app = make_app()
    assert app.instance_path == str(instance)
    assert app.config["API_PAGE_SIZE"] == 50
    assert app.config["API_MAX_PAGE_SIZE"] == 500
    assert app.config["MAX_CONTENT_LENGTH"] == 1024 * 1024
    assert app.config["SESSION_IDLE_SECONDS"] == 8 * 60 * 60
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["SESSION_ABSOLUTE_SECONDS"] == 12 * 60 * 60
    # Cookies go only over HTTPS outside tests and debug mode.
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["BABEL_DEFAULT_LOCALE"] == "en"
    assert app.config["BABEL_DEFAULT_TIMEZONE"] == "Europe/London"
    assert tuple(app.config["LANGUAGES"]) == ("cy", "en")
    assert app.config["TESTING"] is False


def test_default_database_is_sqlite_in_instance(make_app, instance):
    app = make_app()
    expected = instance / "adref.sqlite3"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{expected}"
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        db.session.remove()
    assert expected.exists()


def test_secret_key_is_made_once_and_kept_private(make_app, instance):
    first = make_app()
    key_file = instance / "secret_key"
    assert key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first.config["SECRET_KEY"]) >= 32
    assert first.config["SECRET_KEY"] == key_file.read_text().strip()
    assert make_app().config["SECRET_KEY"] == first.config["SECRET_KEY"]


def test_instance_file_overrides_defaults(make_app, instance):
    instance.mkdir(parents=True)
    (instance / "adref.cfg").write_text(
        "API_PAGE_SIZE = 20\nSESSION_IDLE_SECONDS = 600\nSECRET_KEY = 'from-the-instance-file'\n"
        "SQLALCHEMY_DATABASE_URI = 'sqlite:///" + str(instance / "from-cfg.sqlite3") + "'\n")
    app = make_app()
    assert app.config["API_PAGE_SIZE"] == 20
    assert app.config["SESSION_IDLE_SECONDS"] == 600
    assert app.config["SECRET_KEY"] == "from-the-instance-file"
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("/from-cfg.sqlite3")
    assert not (instance / "secret_key").exists()
    # Untouched settings keep their defaults.
    assert app.config["API_MAX_PAGE_SIZE"] == 500


def test_environment_overrides_the_instance_file(make_app, instance, monkeypatch):
    instance.mkdir(parents=True)
    (instance / "adref.cfg").write_text("API_PAGE_SIZE = 20\nSESSION_IDLE_SECONDS = 600\n")
    monkeypatch.setenv("ADREF_API_PAGE_SIZE", "7")
    app = make_app()
    assert app.config["API_PAGE_SIZE"] == 7
    assert isinstance(app.config["API_PAGE_SIZE"], int)
    assert app.config["SESSION_IDLE_SECONDS"] == 600


def test_environment_values_are_parsed(make_app, monkeypatch):
    monkeypatch.setenv("ADREF_SESSION_COOKIE_SECURE", "true")
    monkeypatch.setenv("ADREF_MAX_CONTENT_LENGTH", "2048")
    monkeypatch.setenv("ADREF_BABEL_DEFAULT_TIMEZONE", "Europe/London")
    monkeypatch.setenv("ADREF_SECRET_KEY", "from-the-environment")
    app = make_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["MAX_CONTENT_LENGTH"] == 2048
    assert app.config["BABEL_DEFAULT_TIMEZONE"] == "Europe/London"
    assert app.config["SECRET_KEY"] == "from-the-environment"


def test_secure_cookies_can_be_turned_off(make_app, monkeypatch):
    monkeypatch.setenv("ADREF_SESSION_COOKIE_SECURE", "false")
    assert make_app().config["SESSION_COOKIE_SECURE"] is False


def test_secure_cookies_are_off_in_tests(make_app):
    assert make_app({"TESTING": True}).config["SESSION_COOKIE_SECURE"] is False


def test_test_database_url_is_not_a_setting(make_app, monkeypatch):
    monkeypatch.setenv("ADREF_TEST_DATABASE_URL", "postgresql+psycopg://nobody@localhost/x")
    app = make_app()
    assert "TEST_DATABASE_URL" not in app.config
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")


def test_database_url_picks_the_database(make_app, tmp_path, monkeypatch):
    path = tmp_path / "chosen.sqlite3"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    app = make_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{path}"
    with app.app_context():
        db.session.execute(text("CREATE TABLE probe (id INTEGER PRIMARY KEY)"))
        db.session.commit()
        db.session.remove()
    assert path.exists()


def test_given_settings_override_everything(make_app, instance, tmp_path, monkeypatch):
    instance.mkdir(parents=True)
    (instance / "adref.cfg").write_text("API_PAGE_SIZE = 20\n")
    monkeypatch.setenv("ADREF_API_PAGE_SIZE", "7")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite3'}")
    app = make_app({"API_PAGE_SIZE": 3,
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'given.sqlite3'}"})
    assert app.config["API_PAGE_SIZE"] == 3
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("/given.sqlite3")


def test_sqlite_connections_use_wal_and_foreign_keys(make_app, tmp_path, monkeypatch):
    path = tmp_path / "pragmas.sqlite3"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    app = make_app({"SECRET_KEY": "x"})
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 10000
        db.session.execute(text("CREATE TABLE parent (id INTEGER PRIMARY KEY)"))
        db.session.execute(text(
            "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id))"))
        db.session.commit()
        with pytest.raises(Exception, match="FOREIGN KEY"):
            db.session.execute(text("INSERT INTO child (id, parent_id) VALUES (1, 99)"))
        db.session.rollback()
        db.session.remove()
    assert path.exists()


def test_several_apps_in_one_process(make_app, tmp_path):
    first = make_app({"SECRET_KEY": "one", "API_PAGE_SIZE": 11,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'one.sqlite3'}"})
    second = make_app({"SECRET_KEY": "two", "API_PAGE_SIZE": 22,
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'two.sqlite3'}"})
    assert first.config["API_PAGE_SIZE"] == 11 and second.config["API_PAGE_SIZE"] == 22
    for app in (first, second):
        rules = {rule.rule for rule in app.url_map.iter_rules()}
        assert {"/", "/sign-in", "/sign-out", "/api/v1/me", "/api/v1/children",
                "/api/v1/openapi.json"} <= rules
        client = app.test_client()
        assert client.get("/").status_code == 200
        assert client.get("/?lang=cy").status_code == 200
        assert "Mewngofnodi" in client.get("/?lang=cy").text
        assert client.get("/api/v1/openapi.json").status_code == 200
        assert client.get("/api/v1/me").status_code == 401
        assert "seed-demo" in app.cli.commands and "db" in app.cli.commands
    assert first.url_map is not second.url_map
    with first.app_context():
        assert str(db.engine.url).endswith("one.sqlite3")
    with second.app_context():
        assert str(db.engine.url).endswith("two.sqlite3")


def test_the_models_relationships_are_resolved_when_the_app_is_made():
    """A new process (a gunicorn worker) resolves them while starting, not in its first request,
    and a mistake in them stops the start."""
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "from app import create_app\n"
        "from app.extensions import db\n"
        "create_app({'TESTING': True, 'SECRET_KEY': 'test-only-secret',\n"
        "            'SQLALCHEMY_DATABASE_URI': 'sqlite://'})\n"
        "mappers = db.Model.registry.mappers\n"
        "print(len(mappers), sum(not m.configured for m in mappers))\n")
    run = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).parent.parent,
                         text=True, capture_output=True, check=True, timeout=120)
    mapped, unresolved = map(int, run.stdout.split())
    assert mapped > 10
    assert unresolved == 0
