"""Database connection settings per engine."""

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


BUSY_TIMEOUT_MS = 10_000


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    # WAL lets readers go on while a sync push writes; SQLite leaves foreign keys off unless asked.
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        # A new database gets 16 KiB pages (this does nothing to one that has tables): a push
        # writes hundreds of interviews of a kilobyte or two each, and larger pages mean fewer
        # pages, and fewer WAL frames, for each commit. It must come before WAL is turned on.
        cursor.execute("PRAGMA page_size=16384")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        # A sync push still touches index pages all over some indexes (interviews by episode,
        # say): a page cache larger than the 2 MiB default keeps them in memory between batches.
        cursor.execute("PRAGMA cache_size=-65536")  # in KiB: at most 64 MiB a connection
        # SQLite copies the WAL back into the database itself, in the commit that takes the
        # log past its threshold (its default, 1,000 pages).
        cursor.execute("PRAGMA wal_autocheckpoint=1000")
        # Statistics are gathered from a sample of each index (see _keep_planner_statistics), so
        # gathering them costs a millisecond or two however large the tables grow.
        cursor.execute(f"PRAGMA analysis_limit={ANALYSIS_ROWS}")
        cursor.close()


ANALYSIS_ROWS = 1000


@event.listens_for(Pool, "checkin")
def _keep_planner_statistics(dbapi_connection, connection_record):
    """SQLite's query planner knows nothing of the data until ANALYZE has run. Without it, a
    question such as "which of these 500 episodes may this worker see?" is answered by walking
    every child of the organisation (an index on organisation_id looks as selective to it as the
    primary key), which costs a push more with every child the organisation adds. PRAGMA
    optimize, as SQLite advises for connections that live long, gathers statistics for the
    tables this connection's queries used whose statistics are missing or outgrown (25 times the
    rows), and otherwise does nothing in microseconds. It never waits: if another connection is
    writing, the next check-in tries again."""
    if dbapi_connection is None or not type(dbapi_connection).__module__.startswith("sqlite3"):
        return
    try:
        dbapi_connection.execute("PRAGMA busy_timeout=0")
        dbapi_connection.execute("PRAGMA optimize")
    except sqlite3.Error:
        # Busy, or anything else: a listener that raised would keep the connection from the
        # pool for good. A damaged database shows itself to the next query.
        pass
    finally:
        try:
            dbapi_connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        except sqlite3.Error:
            pass
