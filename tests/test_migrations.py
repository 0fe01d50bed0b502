"""The Alembic history builds the same schema as the models (no drift)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import JSON, column, delete, func, insert, inspect, select, table, text
from sqlalchemy.exc import IntegrityError

from camp.accounts.models import User
from camp.bank.models import Category, Question, QuestionVersion
from camp.bank.question_types import REGISTRY
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


def test_the_migrated_database_stores_a_question_of_every_registered_type(database_url, tmp_path):
    """Adding a question type needs a revision that adds its name to the `type_known` CHECK:
    autogenerate cannot see CHECK constraints, so this test is what notices a missing one."""
    url = fresh_database_url(database_url, tmp_path, "every_type")
    app = make_app(url, tmp_path)
    with app.app_context():
        upgrade()
        category = Category(path="Every type", name="Every type")
        db.session.add(category)
        db.session.flush()
        for name in REGISTRY:
            question = Question(uid=f"type-{name}", category_id=category.id, version_count=1)
            db.session.add(question)
            db.session.flush()
            db.session.add(
                QuestionVersion(question_id=question.id, number=1, type=name, text="A", spec={})
            )
            db.session.flush()  # a CHECK violation names the type that failed
        db.session.rollback()
        db.engine.dispose()


def _old_question(number: int) -> Question:
    """A single choice question stored as revision 6c81c1bc2d90 stores one (no extras, no
    category info): a Question row to put in a quiz."""
    from camp.db import utcnow

    categories = table("categories", column("id"), column("name"), column("path"))
    category_id = db.session.scalar(select(categories.c.id).where(categories.c.path == "Bank"))
    if category_id is None:
        category_id = db.session.execute(
            insert(categories).values(name="Bank", path="Bank").returning(categories.c.id)
        ).scalar_one()
    question = Question(uid=f"old-{number}", category_id=category_id, version_count=1)
    db.session.add(question)
    db.session.flush()
    names = ("question_id", "number", "type", "title", "text", "text_format")
    versions = table(
        "question_versions",
        *(column(name) for name in names),
        column("spec", JSON),
        column("general_feedback"),
        column("created_at"),
    )
    options = [{"text": "Right", "weight": 100}, {"text": "Wrong", "weight": 0}]
    db.session.execute(
        insert(versions).values(
            question_id=question.id,
            number=1,
            type="single_choice",
            title="",
            text=f"Pick {number}",
            text_format="moodle",
            spec={"options": options},
            general_feedback="",
            created_at=utcnow(),
        )
    )
    db.session.commit()
    return question


@contextmanager
def database_with_an_attempt(database_url: str, tmp_path: Path, name: str) -> Iterator[list[int]]:
    """An app context on a database at the revision before the question types changed the
    CHECK, holding an attempt at two questions (rows that refer to question_versions); yields
    the attempt's question version ids."""
    from camp.db import utcnow
    from camp.quizzes.models import AttemptQuestion
    from tests.factories import Factories

    app = make_app(fresh_database_url(database_url, tmp_path, name), tmp_path)
    with app.app_context():
        upgrade(revision="6c81c1bc2d90")  # before the ordering and cloze types
        # Rows as that revision stores them: the models have columns added since.
        quiz = Factories.quiz([_old_question(n) for n in (1, 2)])
        users = User.__table__
        names = (
            "id",
            "quiz_id",
            "user_id",
            "number",
            "state",
            "seed",
            "started_at",
            "auto_submitted",
            "needs_grading",
        )
        attempts = table("attempts", *(column(name) for name in names))  # no new defaults
        old_user = {"email": "old@example.org", "display_name": "Old", "password_hash": "x"}
        user_id = db.session.execute(
            insert(users)
            .values(
                role="student",
                active=True,
                must_change_password=False,
                session_generation=0,
                created_at=utcnow(),
                **old_user,
            )
            .returning(users.c.id)
        ).scalar_one()
        attempt_id = db.session.execute(
            insert(attempts)
            .values(
                quiz_id=quiz.id,
                user_id=user_id,
                number=1,
                state="in_progress",
                seed="0" * 32,
                started_at=utcnow(),
                auto_submitted=False,
                needs_grading=False,
            )
            .returning(attempts.c.id)
        ).scalar_one()
        for position, slot in enumerate(quiz.slots, start=1):
            version = db.session.scalar(
                select(QuestionVersion.id).where(QuestionVersion.question_id == slot.question_id)
            )
            db.session.execute(
                insert(AttemptQuestion.__table__).values(
                    attempt_id=attempt_id,
                    position=position,
                    question_version_id=version,
                    answered=False,
                )
            )
        db.session.commit()
        versions = list(db.session.scalars(select(AttemptQuestion.question_version_id)))
        db.session.remove()
        try:
            yield versions
        finally:
            db.session.remove()
            db.engine.dispose()


