"""INSERTs of many rows in one statement each, for the sync push.

SQLAlchemy Core binds an executemany row by row through its own machinery, which for a push of
hundreds of records costs as much as SQLite's writing them. On SQLite the rows go to the DB-API
cursor instead, each value converted once by a plain function that gives exactly what the
column's type would bind (the tests compare both, and read both back through the ORM). Other
databases keep Core, whose cost is small next to their own.
"""

from functools import lru_cache
from itertools import groupby
from operator import attrgetter, itemgetter

from sqlalchemy import Table, Uuid
from sqlalchemy.orm import Session

from app.core.types import UTCDateTime


def insert_rows(session: Session, table: Table, rows: list[dict]) -> None:
    """INSERTs rows, one statement for each run of rows naming the same columns, in their
    order. A column a row leaves out gets its default, as with Core."""
    connection = session.connection()
    for names, run in groupby(rows, key=lambda row: tuple(row)):
        if connection.dialect.name == "sqlite":
            sql, convert = _sqlite_insert(table, names, connection.dialect)
            connection.exec_driver_sql(sql, [convert(row) for row in run])
        else:
            session.execute(table.insert(), list(run))


@lru_cache(maxsize=256)
def _sqlite_insert(table: Table, names: tuple[str, ...], dialect):
    """Core's own INSERT for these columns (with those it fills from their defaults), and a
    function making a row's parameters in its order."""
    compiled = table.insert().compile(dialect=dialect, column_keys=list(names))
    keys = compiled.positiontup
    given = [key for key in keys if key in names]
    extract = itemgetter(*given) if len(given) > 1 else lambda row: (row[given[0]],)
    defaults = [(i, _default(table.c[key])) for i, key in enumerate(keys) if key not in names]
    converters = [(i, _converter(table.c[key], dialect)) for i, key in enumerate(keys)]
    # Columns bound as they are (text, numbers) need no call at all.
    converters = [(i, f) for i, f in converters if f is not None]

    def convert(row: dict) -> tuple:
        values = list(extract(row))
        for i, default in defaults:  # in order, so each lands at its place
            values.insert(i, default())
        for i, f in converters:
            values[i] = f(values[i])
        return tuple(values)

    return compiled.string, convert


def _converter(column, dialect):
    if isinstance(column.type, Uuid) and column.type.as_uuid:
        return _uuid_hex
    if isinstance(column.type, UTCDateTime):
        return _sqlite_instant
    return column.type.dialect_impl(dialect).bind_processor(dialect)


_hex = attrgetter("hex")


def _uuid_hex(value):
    """Uuid's own binding on SQLite: 32 hex digits."""
    return None if value is None else _hex(value)


_to_utc = UTCDateTime().process_bind_param


@lru_cache(maxsize=4096)
def _sqlite_instant(value):
    """UTCDateTime's binding on SQLite: UTC, as SQLite's DATETIME stores it (always with
    microseconds). Remembered, as a push stamps all its rows with one instant; aware datetimes
    that are equal are the same instant, so they bind alike."""
    return None if value is None else _to_utc(value, None).isoformat(" ", "microseconds")


def _default(column):
    """The column's default for a row that leaves it out (Core would compute it alike)."""
    default = column.default
    if default.is_scalar:
        return lambda: default.arg
    if default.is_callable:
        return lambda: default.arg(None)
    raise ValueError(f"{column} has a default computed in SQL")
