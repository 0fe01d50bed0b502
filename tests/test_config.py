"""Configuration rules: secret keys, database URLs."""

from __future__ import annotations

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
