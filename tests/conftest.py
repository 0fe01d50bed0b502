"""Shared fixtures: an app on a real database (SQLite file, or PostgreSQL through
CAMP_TEST_DATABASE_URL), emptied after every test, plus client, runner and login helpers."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask, g, request_started
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import stamp
from hypothesis import HealthCheck, settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from camp import caches, create_app
from camp.extensions import db
from tests import factories

# Machines here are noisy: judge hypothesis tests by their examples, never by timing.
settings.register_profile(
    "camp", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.load_profile("camp")

CHEAP_HASH = "scrypt:1024:8:1"  # still scrypt; the default cost is tested once on its own


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("CAMP_TEST_DATABASE_URL")
    if url:
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "camp-test.sqlite3")


def is_postgres(url: str) -> bool:
    return url.startswith(("postgres", "postgresql"))


def fresh_database_url(base_url: str, tmp_path: Path, name: str) -> str:
    """A second, empty database beside the test database (for migration tests)."""
    if not is_postgres(base_url):
        return "sqlite:///" + str(tmp_path / f"{name}.sqlite3")
    from camp.config import normalise_database_url

    url = make_url(normalise_database_url(base_url))
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    target = f"{url.database}_{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{target}"'))
    admin.dispose()
    return url.set(database=target).render_as_string(hide_password=False)


def make_app(database_url: str, tmp_path: Path, **overrides: object) -> Flask:
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret",
        "PASSWORD_HASH_METHOD": CHEAP_HASH,
        "RATELIMIT_STORAGE_URI": "memory://",
    }
    config.update(overrides)
    os.environ["CAMP_INSTANCE_PATH"] = str(tmp_path / "instance")
    try:
        return create_app(config)
    finally:
        del os.environ["CAMP_INSTANCE_PATH"]


_schema_ready: set[str] = set()


@pytest.fixture
def app_config() -> dict[str, object]:
    """Override in a test module to change settings for its app."""
    return {}


def _fresh_g(sender: Flask, **_extra: object) -> None:
    """Each request starts with an empty `g`, as in production.

    Why: the test's app context stays pushed, so every request of a test shares one `g`:
    Flask-Login would keep the user it loaded for the previous request (of any client)
    instead of reading this request's cookie, and the CSRF token of another browser
    would be rendered into this one's forms."""
    for name in list(g):
        g.pop(name)


@pytest.fixture
def app(database_url: str, tmp_path: Path, app_config: dict[str, object]) -> Iterator[Flask]:
    app = make_app(database_url, tmp_path, **app_config)
    request_started.connect(_fresh_g, app)
    caches.clear_all()  # ids restart when a test empties the database
    with app.app_context():
        if database_url not in _schema_ready:
            db.drop_all()
            db.create_all()
            stamp()  # the models are the migrations' head (tests/test_migrations.py)
            _schema_ready.add(database_url)
        yield app
        db.session.remove()
        empty_all_tables()
        db.engine.dispose()


def empty_all_tables() -> None:
    """Delete every row; the schema stays for the next test."""
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        return
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA foreign_keys = OFF")  # self-referencing rows, any order
        cursor.execute("BEGIN")
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")
        cursor.execute("COMMIT")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        raw.close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def login(client: FlaskClient) -> Callable[[object], FlaskClient]:
    """Log a user in on ``client`` without a password round trip."""

    def _login(user: object) -> FlaskClient:
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()  # type: ignore[attr-defined]
            session["_fresh"] = True
        return client

    return _login


@pytest.fixture
def make(app: Flask) -> type[factories.Factories]:
    return factories.Factories
