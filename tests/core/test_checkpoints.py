"""The write-ahead log is copied back into an SQLite database by a thread of the server's own,
not by the request that happens to pass SQLite's threshold: what a push stored is soon in the
database file itself, while the log stays far below that threshold."""

import shutil
import sqlite3
import time
import uuid
from contextlib import closing

import pytest
import requests
from sqlalchemy import create_engine, text

import app.core.database  # noqa: F401  (the SQLite settings every engine of the app gets)
from app.core import checkpoints
from app.core.checkpoints import WalCheckpointer
from tests.server_process import interview_batch, kill, prepare_push_database, start_server


def rows_in_database_file(path, table: str, tmp_path) -> int | None:
    """The rows the database file holds by itself, without its log (None while a checkpoint is
    caught half-way through writing it)."""
    alone = tmp_path / f"alone-{uuid.uuid4().hex}.sqlite3"
    shutil.copyfile(path, alone)
    try:
        with closing(sqlite3.connect(alone)) as copy:
            return copy.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    except sqlite3.DatabaseError:
        return None


def eventually(condition, seconds: float = 10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.02)
    return condition()


def test_a_push_reaches_the_database_file_from_each_worker_process(tmp_path):
    """Two gunicorn workers, each a child of fork: whichever takes the push copies it back."""
    path = tmp_path / "served.sqlite3"
    device_id, token, episode_id = prepare_push_database(f"sqlite:///{path}")
    headers = {"Authorization": "Bearer " + token}
    process, base = start_server(f"sqlite:///{path}", workers=2)
    try:
        for first in (1, 51, 101):  # pushes land on either worker
            ids = [str(uuid.uuid4()) for _ in range(50)]
            body = interview_batch(device_id, episode_id, ids, first=first)
            pushed = requests.post(base + "/api/v1/sync/push", json=body, headers=headers,
                                   timeout=60)
            assert pushed.status_code == 200, pushed.text
            assert eventually(lambda stored=first + 49: rows_in_database_file(
                path, "return_interviews", tmp_path) == stored)
        # Far below SQLite's own threshold (40 MiB), so only the thread could have copied it.
        assert (path.parent / (path.name + "-wal")).stat().st_size < 40 * 1024 * 1024
    finally:
        kill(process)


@pytest.fixture
def watched(tmp_path, monkeypatch):
    """An engine on a new database file, with a table, watched by a checkpointer."""
    monkeypatch.setattr(checkpoints, "IDLE_SECONDS", 0.2)
    path = tmp_path / "watched.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE notes (body TEXT)"))
    checkpointer = WalCheckpointer(str(path))
    checkpointer.watch(engine)
    yield engine, checkpointer, path
    engine.dispose()


def write_note(engine, body: str) -> None:
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO notes VALUES (:body)"), {"body": body})


def test_a_write_is_copied_back_and_a_read_copies_nothing(watched, tmp_path):
    engine, checkpointer, path = watched
    write_note(engine, "Daeth adref")
    assert eventually(lambda: rows_in_database_file(path, "notes", tmp_path) == 1)
    done = checkpointer.checkpoints

    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM notes")).scalar() == 1
    time.sleep(0.1)
    assert checkpointer.checkpoints == done


def test_an_idle_thread_ends_and_the_next_write_starts_another(watched, tmp_path):
    engine, checkpointer, path = watched
    write_note(engine, "Cyntaf")
    assert eventually(lambda: rows_in_database_file(path, "notes", tmp_path) == 1)
    assert eventually(lambda: not checkpointer.running)

    write_note(engine, "Ail")
    assert checkpointer.running
    assert eventually(lambda: rows_in_database_file(path, "notes", tmp_path) == 2)
