"""One-statement reads for the hottest views: a constant select, run on its own.

Why: a question page reads its user and attempt in one statement. Through the request's
ORM session that also meant a connection checkout, a BEGIN, SQLAlchemy's execution and
result machinery, and a ROLLBACK at teardown: ~0.33 ms of a 0.76 ms page. One SELECT
needs no transaction around it: on its own it reads one consistent snapshot of committed
data. Read this way, a page takes 0.57 ms in-process, and with 200 students reading pages
the server's rate went from ~1,500 to ~1,900 a second (benchmarks/load.py).

So a `SnapshotRead` runs its statement (compiled once) on a connection that each thread
keeps for such reads, and converts each column with its type's own result processor, so
the rows are what the session would have returned:

- on a SQLite file, a read-only connection;
- on PostgreSQL, a psycopg connection in autocommit mode. Through the session a page's one
  SELECT took four round trips (the pool's ping, BEGIN, the SELECT, COMMIT); here it takes
  one, and psycopg prepares a statement the connection runs often. A connection that
  fails (the server restarted) is opened again and the read tried once more. Each server
  thread may so hold one connection besides the pool's: count them in PostgreSQL's
  max_connections (the README's "Scaling out").

Anywhere else (an in-memory SQLite) it runs through the session.

Use it only for a read whose rows need not see the request's own uncommitted writes.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from flask import current_app
from sqlalchemy import Select
from sqlalchemy.engine import Dialect, Engine

from camp.db import sqlite_file
from camp.extensions import db
from camp.sqlite_one_row import as_one_row, from_json_text, sqlite_has_json

if TYPE_CHECKING:  # psycopg is installed with PostgreSQL (the `postgres` extra)
    import psycopg

# Per parameter of the statement: its name in the SQL, the name to take from the caller's
# params (or None and a value fixed in the statement), and its type's conversion for the
# driver, if any (a UTC timestamp is written as the database stores it).
_Bind = tuple[str, str | None, Any, Callable[[Any], Any] | None]


@dataclass(frozen=True)
class _Compiled:
    sql: str
    positional: bool  # SQLite's "?" placeholders; else psycopg's %(name)s
    binds: tuple[_Bind, ...]
    # (column index, converter) for the columns whose type converts the driver's value;
    # None until the first rows are read, where the converters depend on the driver's
    # description of the columns (psycopg).
    converters: tuple[tuple[int, Callable[[Any], Any]], ...] | None
    # SQLite: the rows come as one JSON array in one row (camp.sqlite_one_row).
    aggregated: bool = False

    def arguments(self, params: Mapping[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        values = (
            (name, _converted(params[key] if key is not None else value, convert))
            for name, key, value, convert in self.binds
        )
        if self.positional:
            return tuple(value for _name, value in values)
        return dict(values)


class SnapshotRead:
    """A constant select whose rows are read in one statement, outside the session."""

    def __init__(self, statement: Select[*tuple[Any, ...]]) -> None:
        self.statement = statement
        self._compiled: dict[str, _Compiled] = {}  # per dialect

    def rows(self, params: Mapping[str, Any]) -> list[Sequence[Any]]:
        engine = db.engine
        kind = _database_kind(engine)
        if kind == "sqlite":
            connection = _sqlite_connection(engine)
            if connection is not None:
                compiled = self._compiled_for(engine.dialect)
                cursor = connection.execute(compiled.sql, compiled.arguments(params))
                if compiled.aggregated:
                    (text,) = cursor.fetchone()
                    return _typed(json.loads(text), compiled)
                return _typed(cursor.fetchall(), compiled)
        elif kind == "postgresql":
            compiled = self._compiled_for(engine.dialect)
            described = compiled.converters is not None
            found, type_codes = _postgresql_rows(engine, compiled, params, describe=not described)
            if not described:  # known once the driver has described a row
                compiled = self._with_converters(engine.dialect, type_codes)
            return _typed(found, compiled)
        return list(db.session.execute(self.statement, params).all())

    def _compiled_for(self, dialect: Dialect) -> _Compiled:
        found = self._compiled.get(dialect.name)
        if found is None:
            self._compiled[dialect.name] = found = self._compile(dialect)
        return found

    def _compile(self, dialect: Dialect) -> _Compiled:
        one_row = (
            as_one_row(self.statement) if dialect.name == "sqlite" and sqlite_has_json() else None
        )
        compiled = (one_row if one_row is not None else self.statement).compile(dialect=dialect)
        positional = compiled.positiontup is not None
        names = list(compiled.positiontup or ()) if positional else list(compiled.binds)
        binds: list[_Bind] = []
        for name in names:
            bind = compiled.binds[name]
            convert = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if bind.required:
                binds.append((name, bind.key, None, convert))
            else:
                binds.append((name, None, bind.effective_value, convert))
        described = dialect.name != "postgresql"  # psycopg's converters need its type codes
        converters = self._converters(dialect, None) if described else None
        if one_row is not None and converters is not None:
            converters = from_json_text(self.statement, converters)
        return _Compiled(
            sql=compiled.string,
            positional=positional,
            binds=tuple(binds),
            converters=converters,
            aggregated=one_row is not None,
        )

    def _converters(
        self, dialect: Dialect, type_codes: Sequence[Any] | None
    ) -> tuple[tuple[int, Callable[[Any], Any]], ...]:
        columns = self.statement.selected_columns
        return tuple(
            (index, convert)
            for index, column in enumerate(columns)
            if (
                convert := column.type.dialect_impl(dialect).result_processor(
                    dialect, type_codes[index] if type_codes is not None else None
                )
            )
        )

    def _with_converters(self, dialect: Dialect, type_codes: Sequence[Any]) -> _Compiled:
        found = replace(
            self._compiled[dialect.name], converters=self._converters(dialect, type_codes)
        )
        self._compiled[dialect.name] = found
        return found


# Converted values that no caller can change, so one may stand for equal raw values.
_IMMUTABLE = frozenset({bool, int, float, str, datetime, date, Decimal})


def _typed(found: Sequence[Sequence[Any]], compiled: _Compiled) -> list[Sequence[Any]]:
    """The driver's rows with each column converted as its type converts it.

    A join repeats its one-side columns on every row (a paper's ten questions carry the
    same user, attempt and quiz): a column whose raw value is the row before's keeps its
    converted value when that value is immutable, instead of being converted again (a
    third of a question page's read)."""
    assert compiled.converters is not None
    if not compiled.converters:
        return list(found)
    rows: list[Sequence[Any]] = []
    previous: list[Any] = []
    row_before: Sequence[Any] = ()
    for row in found:
        values = list(row)
        for index, convert in compiled.converters:
            raw = values[index]
            if raw is None:
                continue
            if previous and type(previous[index]) in _IMMUTABLE and row_before[index] == raw:
                values[index] = previous[index]
            else:
                values[index] = convert(raw)
        rows.append(values)
        previous, row_before = values, row
    return rows


# engine -> "sqlite" (a file), "postgresql" or "" (read through the session), and the
# SQLite file or PostgreSQL address: hashing the engine's URL on every read was a tenth
# of a read.
_kinds: weakref.WeakKeyDictionary[Engine, tuple[str, str]] = weakref.WeakKeyDictionary()


def _database(engine: Engine) -> tuple[str, str]:
    try:
        return _kinds[engine]
    except KeyError:
        pass
    database = sqlite_file(engine.url)
    if database is not None:
        found = ("sqlite", database)
    elif engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg":
        address = engine.url.set(drivername="postgresql")
        found = ("postgresql", address.render_as_string(hide_password=False))
    else:
        found = ("", "")
    _kinds[engine] = found
    return found


def _database_kind(engine: Engine) -> str:
    return _database(engine)[0]


def _converted(value: Any, convert: Callable[[Any], Any] | None) -> Any:
    return value if convert is None or value is None else convert(value)


class _ThreadConnections(threading.local):
    def __init__(self) -> None:
        # database path -> (process id, file identity, connection)
        self.open: dict[str, tuple[int, tuple[int, int], sqlite3.Connection]] = {}
        # PostgreSQL address -> this thread's connection
        self.postgresql: dict[str, _KeptConnection] = {}


class _KeptConnection:
    """A thread's PostgreSQL connection, closed when the thread ends (its thread-local data
    goes), except in a forked child: closing there would end the parent's session too."""

    def __init__(self, connection: psycopg.Connection[Any]) -> None:
        self.connection = connection
        self.pid = os.getpid()

    def __del__(self) -> None:
        if self.pid == os.getpid():
            self.connection.close()


_connections = _ThreadConnections()


def _sqlite_connection(engine: Engine) -> sqlite3.Connection | None:
    return _thread_connection(_database(engine)[1])


def _postgresql_rows(
    engine: Engine, compiled: _Compiled, params: Mapping[str, Any], *, describe: bool
) -> tuple[list[tuple[Any, ...]], list[int]]:
    """The statement's rows and, if `describe`, its columns' type codes (psycopg builds a
    description of every column when asked: a third of a question page's read), on this
    thread's autocommit connection to the database; a connection that fails is opened
    again, once (a read may be repeated)."""
    import psycopg  # only with PostgreSQL: it is the `postgres` extra

    address = _database(engine)[1]
    for attempt in (1, 2):
        connection = _postgresql_connection(address)
        try:
            cursor = connection.execute(compiled.sql, compiled.arguments(params))
            rows = cursor.fetchall()
            if not describe:
                return rows, []
            return rows, [column.type_code for column in cursor.description or ()]
        except psycopg.OperationalError:
            _connections.postgresql.pop(address, None)
            connection.close()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def run_alone_on_postgresql(sql: str, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    """Run one statement that commits by itself (autocommit) on this thread's PostgreSQL
    connection, and return its rows: one round trip, no pool ping, no BEGIN or COMMIT.

    For a write that is one statement (camp.quizzes.pg_save). A connection known to be
    broken is not used (`_postgresql_connection`); a failure is raised, never retried: the
    statement may have committed."""
    connection = _postgresql_connection(_database(db.engine)[1])
    return connection.execute(sql, params).fetchall()


def _postgresql_connection(address: str) -> psycopg.Connection[Any]:
    """This thread's connection to `address`, opened again when it was closed, found broken
    (the server went away) or opened before a fork."""
    kept = _connections.postgresql.get(address)
    usable = kept is not None and not kept.connection.closed and not kept.connection.broken
    if kept is not None and usable and kept.pid == os.getpid():
        return kept.connection
    import psycopg

    connection = psycopg.connect(address, autocommit=True)
    _connections.postgresql[address] = _KeptConnection(connection)
    return connection


def _thread_connection(database: str) -> sqlite3.Connection | None:
    """This thread's read-only connection to `database`, opened on first use; None when
    there is no such file (the session then reports what is wrong).

    A connection opened before a fork, or to a file that has since been replaced, is not
    reused.
    """
    try:
        stat = os.stat(database)
    except OSError:
        return None
    identity = (stat.st_dev, stat.st_ino)
    kept = _connections.open.get(database)
    if kept is not None and kept[0] == os.getpid() and kept[1] == identity:
        return kept[2]
    if kept is not None and kept[0] == os.getpid():
        kept[2].close()
    connection = sqlite3.connect(database, isolation_level=None, check_same_thread=True)
    busy_ms = int(current_app.config["SQLITE_BUSY_TIMEOUT_MS"])
    connection.execute(f"PRAGMA busy_timeout = {busy_ms}")
    connection.execute("PRAGMA query_only = ON")
    _connections.open[database] = (os.getpid(), identity, connection)
    return connection