def test_rebuilding_a_referenced_table_keeps_its_rows_and_the_foreign_keys(database_url, tmp_path):
    """A type's revision rebuilds question_versions on SQLite (batch mode), which attempts
    refer to: with foreign keys enforced the DROP would fail, so migrations run with them off
    and checked, and they are on again afterwards."""
    from camp.quizzes.models import AttemptQuestion

    with database_with_an_attempt(database_url, tmp_path, "referenced") as versions:
        upgrade()
        downgrade(revision="6c81c1bc2d90")
        upgrade()
        assert db.session.scalars(select(AttemptQuestion.question_version_id)).all() == versions
        assert db.session.scalar(select(func.count(QuestionVersion.id))) == 2
        table = QuestionVersion.__table__
        with pytest.raises(IntegrityError):  # still refused: an attempt refers to it
            db.session.execute(delete(table).where(table.c.id == versions[0]))
        db.session.rollback()


def test_a_database_holding_attempts_is_migrated_to_head(database_url, tmp_path):
    """A revision that copies a table (SQLite's batch "move and copy", as for `type_known`)
    must also work when other rows refer to that table: attempts refer to question versions.
    Upgrading again when nothing is left to run leaves foreign keys enforced too."""
    from camp.quizzes.models import AttemptQuestion

    with database_with_an_attempt(database_url, tmp_path, "with_attempts"):
        for _ in range(2):
            upgrade()
            assert db.session.scalar(select(func.count(AttemptQuestion.id))) == 2
            if db.engine.dialect.name == "sqlite":  # enforced again, and nothing broken
                assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
                assert db.session.execute(text("PRAGMA foreign_key_check")).all() == []
            db.session.remove()


def test_sessions_from_before_the_board_get_a_moderated_open_board(database_url, tmp_path):
    """The board's revision adds NOT NULL columns to live_sessions: rows already there take
    the defaults (moderated, open, version 0) on both databases, and going back keeps them."""
    from camp.db import utcnow
    from camp.live.models import LiveParticipant, LiveSession

    app = make_app(fresh_database_url(database_url, tmp_path, "live_board"), tmp_path)
    with app.app_context():
        upgrade(revision="fa133c20526a")  # the live sessions, before the board
        users = User.__table__
        host_id = db.session.execute(
            insert(users)
            .values(
                email="host@example.org",
                display_name="Host",
                password_hash="x",
                role="organiser",
                active=True,
                must_change_password=False,
                session_generation=0,
                locale=None,
                created_at=utcnow(),
            )
            .returning(users.c.id)
        ).scalar_one()
        old_columns = ("code", "title", "host_id", "created_at", "allow_guests")
        old_columns += ("show_leaderboard", "anonymous", "phase", "state_version")
        sessions = table("live_sessions", *(column(name) for name in old_columns))
        db.session.execute(
            insert(sessions).values(
                code="ABCDEF",
                title="Before the board",
                host_id=host_id,
                created_at=utcnow(),
                allow_guests=False,
                show_leaderboard=False,
                anonymous=False,
                phase="lobby",
                state_version=0,
            )
        )
        db.session.commit()
        db.session.remove()
        upgrade()
        row = db.session.execute(
            select(LiveSession.board_moderated, LiveSession.board_open, LiveSession.board_version)
        ).one()
        assert tuple(row) == (True, True, 0)
        db.session.remove()
        downgrade(revision="fa133c20526a")
        inspector = inspect(db.engine)
        assert "board_version" not in {c["name"] for c in inspector.get_columns("live_sessions")}
        assert "live_board_posts" not in inspector.get_table_names()
        assert LiveParticipant.__tablename__ in inspector.get_table_names()
        assert db.session.scalar(select(func.count()).select_from(sessions)) == 1
        db.session.remove()
        db.engine.dispose()
