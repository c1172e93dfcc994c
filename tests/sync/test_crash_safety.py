"""A real server process is killed (SIGKILL) in the middle of a push to a file database, then
restarted; the device retries. Nothing is lost and nothing is doubled."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
from flask_migrate import upgrade
from sqlalchemy import create_engine, select, text

from app import create_app
from app.auth.devices import enrol_device
from app.auth.models import Device, Role
from app.auth.services import add_organisation, add_person
from app.cases.models import Child, MissingEpisode
from app.extensions import db
from app.interviews.models import ReturnInterview
from app.reference import load_reference_data
from app.syncing.models import ResultBatch

ROOT = Path(__file__).resolve().parents[2]
SECRET = "crash-test-secret"
MUTATIONS = 500  # the largest batch a push may carry


def _prepare(database_url: str):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET})
    with app.app_context():
        upgrade()
        load_reference_data(db.session)
        organisation, (team,) = add_organisation(db.session, "Crash", ["Team"])
        worker = add_person(db.session, organisation, team, Role.WORKER, "Worker",
                            "crash@example.org")
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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_server(database_url: str) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = dict(os.environ, DATABASE_URL=database_url, ADREF_SECRET_KEY=SECRET)
    env.pop("ADREF_TEST_DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}", "wsgi:app"],
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


def _kill(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def _batch(device_id: str, episode_id: str, interview_ids: list[str]) -> dict:
    conducted = datetime(2026, 3, 3, tzinfo=UTC)
    return {"protocol": 1, "device_id": device_id, "mutations": [
        {"mutation_id": n, "collection": "interviews", "id": interview_id, "op": "upsert",
         "base_rev": None,
         "fields": {"episode_id": episode_id, "why_missing": f"Rhif {n}: ŵ ŷ",
                    "conducted_at": (conducted + timedelta(minutes=n)).isoformat(),
                    "push_factors": ["family_conflict"]}}
        for n, interview_id in enumerate(interview_ids, start=1)]}


def _push_in_background(base: str, token: str, body: dict) -> dict:
    outcome = {}

    def send():
        try:
            outcome["response"] = requests.post(
                base + "/api/v1/sync/push", json=body, timeout=60,
                headers={"Authorization": "Bearer " + token})
        except requests.RequestException as error:
            outcome["error"] = error

    thread = threading.Thread(target=send)
    thread.start()
    outcome["thread"] = thread
    return outcome


def test_a_server_killed_mid_push_loses_and_doubles_nothing(tmp_path):
    killed_mid_push = False
    for attempt, delay in enumerate((0.3, 0.15, 0.08, 0.04, 0.02, 0.01)):
        # A database of its own each time: a push that finished before the kill has stored its
        # batch, and the same batch sent again would only be answered "duplicate".
        database_url = "sqlite:///" + str(tmp_path / f"crash-{attempt}.sqlite3")
        device_id, token, episode_id = _prepare(database_url)
        interview_ids = [str(uuid.uuid4()) for _ in range(MUTATIONS)]
        body = _batch(device_id, episode_id, interview_ids)
        process, base = _start_server(database_url)
        outcome = _push_in_background(base, token, body)
        time.sleep(delay)
        _kill(process)
        outcome["thread"].join()
        if "error" in outcome:
            killed_mid_push = True
            break
    assert killed_mid_push, "the push always finished before the kill"

    process, base = _start_server(database_url)
    try:
        headers = {"Authorization": "Bearer " + token}
        retried = requests.post(base + "/api/v1/sync/push", json=body, headers=headers,
                                timeout=60)
        again = requests.post(base + "/api/v1/sync/push", json=body, headers=headers,
                              timeout=60)
    finally:
        _kill(process)

    assert retried.status_code == 200, retried.text
    assert {r["status"] for r in retried.json()["results"]} <= {"applied", "duplicate"}
    assert {r["status"] for r in again.json()["results"]} == {"duplicate"}

    engine = create_engine(database_url)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        stored = connection.execute(select(ReturnInterview.id, ReturnInterview.why_missing)).all()
        results = [result["mutation_id"] for (batch,) in connection.execute(
                       select(ResultBatch.results)) for result in batch]
        last = connection.execute(select(Device.last_mutation_id)).scalar()
    engine.dispose()
    assert sorted(str(row.id) for row in stored) == sorted(interview_ids)
    assert {row.why_missing for row in stored} == {f"Rhif {n}: ŵ ŷ"
                                                  for n in range(1, MUTATIONS + 1)}
    assert sorted(results) == list(range(1, MUTATIONS + 1))
    assert last == MUTATIONS
