"""Whether the database holds the schema this version of Camp expects, for commands that
need it: before `camp db upgrade` (or `camp up`) has run, they say so in one line and
exit 1 instead of failing with a traceback."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

import click
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask.cli import with_appcontext

from camp.extensions import db
from camp.paths import MIGRATIONS_DIR

P = ParamSpec("P")
R = TypeVar("R")
UPGRADE = "run `camp db upgrade` (or `camp up`, which upgrades it) first"


def expected_heads() -> set[str]:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return set(ScriptDirectory.from_config(config).get_heads())


def schema_problem() -> str | None:
    """Why the database cannot be used as it is, or None when its schema is current."""
    # Alembic's context says "Context impl ..." at INFO: not worth a line of every command.
    chatty = logging.getLogger("alembic.runtime.migration")
    level = chatty.level
    chatty.setLevel(logging.WARNING)
    try:
        # The session's own connection: SQLite keeps one connection per thread.
        context = MigrationContext.configure(db.session.connection())
        current = set(context.get_current_heads())
    finally:
        chatty.setLevel(level)
    if not current:
        return f"The database has no Camp tables yet: {UPGRADE}."
    if current != expected_heads():
        return f"The database's schema is older than this version of Camp: {UPGRADE}."
    return None


def needs_current_schema(command: Callable[P, R]) -> Callable[P, R]:
    """A CLI command that reads or writes Camp's tables (implies `with_appcontext`)."""

    @wraps(command)
    def checked(*args: P.args, **kwargs: P.kwargs) -> R:
        if problem := schema_problem():
            db.session.rollback()
            click.echo(f"Error: {problem}", err=True)
            sys.exit(1)
        return command(*args, **kwargs)

    return with_appcontext(checked)
