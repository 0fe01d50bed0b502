"""A rate-limit store in a small SQLite file, shared by every worker process of `camp up`.

Flask-Limiter's default in-memory store is per process: with several workers, an address
could try its password ten times in each. This store keeps the counters in one file in the
instance folder, so the limit holds across processes on one machine without Redis. Several
machines still want `CAMP_RATELIMIT_STORAGE_URI=redis://...`.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from typing import Any

from limits.storage import Storage

SCHEME = "camp+sqlite"


class SQLiteStorage(Storage):
    STORAGE_SCHEME = [SCHEME]

    def __init__(
        self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any
    ) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        prefix = f"{SCHEME}:///"  # camp+sqlite:///relative/path or camp+sqlite:////abs/path
        if not uri or not uri.startswith(prefix):
            raise ValueError(f"expected a URI like {prefix}/path/to/file.sqlite3")
        self.path = uri[len(prefix) :]
        self._local = threading.local()
        with self._connect() as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS counters "
                "(key TEXT PRIMARY KEY, value INTEGER NOT NULL, expires REAL NOT NULL)"
            )

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def _connect(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            self._local.conn = conn
        return conn

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        conn = self._connect()
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("DELETE FROM counters WHERE key = ? AND expires <= ?", (key, now))
            conn.execute(
                "INSERT INTO counters (key, value, expires) VALUES (?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = value + excluded.value",
                (key, amount, now + expiry),
            )
            value = conn.execute("SELECT value FROM counters WHERE key = ?", (key,)).fetchone()[0]
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return int(value)

    def get(self, key: str) -> int:
        row = (
            self._connect()
            .execute("SELECT value FROM counters WHERE key = ? AND expires > ?", (key, time.time()))
            .fetchone()
        )
        return int(row[0]) if row else 0

    def get_expiry(self, key: str) -> float:
        row = (
            self._connect().execute("SELECT expires FROM counters WHERE key = ?", (key,)).fetchone()
        )
        return float(row[0]) if row else time.time()

    def check(self) -> bool:
        try:
            self._connect().execute("SELECT 1")
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        conn = self._connect()
        count = conn.execute("SELECT COUNT(*) FROM counters").fetchone()[0]
        conn.execute("DELETE FROM counters")
        return int(count)

    def clear(self, key: str) -> None:
        self._connect().execute("DELETE FROM counters WHERE key = ?", (key,))


def default_uri(instance_path: str) -> str:
    return f"{SCHEME}:///{instance_path}/ratelimit.sqlite3"
