"""INSERTs of many rows in one statement each, for the sync push.

SQLAlchemy Core binds an executemany row by row through its own machinery, which for a push of
hundreds of records costs as much as SQLite's writing them. On SQLite the rows go to the DB-API
cursor instead, each value converted once by a plain function that gives exactly what the
column's type would bind (the tests compare both, and read both back through the ORM). Other
databases keep Core, whose cost is small next to their own.
"""

from functools import lru_cache
from itertools import groupby
from operator import itemgetter

from sqlalchemy import Table, Uuid
from sqlalchemy.orm import Session

from app.core.types import UTCDateTime


def insert_rows(session: Session, table: Table, rows: list[dict]) -> None:
    """INSERTs rows, one statement for each run of rows naming the same columns, in their
    order. As with Core, a column a row leaves out gets its default, and a None it gives is
    written as NULL (no field a device writes takes null where its column has a default, a test
    holds)."""
    connection = session.connection()
    for names, run in groupby(rows, key=lambda row: tuple(row)):
        if connection.dialect.name == "sqlite":
            sql, parameters = _sqlite_insert(table, names, connection.dialect)
            connection.exec_driver_sql(sql, parameters(list(run)))
        else:
            session.execute(table.insert(), list(run))


@lru_cache(maxsize=256)
def _sqlite_insert(table: Table, names: tuple[str, ...], dialect):
    """Core's own INSERT for these columns (with those it fills from their defaults), and a
    function making the rows' parameters in its order."""
    compiled = table.insert().compile(dialect=dialect, column_keys=list(names))
    columns = [(table.c[key], key in names) for key in compiled.positiontup]
    makers = [_column_values(column, given, dialect) for column, given in columns]

    def parameters(rows: list[dict]) -> list[tuple]:
        # Column by column, so that Python runs only for the values that need converting.
        return list(zip(*(make(rows) for make in makers), strict=True))

    return compiled.string, parameters


def _column_values(column, given: bool, dialect):
    """A function giving a column's values for rows: the rows' own, or its default."""
    default = None if given else _default(column)
    convert = _converter(column, dialect)

    def values(rows: list[dict]):
        found = map(itemgetter(column.key), rows) if given else (default() for _row in rows)
        if convert is _uuid_hex:
            return _uuid_hexes(found)
        return map(convert, found) if convert else found

    return values


def _converter(column, dialect):
    if isinstance(column.type, Uuid) and column.type.as_uuid:
        return _uuid_hex
    if isinstance(column.type, UTCDateTime):
        return _sqlite_instant
    return column.type.dialect_impl(dialect).bind_processor(dialect)


def _uuid_hex(value):
    """Uuid's own binding on SQLite: 32 hex digits."""
    return None if value is None else value.hex


def _uuid_hexes(values) -> list:
    """_uuid_hex of each value, made once for each object. The same UUID object fills a column
    of many rows (the organisation, the person, the record each of its codes belongs to), and
    an object's id is a plain int, cheaper to look up than a UUID, whose hash is Python code.
    Every value stays referenced by its row while this runs, so no id is reused meanwhile."""
    made: dict[int, str | None] = {}
    hexes = []
    for value in values:
        key = id(value)
        if key not in made:
            made[key] = None if value is None else value.hex
        hexes.append(made[key])
    return hexes


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
