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
from camp.lessons.item_writing import STRICT_KEY_LONGEST_SHARE, module_cues
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
@click.option(
    "--strict",
    is_flag=True,
    help="Also fail on any item-writing warning, or when a module's single-answer key is "
    f"the longest (or the shortest) option in more than "
    f"{round(STRICT_KEY_LONGEST_SHARE * 100)} % of questions.",
)
@with_appcontext
def content_check(directory: Path | None, strict: bool) -> None:
    """Parse and validate every module; report problems as path:line: message.

    Item-writing warnings (answer cues) are printed the same way, with a summary per module
    of how often the key is the longest option.
    """
    try:
        modules = check_content(_root(directory))
    except ContentError as error:
        _report_problems(error)
        sys.exit(1)
    cues = [module_cues(module) for module in modules]
    warnings = [warning for module in cues for warning in module.warnings]
    for warning in warnings:
        click.echo(str(warning))
    for module in cues:
        click.echo(module.summary())
    questions = sum(len(m.questions) for m in modules)
    click.echo(
        f"{len(modules)} modules, {questions} questions: no problems found; "
        f"{len(warnings)} item-writing warning(s)."
    )
    over = [module.name for module in cues if module.too_often_longest]
    if strict and (warnings or over):
        limit = round(STRICT_KEY_LONGEST_SHARE * 100)
        reasons = [f"{len(warnings)} warning(s)"] if warnings else []
        if over:
            reasons.append(
                f"the key is the longest or the shortest option in more than {limit} % of "
                f"single-answer questions in {', '.join(over)}"
            )
        click.echo(f"--strict: failed: {'; '.join(reasons)}.", err=True)
        sys.exit(1)


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
