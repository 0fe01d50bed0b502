"""One-statement reads for the hottest views: a constant select, run on its own.

Why: a question page reads its user and attempt in one statement. Through the request's
ORM session that also meant a connection checkout, a BEGIN, SQLAlchemy's execution and
result machinery, and a ROLLBACK at teardown: ~0.33 ms of a 0.76 ms page. One SELECT
needs no transaction around it: on its own it reads one consistent snapshot of committed
data. Read this way, a page takes 0.57 ms in-process, and with 200 students reading pages
the server's rate went from ~1,500 to ~1,900 a second (benchmarks/load.py).

So, on a SQLite file, a `SnapshotRead` runs its statement (compiled once) on a read-only
connection that each thread keeps, and converts each column with its type's own result
processor, so the rows are what the session would have returned. Anywhere else
(PostgreSQL, an in-memory SQLite) it runs through the session as before.

Use it only for a read whose rows need not see the request's own uncommitted writes.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import Select
from sqlalchemy.engine import Dialect, Engine

from camp.db import sqlite_file
from camp.extensions import db


@dataclass(frozen=True)
class _Compiled:
    sql: str
    # Per positional parameter: the name to take from the caller's params (or None and a
    # value fixed in the statement), and its type's conversion for the driver, if any (a
    # UTC timestamp is written as SQLite stores it).
    binds: tuple[tuple[str | None, Any, Callable[[Any], Any] | None], ...]
    # (column index, converter) for the columns whose type converts the driver's value.
    converters: tuple[tuple[int, Callable[[Any], Any]], ...]


class SnapshotRead:
    """A constant select whose rows are read in one statement, outside the session."""

    def __init__(self, statement: Select[*tuple[Any, ...]]) -> None:
        self.statement = statement
        self._sqlite: _Compiled | None = None

    def rows(self, params: Mapping[str, Any]) -> list[Sequence[Any]]:
        engine = db.engine
        database = _database_file(engine)
        connection = _thread_connection(database) if database is not None else None
        if connection is None:
            return list(db.session.execute(self.statement, params).all())
        compiled = self._sqlite or self._compile(engine.dialect)
        arguments = tuple(
            _converted(params[name] if name is not None else value, convert)
            for name, value, convert in compiled.binds
        )
        found = connection.execute(compiled.sql, arguments).fetchall()
        if not compiled.converters:
            return found
        rows: list[Sequence[Any]] = []
        for row in found:
            values = list(row)
            for index, convert in compiled.converters:
                if values[index] is not None:
                    values[index] = convert(values[index])
            rows.append(values)
        return rows

    def _compile(self, dialect: Dialect) -> _Compiled:
        compiled = self.statement.compile(dialect=dialect)
        binds: list[tuple[str | None, Any, Callable[[Any], Any] | None]] = []
        for name in compiled.positiontup or ():
            bind = compiled.binds[name]
            convert = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if bind.required:
                binds.append((bind.key, None, convert))
            else:
                binds.append((None, bind.effective_value, convert))
        self._sqlite = found = _Compiled(
            sql=compiled.string,
            binds=tuple(binds),
            converters=tuple(
                (index, convert)
                for index, column in enumerate(self.statement.selected_columns)
                if (convert := column.type.dialect_impl(dialect).result_processor(dialect, None))
            ),
        )
        return found


# engine -> its SQLite file (or None): hashing the engine's URL for sqlite_file's memo on
# every read was a tenth of a read.
_files: weakref.WeakKeyDictionary[Engine, str | None] = weakref.WeakKeyDictionary()


def _database_file(engine: Engine) -> str | None:
    try:
        return _files[engine]
    except KeyError:
        _files[engine] = found = sqlite_file(engine.url)
        return found


def _converted(value: Any, convert: Callable[[Any], Any] | None) -> Any:
    return value if convert is None or value is None else convert(value)


class _ThreadConnections(threading.local):
    def __init__(self) -> None:
        # database path -> (process id, file identity, connection)
        self.open: dict[str, tuple[int, tuple[int, int], sqlite3.Connection]] = {}


_connections = _ThreadConnections()


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
