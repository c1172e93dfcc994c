"""Database connection settings per engine."""

from sqlalchemy import event
from sqlalchemy.engine import Engine


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


WAL_CHECKPOINT_BYTES = 40 * 1024 * 1024


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
        cursor.execute("PRAGMA busy_timeout=10000")
        # A sync push still touches index pages all over some indexes (interviews by episode,
        # say): a page cache larger than the 2 MiB default keeps them in memory between batches.
        cursor.execute("PRAGMA cache_size=-65536")  # in KiB: at most 64 MiB a connection
        # For the same reason a push dirties pages across those indexes: a checkpoint every
        # 40 MiB of WAL, rather than the default 1,000 pages, copies a page that several pushes
        # changed back into the database once, instead of once per push. (A database made
        # before 16 KiB pages keeps its own page size.)
        page_size = cursor.execute("PRAGMA page_size").fetchone()[0]
        cursor.execute(f"PRAGMA wal_autocheckpoint={WAL_CHECKPOINT_BYTES // page_size}")
        cursor.close()
