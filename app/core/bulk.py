"""INSERTs of many rows, for the sync push.

SQLAlchemy Core binds an executemany row by row through its own machinery, which for a push of
hundreds of records costs as much as SQLite's writing them. On SQLite the rows go to the DB-API
cursor instead, in statements of many rows, each value converted once by a plain function that
gives exactly what the column's type would bind (the tests compare both, and read both back
through the ORM). Other databases keep Core, whose cost is small next to their own.

Measured gain (5 December 2026, bench.sync_ingest_compare): it saves 23% of a push; with
SQLAlchemy's own executemany (insertmanyvalues) a push took 1.30 of the time (1.08 to 1.38,
five runs), and a pull no different.
"""

import sqlite3
import uuid
from functools import lru_cache, partial
from itertools import chain, groupby
from operator import itemgetter

import orjson
from sqlalchemy import (
    Boolean,
    ColumnElement,
    Enum,
    String,
    Table,
    Uuid,
    bindparam,
    func,
    literal_column,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session

from app.core.types import UTCDateTime


def _hex_among(column, hex_ids: list[str]) -> ColumnElement[bool]:
    """column IN these ids, on SQLite: the ids go as one parameter, a JSON array read by
    json_each, rather than as hundreds of parameters that Core expands into the statement and
    converts one by one (most of the cost of asking which of a push's 500 records exist yet).
    SQLite still finds each by the column's index."""
    listed = orjson.dumps(hex_ids).decode()
    return column.in_(select(literal_column("value")).select_from(
        func.json_each(bindparam("ids", listed, type_=String, unique=True))))


def ids_among(connection, column, ids) -> ColumnElement[bool]:
    """column IN these UUIDs, asked as cheaply as the database allows: on SQLite as one JSON
    array (_hex_among), elsewhere as Core's IN."""
    if connection.dialect.name == "sqlite":
        return _hex_among(column, [record_id.hex for record_id in ids])
    return column.in_(ids)


def existing_ids(session: Session, model, ids) -> list[uuid.UUID]:
    """Those of these ids that name a row of the model's table."""
    return list(rows_by_id(session, select(model), model.id, ids))


def rows_by_id(session: Session, query, id_column, ids, columns=()) -> dict[uuid.UUID, tuple]:
    """The rows of `query` (a SELECT) among these ids, as {id: the values of `columns`}, each
    under the caller's own id object. On SQLite the id is read as the hex it is stored as and
    matched to the caller's: no UUID is made for each row (most of the cost of reading the
    hundreds of parents a push names), and the keys are the very objects the push holds."""
    ids = list(ids)
    if not ids:
        return {}
    # Plain rows are wanted, so the query runs on the session's connection: the ORM would pass
    # each row through its loading machinery first (a fifth of the cost of reading a push's 500
    # parents). The session's pending changes are written first, as its own execute would.
    session.flush()
    connection = session.connection()
    # Fetched all at once (all()): a result read row by row fetches each through SQLAlchemy's
    # own steps, twice the cost of the query for a push's 500 parents.
    if connection.dialect.name != "sqlite":
        rows = connection.execute(query.with_only_columns(id_column, *columns)
                                  .where(id_column.in_(ids))).all()
        return {row[0]: tuple(row[1:]) for row in rows}
    by_hex = {record_id.hex: record_id for record_id in ids}
    rows = connection.execute(query.with_only_columns(type_coerce(id_column, String), *columns)
                              .where(_hex_among(id_column, list(by_hex)))).all()
    return {by_hex[row[0]]: tuple(row[1:]) for row in rows}


def insert_rows(session: Session, table: Table, rows: list[dict], same: dict | None = None) -> None:
    """INSERTs rows, one statement for each run of rows naming the same columns, in their
    order. `same`: values every row holds unless it gives its own, converted once rather than
    once a row (a push's organisation, interviewer and times on each of its interviews). As
    with Core, a column a row leaves out gets its default, and a None it gives is written as
    NULL (no field a device writes takes null where its column has a default, a test holds)."""
    same = same or {}
    connection = session.connection()
    for names, run in groupby(rows, key=lambda row: tuple(row)):
        shared = {name: value for name, value in same.items() if name not in names}
        if connection.dialect.name == "sqlite":
            insert = _sqlite_insert(table, names, tuple(shared), connection.dialect)
            _execute_on_sqlite(connection, insert, insert.parameters(list(run), shared))
        else:
            session.execute(table.insert(), [{**shared, **row} for row in run])


def insert_many(session: Session, table: Table, same: dict, varying: tuple[str, ...],
                values: list[tuple]) -> None:
    """INSERTs a row for each tuple of `values` (the columns named by `varying`, in order),
    every row also holding `same`. For narrow rows by the thousand (a push's coded answers and
    its audit trail): on SQLite no row is made a dict, and each shared value is converted once.
    Rows of one varying value go as one JSON array that SQLite unpacks itself (json_each);
    rows of several go in INSERTs of many rows, as insert_rows sends them (as arrays in a JSON
    array they took two and a half times as long: json_extract parsed each row's array once for
    every column). Other databases take them through Core."""
    if not values:
        return
    both = sorted(set(same) & set(varying))
    if both:
        # SQLite's path and Core's would each take a different one of the two values.
        raise ValueError(f"give {', '.join(both)} in same or in varying, not in both")
    _refuse_defaults_left_out(table, (*same, *varying))
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        session.execute(table.insert(), [{**same, **dict(zip(varying, row, strict=True))}
                                         for row in values])
        return
    dialect = connection.dialect
    shared = {name: _converted(table.c[name], [value], dialect)[0] for name, value in same.items()}
    columns = [_converted(table.c[name], column, dialect)
               for name, column in zip(varying, zip(*values, strict=True), strict=True)]
    if len(varying) == 1:
        statement = _json_insert(table, tuple(same), varying[0], dialect)
        connection.exec_driver_sql(statement, (*shared.values(), orjson.dumps(columns[0]).decode()))
        return
    given = dict(zip(varying, columns, strict=True))
    given |= {name: [value] * len(values) for name, value in shared.items()}
    insert = _sqlite_insert(table, (*same, *varying), (), dialect)
    _execute_on_sqlite(connection, insert,
                       list(zip(*(given[key] for key in insert.keys), strict=True)))


@lru_cache(maxsize=64)
def _json_insert(table: Table, same: tuple[str, ...], varying: str, dialect) -> str:
    # In the array's order, so that numbered rows (audit events) are numbered as given.
    rows = select(*(bindparam(f"same_{place}") for place in range(len(same))),
                  literal_column("value")) \
        .select_from(func.json_each(bindparam("rows"))).order_by(literal_column("key"))
    compiled = table.insert().from_select([table.c[name] for name in (*same, varying)], rows) \
        .compile(dialect=dialect)
    if list(compiled.positiontup) != [f"same_{place}" for place in range(len(same))] + ["rows"]:
        raise ValueError(f"unexpected INSERT for {table.name}: {compiled.string}")
    return compiled.string


def _refuse_defaults_left_out(table: Table, given: tuple[str, ...]) -> None:
    """Every column with a default made in Python must be given: SQLite would not make it."""
    left_out = [column.key for column in table.columns
                if column.key not in given and column.default is not None]
    if left_out:
        raise ValueError(f"give {', '.join(left_out)} for {table.name}")


def _converted(column, values, dialect) -> list:
    """values as the column's type binds them on SQLite (each distinct one converted once)."""
    convert = _converter(column, dialect)
    if convert is None:
        return list(values)
    if isinstance(column.type, Uuid | Boolean | Enum | UTCDateTime):
        return _once_each(convert, by_object=isinstance(column.type, Uuid))(values)
    return list(map(convert, values))


# Rows one INSERT statement carries at most on SQLite. SQLite checks a CHECK constraint of the
# form `status IN ('draft', 'submitted', ...)` (every Enum column has one) by building a small
# temporary B-tree of the list each time a statement runs. executemany runs the statement once
# per row, so a push of 500 interviews built 1,000 of them: about a third of all SQLite's work
# for the push. An INSERT of many rows builds them once, and binds and steps once.
MOST_ROWS_PER_INSERT = 64


def _execute_on_sqlite(connection, insert: "_SqliteInsert", parameters: list[tuple]) -> None:
    """The rows, each a tuple of parameters in the INSERT's order, in statements of many."""
    start = 0
    for size in _statement_sizes(len(parameters), insert.most_rows(connection)):
        chunk = parameters[start:start + size]
        connection.exec_driver_sql(insert.sql(size), tuple(chain.from_iterable(chunk)))
        start += size


def _statement_sizes(count: int, most: int):
    """Rows per statement: `most` while that many are left, then the powers of two that make up
    the rest (52 rows: 32, 16, 4). So a table's INSERTs have a handful of texts in all, each
    prepared once and then found in the driver's statement cache: a statement of thousands of
    parameters prepared afresh each time would cost more than it saves."""
    while count >= most:
        yield most
        count -= most
    size = most
    while count:
        size //= 2
        if count >= size:
            yield size
            count -= size


class _SqliteInsert:
    """Core's own INSERT for some columns of a table (with those it fills from their
    defaults), as statements of one row or many, and the rows' parameters in its order."""

    def __init__(self, table: Table, names: tuple[str, ...], shared: tuple[str, ...], dialect):
        compiled = table.insert().compile(dialect=dialect, column_keys=[*names, *shared])
        # The columns in the order the statement binds them.
        self.keys = tuple(compiled.positiontup)
        self._makers = [_column_values(table.c[key], key in names, key in shared, dialect)
                        for key in self.keys]
        self._head, _values, self._row = compiled.string.rpartition(" VALUES ")
        if self._row != "(" + ", ".join("?" for _ in self.keys) + ")":
            raise ValueError(f"unexpected INSERT for {table.name}: {compiled.string}")
        self._texts: dict[int, str] = {}
        self._most_rows: int | None = None

    def parameters(self, rows: list[dict], shared: dict) -> list[tuple]:
        # Column by column, so that Python runs only for the values that need converting.
        return list(zip(*(make(rows, shared) for make in self._makers), strict=True))

    def sql(self, rows: int) -> str:
        if rows not in self._texts:
            self._texts[rows] = f"{self._head} VALUES {', '.join([self._row] * rows)}"
        return self._texts[rows]

    def most_rows(self, connection) -> int:
        """MOST_ROWS_PER_INSERT, or the largest power of two below it whose parameters this
        build of SQLite accepts in one statement (999 in builds before 3.32)."""
        if self._most_rows is None:
            driver = connection.connection.dbapi_connection
            limit = driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
            most = MOST_ROWS_PER_INSERT
            while most > 1 and most * len(self._makers) > limit:
                most //= 2
            self._most_rows = most
        return self._most_rows


@lru_cache(maxsize=256)
def _sqlite_insert(table: Table, names: tuple[str, ...], shared: tuple[str, ...],
                   dialect) -> _SqliteInsert:
    return _SqliteInsert(table, names, shared, dialect)


def _column_values(column, given: bool, shared: bool, dialect):
    """A function giving a column's values for rows: the rows' own, the one value they share,
    or its default."""
    converter = _converter(column, dialect)
    stored_as_given = converter is None  # text, numbers: as they come
    convert = converter or (lambda value: value)
    if shared:
        return lambda rows, same: [convert(same[column.key])] * len(rows)
    if not given:
        default = _default(column)
        made = default()
        if isinstance(made, dict | list) and not made:
            # An empty container (an interview's local answers) is the same for every row.
            text = convert(made)
            return lambda rows, _same: [text] * len(rows)
        # Made afresh for each row (a new id), and converted for that row alone.
        return lambda rows, _same: [convert(default()) for _row in rows]
    if isinstance(column.type, Boolean | Enum):
        # A handful of values down the whole column (a status, yes or no): each converted once.
        convert_all = _once_each(convert, by_object=False)
    elif isinstance(column.type, Uuid):
        # The record a code or a child's episode belongs to, repeated row after row.
        convert_all = _once_each(convert, by_object=True)
    elif stored_as_given:
        # The rows' own values, with no call for each (a push's dozen text columns).
        convert_all = iter
    else:
        convert_all = partial(map, convert)
    key = itemgetter(column.key)
    return lambda rows, _same: convert_all(map(key, rows))


def _converter(column, dialect):
    if isinstance(column.type, Uuid) and column.type.as_uuid:
        return _uuid_hex
    return column.type.dialect_impl(dialect).bind_processor(dialect)


def _once_each(convert, by_object: bool):
    """convert for a column of values, called once for each distinct value. by_object: told
    apart by identity, not equality; for UUIDs, whose hash is Python code while an object's id
    is a plain int. Every value stays referenced by its row meanwhile, so no id is reused."""

    def values(found) -> list:
        made = {}
        converted = []
        for value in found:
            key = id(value) if by_object else value
            if key not in made:
                made[key] = convert(value)
            converted.append(made[key])
        return converted

    return values


def _uuid_hex(value):
    """Uuid's own binding on SQLite: 32 hex digits."""
    return None if value is None else value.hex


def _default(column):
    """The column's default for a row that leaves it out (Core would compute it alike)."""
    default = column.default
    if default.is_scalar:
        return lambda: default.arg
    if default.is_callable:
        return lambda: default.arg(None)
    raise ValueError(f"{column} has a default computed in SQL")
