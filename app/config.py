"""Configuration in three layers: defaults here, then instance/adref.cfg, then the environment.

Environment variables named ADREF_<SETTING> override any setting; DATABASE_URL picks the database.
Values from the environment are parsed as JSON when they look like it (numbers, true/false), so
ADREF_MAX_CONTENT_LENGTH=2048 is an integer.
"""

import json
import os
import secrets
from pathlib import Path

from werkzeug.middleware.proxy_fix import ProxyFix

ENV_PREFIX = "ADREF_"
INSTANCE_FILE = "adref.cfg"


class Defaults:
    # The SQLite file lives in instance/; see sqlite_url().
    SQLALCHEMY_DATABASE_URI = None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    # A request body larger than this is refused with 413 before it is parsed.
    MAX_CONTENT_LENGTH = 1 * 1024 * 1024
    # A sync push may be larger than other requests, within its own limits.
    # How long a change waits for another writer (a sync push, mostly) before the service says
    # it is busy (503, try again) rather than queue for ever behind a writer that is stuck.
    WRITE_WAIT_SECONDS = 10
    SYNC_MAX_MUTATIONS = 500
    SYNC_MAX_BYTES = 8 * 1024 * 1024
    # Data minimisation: a finished case (every episode's interview approved) leaves the
    # tablets this many days after it was finished (app/interviews/retention.py). Server pages
    # and the API keep it.
    TABLET_KEEPS_DAYS = 30
    # Compress JSON and pages on the wire (a first pull of a tablet is mostly JSON).
    # Files are sent whole with brotli or zstd (Chromium asks for them over HTTPS), answers made
    # whole with gzip. (Python names JavaScript text/javascript now.)
    COMPRESS_MIMETYPES = ["application/json", "application/problem+json", "text/html",
                          "text/css", "text/javascript", "application/javascript",
                          "application/manifest+json"]
    COMPRESS_ALGORITHM = ["gzip"]
    COMPRESS_MIN_SIZE = 500
    # The worker's app locks after this many idle minutes (or hidden this long), and the
    # passcode alone opens it for this many days after the tablet was last online.
    PWA_IDLE_MINUTES = 5
    PWA_OFFLINE_UNLOCK_DAYS = 7
    API_PAGE_SIZE = 50
    API_MAX_PAGE_SIZE = 500
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Europe/London"
    LANGUAGES = ("cy", "en")
    # A signed-in session ends after this many idle seconds, and this many after sign-in
    # however busy it has been.
    SESSION_IDLE_SECONDS = 8 * 60 * 60
    SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
    SESSION_COOKIE_NAME = "adref_session"
    # Cookies sent only over HTTPS. None means: on, except in tests and in debug mode; `make run`
    # (plain HTTP on this computer) turns it off and says so.
    SESSION_COOKIE_SECURE = None
    SESSION_COOKIE_SAMESITE = "Lax"
    # How many reverse proxies (a load balancer, nginx) stand in front of the service. Each adds
    # X-Forwarded-For and X-Forwarded-Proto; only so many are believed, so that HTTPS is seen
    # (Secure cookies, HSTS) and wrong passwords are counted per the person's own network
    # address, not the proxy's. 0: the headers are ignored, as anyone could send them.
    TRUSTED_PROXIES = 0
    # Invitations are e-mailed when a mail server is named (app/admin/mail.py); otherwise the
    # admin passes the one-time link on themselves.
    MAIL_SERVER = None
    MAIL_PORT = 25
    MAIL_STARTTLS = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_FROM = None
    # How long an access token of a report client (a commissioner's system reading the annual
    # figures, app/reports/clients/) works: short, so that a copied token is soon worthless.
    REPORT_TOKEN_SECONDS = 15 * 60


def sqlite_url(instance_path: str) -> str:
    return "sqlite:///" + str(Path(instance_path) / "adref.sqlite3")


def _parse_env_value(raw: str):
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def settings_from_environment(environ=os.environ) -> dict:
    found = {
        key[len(ENV_PREFIX):]: _parse_env_value(value)
        for key, value in environ.items()
        if key.startswith(ENV_PREFIX) and key != ENV_PREFIX + "TEST_DATABASE_URL"
    }
    if environ.get("DATABASE_URL"):
        found["SQLALCHEMY_DATABASE_URI"] = environ["DATABASE_URL"]
    return found


def instance_secret_key(instance_path: str) -> str:
    """A random key kept in instance/ so sessions survive restarts; never in the repository."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def configure(app, overrides: dict | None) -> None:
    app.config.from_object(Defaults)
    app.config.from_pyfile(INSTANCE_FILE, silent=True)
    app.config.from_mapping(settings_from_environment())
    if overrides:
        app.config.from_mapping(overrides)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = sqlite_url(app.instance_path)
    if app.config.get("SESSION_COOKIE_SECURE") is None:
        app.config["SESSION_COOKIE_SECURE"] = not (app.config.get("TESTING") or app.debug)
    if app.config["TRUSTED_PROXIES"]:
        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(app.instance_path)
