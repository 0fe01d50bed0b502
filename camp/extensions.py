"""Flask extension singletons, created here and bound to an app in ``register_extensions``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, has_request_context, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event

from camp.db import Base, sqlite_file
from camp.forms import CampCSRFProtect
from camp.paths import MIGRATIONS_DIR

db = SQLAlchemy(model_class=Base)
migrate = Migrate(directory=str(MIGRATIONS_DIR))
login_manager = LoginManager()
csrf = CampCSRFProtect()
limiter = Limiter(key_func=get_remote_address)
F = TypeVar("F", bound=Callable[..., Any])


def _configure_sqlite(app: Flask) -> None:
    """WAL, a busy timeout and foreign keys on every SQLite connection."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    busy_ms = app.config["SQLITE_BUSY_TIMEOUT_MS"]

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin so
        # BEGIN IMMEDIATE can be issued where a write must not be lost.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if sqlite_file(engine.url) is not None:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Straight to the driver: through exec_driver_sql this was a tenth of a small page.
        sql = "BEGIN IMMEDIATE" if _request_writes() else "BEGIN"
        connection.connection.driver_connection.execute(sql)


def _request_writes() -> bool:
    """True inside a state-changing request (POST and the like).

    SQLite has one writer. A deferred transaction that reads and then writes fails at once
    with "database is locked" when another writer committed in between (waiting could not
    help it), so every transaction of such a request takes the write lock at BEGIN and
    waits its turn within the busy timeout. Reads (GET) stay deferred and never wait: WAL
    lets them run beside the writer.
    """
    from camp.transactions import in_short_writes_view, writing

    if writing():  # inside write_transaction(), also outside a request (a writer thread)
        return True
    if not has_request_context() or request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    # Views marked @short_writes read without the lock and write in write_transaction().
    return not in_short_writes_view()


def rate_limit(limit_value: Callable[[], str] | str, **options: Any) -> Callable[[F], F]:
    """`limiter.limit`, and the mark that makes the limiter look at this view at all.

    Why: Camp sets no default or application-wide limits, yet Flask-Limiter worked out
    which limits apply on every request (~5% of an answer save). The request filter
    below skips views without this mark, so a limited view must use this decorator.
    """

    def decorate(view: F) -> F:
        limited = limiter.limit(limit_value, **options)(view)
        limited._camp_rate_limited = True  # type: ignore[attr-defined]
        return limited

    return decorate


@limiter.request_filter
def _no_limit_applies() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return not getattr(view, "_camp_rate_limited", False)


def register_extensions(app: Flask) -> None:
    from camp.sessions import CampSessionInterface

    app.session_interface = CampSessionInterface()
    db.init_app(app)
    _configure_sqlite(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"


__all__ = ["csrf", "db", "limiter", "login_manager", "migrate"]
