"""The write-ahead log is copied back into an SQLite database by a thread of the server's own,
not by the request that happens to pass SQLite's threshold: what a push stored is soon in the
database file itself, while the log stays far below that threshold."""

import os
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


def test_a_push_to_the_served_app_reaches_the_database_file(tmp_path):
    """The app as gunicorn serves it, in two workers: whichever takes a push copies it back."""
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
            # Far below SQLite's own threshold (40 MiB): only the thread could have copied it.
            assert eventually(lambda stored=first + 49: rows_in_database_file(
                path, "return_interviews", tmp_path) == stored)
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
    assert eventually(lambda: checkpointer.checkpoints >= 1)
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


def wal_bytes(path) -> int:
    return (path.parent / (path.name + "-wal")).stat().st_size


def test_the_log_stays_the_size_of_one_write(watched, tmp_path):
    """Copied back after each write, the log is begun again by the next: it stays the size of
    one write, where SQLite alone would have let it grow to 40 MiB."""
    engine, _checkpointer, path = watched
    note = "Aeth i weld ei ffrind yn y dref. " * 3000  # about 100 KB
    write_note(engine, note)
    assert eventually(lambda: rows_in_database_file(path, "notes", tmp_path) == 1)
    one_write = wal_bytes(path)
    for written in range(2, 21):
        write_note(engine, note)
        assert eventually(lambda n=written: rows_in_database_file(path, "notes", tmp_path) == n)
    assert wal_bytes(path) <= 2 * one_write  # twenty writes: about 2 MB, kept to one or two


def test_a_child_of_fork_checkpoints_with_a_thread_of_its_own(watched, tmp_path):
    """As gunicorn's workers are: forked after the parent's thread has run."""
    engine, checkpointer, path = watched
    write_note(engine, "Cyn y fforc")
    assert eventually(lambda: checkpointer.checkpoints >= 1)
    engine.dispose()  # no connection crosses the fork (as in a worker, which opens its own)

    child = os.fork()
    if child == 0:  # the child: report by exit status alone
        try:
            write_note(engine, "Yn y plentyn")
            ok = eventually(lambda: rows_in_database_file(path, "notes", tmp_path) == 2)
            os._exit(0 if ok and checkpointer.running else 1)
        finally:
            os._exit(2)
    _pid, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_a_database_file_gone_is_not_made_again(watched, tmp_path, caplog):
    engine, checkpointer, path = watched
    elsewhere = WalCheckpointer(str(tmp_path / "gone.sqlite3"))
    elsewhere.written()
    assert eventually(lambda: "WAL checkpoint failed" in caplog.text)
    assert not (tmp_path / "gone.sqlite3").exists()
    assert elsewhere.running  # and still waiting for the next write


def test_a_checkpoint_that_cannot_start_keeps_no_connection_from_the_pool(tmp_path, monkeypatch,
                                                                          caplog):
    path = tmp_path / "one.sqlite3"
    engine = create_engine(f"sqlite:///{path}", pool_size=1, max_overflow=0, pool_timeout=2)
    checkpointer = WalCheckpointer(str(path))
    checkpointer.watch(engine)

    def no_threads(*_args, **_kwargs):
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(checkpoints.threading.Thread, "start", no_threads)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE notes (body TEXT)"))
    write_note(engine, "Er hynny")  # would wait for the one connection, and time out
    assert "WAL checkpoint not started" in caplog.text
    assert not checkpointer.running
    engine.dispose()
