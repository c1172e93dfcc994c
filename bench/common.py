"""Shared set-up for the benchmarks: a fresh SQLite database with the schema and reference data,
one organisation with a worker and an enrolled device, and a gunicorn serving it."""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SECRET = "benchmark-only-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_app(database_url: str):
    from app import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET})


def prepare_database(database_url: str, children: int, episodes: int | None = None):
    """Schema, reference data, a worker with a device, and `children` children with `episodes`
    missing episodes among them (one each unless said), made oldest first and dealt round the
    children in turn. Returns (device_id, access token, episode ids, oldest first)."""
    from flask_migrate import upgrade

    from app.auth.devices import enrol_device
    from app.auth.models import Role
    from app.auth.services import add_organisation, add_person
    from app.cases.models import Child, MissingEpisode
    from app.core.ids import new_id
    from app.extensions import db
    from app.reference import load_reference_data

    app = make_app(database_url)
    with app.app_context():
        upgrade()
        load_reference_data(db.session)
        organisation, (team,) = add_organisation(db.session, "Benchmark", ["Team"])
        worker = add_person(db.session, organisation, team, Role.WORKER, "Worker",
                            "worker@bench.example")
        cases = [Child(id=new_id(), organisation_id=organisation.id, team_id=team.id,
                       assigned_worker_id=worker.id, given_name=f"Plentyn {number}",
                       family_name="Prawf") for number in range(children)]
        db.session.add_all(cases)
        db.session.flush()
        start = datetime(2026, 1, 1, tzinfo=UTC)
        made = [MissingEpisode(id=new_id(), organisation_id=organisation.id,
                               child_id=cases[number % children].id,
                               reported_missing_at=start + timedelta(hours=number),
                               returned_at=start + timedelta(hours=number + 5))
                for number in range(children if episodes is None else episodes)]
        db.session.add_all(made)
        db.session.flush()
        pair = enrol_device(db.session, SECRET, worker, "Benchmark tablet", datetime.now(UTC))
        db.session.commit()
        return str(pair.device.id), pair.access_token, [str(e.id) for e in made]


@contextmanager
def gunicorn(database_url: str, workers: int = 2, tree: Path = ROOT):
    """A gunicorn serving the app of the working tree `tree` (this one unless said: another
    checkout of the project, run with this one's .venv, whose packages it imports first)."""
    port = free_port()
    # Plain HTTP on this computer: cookies that are not Secure, or no client sends them back.
    env = dict(os.environ, DATABASE_URL=database_url, ADREF_SECRET_KEY=SECRET,
               ADREF_SESSION_COOKIE_SECURE="false")
    process = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-w", str(workers), "-b",
         f"127.0.0.1:{port}", "--timeout", "120", "wsgi:app"],
        cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            requests.get(base + "/", timeout=10)
            break
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.05)
    try:
        yield base, process
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def server_pids(process: subprocess.Popen) -> list[int]:
    """gunicorn's own process and its workers."""
    return [process.pid] + [int(p) for p in subprocess.run(
        ["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()]


def cpu_seconds(pids: list[int]) -> float:
    """The processor time these processes have used, all their threads, in seconds (counted
    in ticks of 10 ms: sum it over many pushes)."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except FileNotFoundError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime and stime
    return ticks / os.sysconf("SC_CLK_TCK")


def peak_memory_mb(process: subprocess.Popen) -> float:
    """The largest peak resident size among the server's processes (VmHWM), in MB."""
    pids = server_pids(process)
    peaks = []
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        except FileNotFoundError:
            pass
    return max(peaks) if peaks else 0.0


# Untimed, before each turn of pushes or baseline batches: a pause, so that the disk work one
# turn leaves (the kernel's, after the fsyncs) does not run on into the next.
SETTLE_SECONDS = 0.25


def settle() -> None:
    time.sleep(SETTLE_SECONDS)


def log_copied_back(database_url: str) -> None:
    """Returns once the database's write-ahead log has been copied back into it (this copies
    back whatever SQLite's own checkpoints left). Timed as part of a server's turn, so that no
    work its pushes left is uncounted."""
    path = database_url.removeprefix("sqlite:///")
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        while True:
            busy, in_log, copied = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            if not busy and in_log == copied:
                return
            time.sleep(0.0005)


def temporary_sqlite(name: str) -> str:
    folder = tempfile.mkdtemp(prefix="adref-bench-")
    return "sqlite:///" + str(Path(folder) / name)


def new_record_id() -> str:
    """An id as the tablet makes one (time-ordered, as static/app/ids.js makes them)."""
    from app.core.ids import new_id

    return str(new_id())
