"""Configuration rules: secret keys, database URLs."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from camp import create_app
from camp.config import ConfigError, normalise_database_url


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("CAMP_ENV", "production")
    monkeypatch.delenv("CAMP_SECRET_KEY", raising=False)
    monkeypatch.setenv("CAMP_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(ConfigError, match="CAMP_SECRET_KEY"):
        create_app()


def test_production_uses_the_given_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("CAMP_ENV", "production")
    monkeypatch.setenv("CAMP_SECRET_KEY", "k" * 40)
    monkeypatch.setenv("CAMP_INSTANCE_PATH", str(tmp_path))
    assert create_app().config["SECRET_KEY"] == "k" * 40


def test_development_generates_a_key_once_and_keeps_it(monkeypatch, tmp_path):
    monkeypatch.delenv("CAMP_ENV", raising=False)
    monkeypatch.delenv("CAMP_SECRET_KEY", raising=False)
    monkeypatch.setenv("CAMP_INSTANCE_PATH", str(tmp_path))
    first = create_app().config["SECRET_KEY"]
    assert len(first) >= 32
    assert create_app().config["SECRET_KEY"] == first
    assert (tmp_path / "secret_key").read_text().strip() == first


def test_development_workers_starting_at_once_all_get_the_same_key(monkeypatch, tmp_path):
    # gunicorn's workers each build the app: the first key written wins, whole.
    from camp.config import _development_secret_key

    start = threading.Barrier(8)

    def key(_: int) -> str:
        start.wait()
        return _development_secret_key(str(tmp_path))

    with ThreadPoolExecutor(8) as pool:
        keys = set(pool.map(key, range(8)))
    assert len(keys) == 1 and len(keys.pop()) == 64
    assert [path.name for path in tmp_path.iterdir()] == ["secret_key"]


def test_a_shared_rate_limit_store_means_several_hosts_and_needs_the_secret_key(
    monkeypatch, tmp_path
):
    monkeypatch.delenv("CAMP_ENV", raising=False)
    monkeypatch.delenv("CAMP_SECRET_KEY", raising=False)
    monkeypatch.setenv("CAMP_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("CAMP_RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
    with pytest.raises(ConfigError, match="same long random string on every host"):
        create_app()
    assert not (tmp_path / "secret_key").exists()
    monkeypatch.setenv("CAMP_ENV", "production")  # says why the key is needed there too
    with pytest.raises(ConfigError, match="same long random string on every host"):
        create_app()
    monkeypatch.delenv("CAMP_ENV")
    monkeypatch.setenv("CAMP_SECRET_KEY", "k" * 40)
    app = create_app()
    assert app.config["SECRET_KEY"] == "k" * 40
    assert app.config["RATELIMIT_STORAGE_URI"] == (
        "redis://127.0.0.1:6379/0?socket_timeout=1&socket_connect_timeout=1"
    )


def test_default_database_is_sqlite_in_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("CAMP_INSTANCE_PATH", str(tmp_path))
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/camp.sqlite3"


def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("CAMP_INSTANCE_PATH", str(tmp_path))
    app = create_app()
    from camp.extensions import db

    with app.app_context():
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000
        db.engine.dispose()  # after use: a connection is never closed under its user


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
        ("postgresql://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
    ],
)
def test_database_urls_are_normalised(given, expected):
    assert normalise_database_url(given) == expected
