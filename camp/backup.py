"""Consistent copies of the database while Camp runs: SQLite's online backup API."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from camp.db import sqlite_file

PG_DUMP_ADVICE = (
    "Camp is using PostgreSQL: back it up with PostgreSQL's own tool, which takes a "
    "consistent snapshot while Camp runs, for example\n"
    '  pg_dump --format=custom --file camp.dump "$DATABASE_URL"\n'
    "and restore with\n"
    '  pg_restore --clean --dbname "$DATABASE_URL" camp.dump'
)


class BackupError(Exception):
    pass


def sqlite_path(database_url: str) -> Path | None:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return None
    path = sqlite_file(url)
    if path is None:
        raise BackupError("An in-memory database cannot be backed up.")
    return Path(path)


def backup_sqlite(source: Path, target: Path) -> int:
    """Copy `source` to `target` page by page while writers go on; return the page count.

    The copy is a consistent snapshot (SQLite restarts the copy if a page changes under it)
    and includes what is still in the WAL file.
    """
    if not source.exists():
        raise BackupError(f"There is no database at {source}.")
    target = target.resolve()
    if target == source.resolve():
        raise BackupError("The backup must not overwrite the database itself.")
    if target.is_dir():
        raise BackupError(f"{target} is a folder; give a file name for the backup.")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(partial)
    try:
        src.backup(dst, pages=1024)
        pages = dst.execute("PRAGMA page_count").fetchone()[0]
        if dst.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("The copy failed its integrity check; the database is unchanged.")
    finally:
        dst.close()
        src.close()
    partial.replace(target)  # the backup file appears whole or not at all
    return int(pages)
