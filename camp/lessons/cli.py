"""`camp content check` and `camp content load`: lesson modules from a content folder."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from camp.extensions import db
from camp.formats.lesson_file import ContentError
from camp.lessons.content import check_content
from camp.lessons.loader import content_root, load_content
from camp.schema import needs_current_schema


def _root(directory: Path | None) -> Path:
    return directory if directory is not None else content_root(current_app)


def _report_problems(error: ContentError) -> None:
    for problem in error.problems:
        click.echo(str(problem), err=True)
    click.echo(f"{len(error.problems)} problem(s); nothing was written.", err=True)


@click.group("content")
def content_group() -> None:
    """Check and load lesson modules (lesson.md + questions.gift per folder)."""


@content_group.command("check")
@click.argument("directory", required=False, type=click.Path(path_type=Path, file_okay=False))
@with_appcontext
def content_check(directory: Path | None) -> None:
    """Parse and validate every module; report problems as path:line: message."""
    try:
        modules = check_content(_root(directory))
    except ContentError as error:
        _report_problems(error)
        sys.exit(1)
    questions = sum(len(m.questions) for m in modules)
    click.echo(f"{len(modules)} modules, {questions} questions: no problems found.")


@content_group.command("load")
@click.argument("directory", required=False, type=click.Path(path_type=Path, file_okay=False))
@needs_current_schema
def content_load(directory: Path | None) -> None:
    """Load every module (an idempotent upsert); nothing is written if anything is wrong."""
    try:
        report = load_content(_root(directory))
    except ContentError as error:
        db.session.rollback()
        _report_problems(error)
        sys.exit(1)
    db.session.commit()
    click.echo(f"Loaded {report.summary()}")
