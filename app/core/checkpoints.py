"""Copying an SQLite database's write-ahead log back into the database, off the request path.

In WAL mode every commit appends pages to the log, and a checkpoint copies them back into the
database file. Left to SQLite, a checkpoint runs inside whichever commit takes the log past its
threshold: on these machines one sync push in twenty waited a tenth of a second for it. SQLite's
documentation suggests running checkpoints in a thread of their own instead, and so each server
process that writes does: once a connection that wrote goes back to the pool, its thread copies
the log back without waiting for anyone (PASSIVE), on the other processor, while the next
request is read. A log copied back whole is begun again from its start by the next writer, so
it stays small, and its blocks are written over rather than added to the file, which costs a
commit's fsync less on ext4 (2 ms a push of 500 interviews against 6).

Requests keep SQLite's own checkpoint as well, at its threshold (app/core/database.py): should
the thread fall behind or stop, the log still cannot grow without bound.
"""

import logging
import os
import sqlite3
import threading
import weakref

from sqlalchemy import event

log = logging.getLogger(__name__)

# A thread left this long with nothing to do ends, and the next write starts another: a process
# keeps no thread for a database it wrote to once (the tests make hundreds).
IDLE_SECONDS = 30.0


def checkpoint_in_background(app, engine) -> None:
    """For a database in an SQLite file, a WalCheckpointer watching the engine, kept as
    app.extensions["wal_checkpointer"]. Other databases checkpoint on their own."""
    path = engine.url.database
    if engine.dialect.name != "sqlite" or not path or path == ":memory:" or \
            path.startswith("file:"):
        return
    checkpointer = WalCheckpointer(path)
    checkpointer.watch(engine)
    app.extensions["wal_checkpointer"] = checkpointer


class WalCheckpointer:
    """Checkpoints one database file after writes, in a thread of each process that writes."""

    def __init__(self, database_path: str):
        self.database_path = database_path
        self.checkpoints = 0  # done in this process; the tests read it
        self._fresh_thread_state()
        # A child of fork (a gunicorn worker) has none of its parent's threads, and a lock the
        # parent's thread held would stay held: the child starts afresh. (Through a weak
        # reference: the registration lasts as long as the process, the checkpointer need not.)
        this = weakref.ref(self)
        os.register_at_fork(after_in_child=lambda: (c := this()) and c._fresh_thread_state())

    def _fresh_thread_state(self) -> None:
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None

    def watch(self, engine) -> None:
        event.listen(engine, "checkout", self._checked_out)
        event.listen(engine, "checkin", self._checked_in)

    def _checked_out(self, dbapi_connection, connection_record, _proxy) -> None:
        connection_record.info["changes_at_checkout"] = dbapi_connection.total_changes

    def _checked_in(self, dbapi_connection, connection_record) -> None:
        # total_changes counts the rows this connection inserted, updated or deleted: a
        # connection that only read wakes nothing.
        before = connection_record.info.pop("changes_at_checkout", None)
        if dbapi_connection is not None and before is not None and \
                dbapi_connection.total_changes != before:
            self.written()

    def written(self) -> None:
        """Something was written: copy the log back soon."""
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, daemon=True,
                                                name="wal-checkpoint")
                self._thread.start()
        self._wake.set()

    def _run(self) -> None:
        connection = sqlite3.connect(self.database_path, isolation_level=None,
                                     check_same_thread=False)
        try:
            while self._woken():
                self._checkpoint(connection)
        finally:
            connection.close()

    def _woken(self) -> bool:
        """Waits for a write; False when none came for IDLE_SECONDS (the thread then ends: the
        lock makes sure a write meanwhile either finds it still running or starts another)."""
        if not self._wake.wait(IDLE_SECONDS):
            with self._lock:
                if not self._wake.is_set():
                    self._thread = None
                    return False
        self._wake.clear()
        return True

    def _checkpoint(self, connection) -> None:
        try:
            connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            self.checkpoints += 1
        except sqlite3.Error as error:  # the file gone, say: the next write tries again
            log.warning("WAL checkpoint failed: %s", error.__class__.__name__)
