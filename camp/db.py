"""The declarative base with a constraint naming convention, shared column helpers, and
which database file a URL names."""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import DateTime, MetaData, Table, TypeDecorator
from sqlalchemy.engine import URL, Dialect, make_url
from sqlalchemy.orm import DeclarativeBase

from camp import caches

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


@functools.lru_cache(maxsize=256)
def sqlite_file(url: str | URL) -> str | None:
    """The file of a SQLite database URL; None for another database or an in-memory one.

    Remembered per URL (both kinds are immutable): the hot paths ask on every request."""
    url = make_url(url)
    database = url.database
    if url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    if url.query.get("mode") == "memory":
        return None
    return database


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC (the only clock the models use)."""
    return datetime.now(UTC)


def stored_utc(value: datetime | None) -> datetime | None:
    """A moment as a UTC timestamp column stores it: naive, in UTC (for SQL written by
    hand, as the column type writes it)."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime given to a UTC column")
    return value.astimezone(UTC).replace(tzinfo=None)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always returned timezone-aware.

    SQLite has no time zones, so values are stored naive in UTC and tagged on the way out.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return stored_utc(value)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    if TYPE_CHECKING:
        # Each model maps one Table (SQLAlchemy types it as any FromClause): the hot paths
        # build Core statements on `Model.__table__`.
        __table__: ClassVar[Table]


caches.register_function("SQLite file of each URL", sqlite_file)
