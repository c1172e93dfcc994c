"""Database connection settings per engine."""

from sqlalchemy import event
from sqlalchemy.engine import Engine


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    # WAL lets readers go on while a sync push writes; SQLite leaves foreign keys off unless asked.
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        # Records have random UUIDs, so a sync push touches index pages all over each index: a
        # page cache larger than the 2 MiB default keeps them in memory from batch to batch.
        cursor.execute("PRAGMA cache_size=-65536")  # in KiB: at most 64 MiB a connection
        # For the same reason a push dirties pages all over each index, and one push of 500
        # interviews writes more than the default 1,000 pages: a checkpoint every 10,000 pages
        # (about 40 MiB of WAL) copies a page that several pushes changed back into the
        # database once, instead of once per push.
        cursor.execute("PRAGMA wal_autocheckpoint=10000")
        cursor.close()
