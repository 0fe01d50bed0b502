"""A SQLite read's rows as one JSON array in one row, and how to read them back.

Used by camp.snapshot_reads for every SQLite read of the hot views: Python's sqlite3 lets
other threads run during each row's step, and under load a thread waited for the GIL again
after every row; one row is one step (see `as_one_row`).
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    LargeBinary,
    Numeric,
    Select,
    TypeDecorator,
    case,
    func,
    null,
    select,
)

from camp import caches


def _is_real(column: Any) -> bool:
    """REAL (or NUMERIC) in SQLite: a Float or Numeric column, or a type built on one."""
    kind = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
    return isinstance(kind, Float | Numeric)


@functools.cache
def sqlite_has_json() -> bool:
    """Whether this Python's SQLite has its JSON functions (built in since SQLite 3.38;
    an older library may lack them, and its reads then come as rows)."""
    try:
        sqlite3.connect(":memory:").execute("SELECT json_group_array(json_array(1))")
    except sqlite3.OperationalError:
        return False
    return True


def _travels_as_json(column: Any) -> bool:
    """A JSON or BOOLEAN column itself, not a type built on one (whose own conversion must
    still run): it goes into the array as a JSON value, and the array's parse gives it."""
    kind = column.type
    return isinstance(kind, JSON | Boolean) and not isinstance(kind, TypeDecorator)


def as_one_row(statement: Select[Any]) -> Select[Any] | None:
    """The statement's rows as one JSON array in one row, for SQLite (None when a column
    cannot go into JSON: a BLOB).

    Why: Python's sqlite3 lets other threads run during each row's step, and under load a
    thread waited for the GIL again after every row: ten rows of a paper were ten waits.
    With eight threads a question page lost 42% of its rate to them (a single thread, 0).
    One row is one step. SQLite writes a REAL in JSON to 15 digits, so REALs go as exact
    text and are read back with float(). A JSON column goes in as the JSON it holds and a
    BOOLEAN as true or false, so the one parse of the array gives their values, with
    nothing left to convert (one more parse per JSON cell took a fifth of a question page's
    read). Everything else is JSON as it is. The rows keep the statement's order (SQLite
    aggregates a subquery with an ORDER BY in that order)."""
    if any(isinstance(column.type, LargeBinary) for column in statement.selected_columns):
        return None
    rows = statement.subquery("snapshot_rows")
    encoded = [_in_json(column) for column in rows.c]
    return select(func.json_group_array(func.json_array(*encoded)))


def _in_json(column: Any) -> Any:
    """How one column goes into the JSON array (see `as_one_row`)."""
    if _is_real(column):
        return case((column.is_(None), null()), else_=func.printf("%!.20g", column))
    if not _travels_as_json(column):
        return column
    if isinstance(column.type, JSON):
        return func.json(column)
    return case(
        (column.is_(None), null()),
        (column != 0, func.json("true")),
        else_=func.json("false"),
    )


def from_json_text(
    statement: Select[Any], converters: tuple[tuple[int, Callable[[Any], Any]], ...]
) -> tuple[tuple[int, Callable[[Any], Any]], ...]:
    """The converters of a one-row read: each REAL column is read from its exact text
    first; a JSON or BOOLEAN column needs none (the array's parse gave its value)."""
    by_index = dict(converters)
    for index, column in enumerate(statement.selected_columns):
        if _is_real(column):
            then = by_index.get(index)
            by_index[index] = float if then is None else _then(float, then)
        elif _travels_as_json(column):
            by_index.pop(index, None)
    return tuple(sorted(by_index.items()))


def _then(first: Callable[[Any], Any], second: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: second(first(value))


caches.register_function("SQLite JSON functions present", sqlite_has_json)
