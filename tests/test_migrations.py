"""The Alembic history builds the same schema as the models (no drift)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import inspect

from camp.extensions import db
from tests.conftest import fresh_database_url, make_app


def test_upgrade_to_head_matches_the_models(database_url, tmp_path):
    url = fresh_database_url(database_url, tmp_path, "migrations")
    app = make_app(url, tmp_path)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
            tables = set(inspect(conn).get_table_names())
        db.engine.dispose()
    assert diff == []
    assert {"users", "cohorts", "memberships", "alembic_version"} <= tables
