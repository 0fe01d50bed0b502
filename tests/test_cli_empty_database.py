"""Every `camp` command that needs the database, run before the database exists (or on an
older schema), says in one line what to run and exits 1: never a traceback."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from camp.extensions import db
from tests.conftest import fresh_database_url, make_app

GIFT = "// [id:cli-empty-1]\n::Q::Logos can be marks. {T}\n"

COMMANDS = [
    ["users", "create", "--email", "a@example.org", "--name", "A", "--role", "student",
     "--password", "mulberry lantern quietly"],
    ["cohorts", "create", "Autumn"],
    ["cohorts", "add", "Autumn", "a@example.org"],
    ["bank", "import", "{gift}", "--dry-run"],
    ["bank", "import", "{gift}"],
    ["bank", "export"],
    ["content", "load"],
    ["attempts", "close-overdue"],
    ["report", "cohort", "Autumn"],
]  # fmt: skip


@pytest.fixture
def empty_app(database_url, tmp_path):
    app = make_app(fresh_database_url(database_url, tmp_path, "empty"), tmp_path / "empty")
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_command_on_an_empty_database_says_what_to_run(empty_app, tmp_path, command):
    gift = tmp_path / "bank.gift"
    gift.write_text(GIFT, encoding="utf-8")
    args = [part.replace("{gift}", str(gift)) for part in command]
    result = empty_app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "camp db upgrade" in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output


def test_an_older_schema_is_named_too(empty_app):
    from flask_migrate import upgrade

    upgrade(revision="72365bc790d4")  # the release before session generations
    result = empty_app.test_cli_runner().invoke(args=["cohorts", "create", "Autumn"])
    assert result.exit_code == 1
    assert "camp db upgrade" in result.output and "older" in result.output
    assert db.session.execute(text("SELECT count(*) FROM cohorts")).scalar() == 0
