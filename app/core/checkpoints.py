"""Copying an SQLite database's write-ahead log back into the database, off the request path.

In WAL mode every commit appends pages to the log, and a checkpoint copies them back into the
database file. Left to SQLite, a checkpoint runs inside whichever commit takes the log past its
threshold: on these machines one sync push in twenty waited a tenth of a second for it. SQLite's
documentation suggests running checkpoints in a thread of their own instead, and so each server
process does, for each database it writes to: once a connection that wrote goes back to the
pool, the thread copies the log back without waiting for anyone (PASSIVE), on the other
processor, while the next request is read. A log copied back whole is begun again from its start
by the next writer, so it stays small, and its blocks are written over rather than added to the
file, which costs a commit's fsync less on ext4 (2 ms a push of 500 interviews against 6).

Requests keep SQLite's own checkpoint as well, at its threshold (app/core/database.py): should
the thread fall behind or stop, the log still cannot grow without bound.
"""

import logging
import os
import sqlite3
import threading
import weakref
from urllib.parse import quote

from sqlalchemy import event

log = logging.getLogger(__name__)

# A thread left this long with nothing to do ends, and the next write starts another: a process
# keeps no thread for a database it wrote to once.
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
    """Checkpoints one database file after writes, in a thread of its own in each process that
    writes through it."""

    def __init__(self, database_path: str):
        self.database_path = database_path
        self.checkpoints = 0  # done in this process; the tests read it
        self._fresh_thread_state()
        # A fork never copies a checkpoint half done: SQLite's own locks and state would be
        # copied mid-way into the child (SQLite forbids carrying a connection across a fork,
        # and the thread holds its connection only while it checkpoints). The child has none
        # of its parent's threads, and starts its own when it writes. (Through a weak
        # reference: the registration lasts as long as the process, the checkpointer need not.)
        this = weakref.ref(self)
        os.register_at_fork(before=lambda: (c := this()) and c._in_sqlite.acquire(),
                            after_in_parent=lambda: (c := this()) and c._in_sqlite.release(),
                            after_in_child=lambda: (c := this()) and c._fresh_thread_state())

    def _fresh_thread_state(self) -> None:
        self._wake = threading.Event()
        self._lock = threading.Lock()  # over _thread, and the decision to end it
        self._in_sqlite = threading.Lock()  # held while a checkpoint runs
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
        try:
            if dbapi_connection is not None and before is not None and \
                    dbapi_connection.total_changes != before:
                self.written()
        except Exception as error:  # noqa: BLE001  (a listener that raised would keep the
            # connection from the pool for good; SQLite's own checkpoint still bounds the log)
            log.warning("WAL checkpoint not started: %s", error.__class__.__name__)

    def written(self) -> None:
        """Something was written: copy the log back soon."""
        with self._lock:
            # Set under the lock: a thread ending for want of work then either sees it, or
            # has already given up its place, and a new one is started here.
            self._wake.set()
            if self._thread is None:
                thread = threading.Thread(target=self._run, daemon=True, name="wal-checkpoint")
                thread.start()
                self._thread = thread

    def _run(self) -> None:
        try:
            while self._woken():
                self._checkpoint()
        finally:
            with self._lock:
                if self._thread is threading.current_thread():
                    self._thread = None

    def _woken(self) -> bool:
        """Waits for a write; False when none came for IDLE_SECONDS (the thread then ends)."""
        if not self._wake.wait(IDLE_SECONDS):
            with self._lock:
                if not self._wake.is_set():
                    self._thread = None
                    return False
        self._wake.clear()
        return True

    def _checkpoint(self) -> None:
        try:
            with self._in_sqlite:
                # mode=rw: a database file removed meanwhile is not made again, empty.
                connection = sqlite3.connect(f"file:{quote(self.database_path)}?mode=rw",
                                             uri=True, isolation_level=None)
                try:
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                finally:
                    connection.close()
            self.checkpoints += 1
        except sqlite3.Error as error:  # the file gone, say: the next write tries again
            log.warning("WAL checkpoint failed: %s", error.__class__.__name__)
