"""A real server process (gunicorn) on a database file of its own, with a worker, a child, a
missing episode and an enrolled tablet, for tests that push to it over HTTP."""

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
from flask_migrate import upgrade

from app import create_app
from app.auth.devices import enrol_device
from app.auth.models import Role
from app.auth.services import add_organisation, add_person
from app.cases.models import Child, MissingEpisode
from app.extensions import db
from app.reference import load_reference_data

ROOT = Path(__file__).resolve().parents[1]
SECRET = "server-test-secret"


def prepare_push_database(database_url: str) -> tuple[str, str, str]:
    """The schema and a worker with a tablet; returns (device id, access token, episode id)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET})
    with app.app_context():
        upgrade()
        load_reference_data(db.session)
        organisation, (team,) = add_organisation(db.session, "Prawf", ["Team"])
        worker = add_person(db.session, organisation, team, Role.WORKER, "Worker",
                            "worker@example.org")
        child = Child(organisation_id=organisation.id, team_id=team.id,
                      assigned_worker_id=worker.id, given_name="Siôn", family_name="Prawf")
        db.session.add(child)
        db.session.flush()
        episode = MissingEpisode(organisation_id=organisation.id, child_id=child.id,
                                 reported_missing_at=datetime(2026, 3, 1, tzinfo=UTC),
                                 returned_at=datetime(2026, 3, 2, tzinfo=UTC))
        db.session.add(episode)
        db.session.flush()
        pair = enrol_device(db.session, SECRET, worker, "Tablet", datetime.now(UTC))
        db.session.commit()
        return str(pair.device.id), pair.access_token, str(episode.id)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(database_url: str, workers: int = 1) -> tuple[subprocess.Popen, str]:
    port = free_port()
    # Plain HTTP on this computer: cookies that are not Secure, or no client sends them back.
    env = dict(os.environ, DATABASE_URL=database_url, ADREF_SECRET_KEY=SECRET,
               ADREF_SESSION_COOKIE_SECURE="false")
    env.pop("ADREF_TEST_DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            requests.get(base + "/", timeout=5)
            return process, base
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.05)
    raise RuntimeError("the server did not start")


def kill(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def interview_batch(device_id: str, episode_id: str, interview_ids: list[str],
                    first: int = 1) -> dict:
    """A push making these interviews, mutation ids counted from `first`."""
    conducted = datetime(2026, 3, 3, tzinfo=UTC)
    return {"protocol": 1, "device_id": device_id, "mutations": [
        {"mutation_id": n, "collection": "interviews", "id": interview_id, "op": "upsert",
         "base_rev": None,
         "fields": {"episode_id": episode_id, "why_missing": f"Rhif {n}: ŵ ŷ",
                    "conducted_at": (conducted + timedelta(minutes=n)).isoformat(),
                    "push_factors": ["family_conflict"]}}
        for n, interview_id in enumerate(interview_ids, start=first)]}
