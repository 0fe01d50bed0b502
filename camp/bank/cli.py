"""`camp bank import` and `camp bank export`: GIFT in and out from the command line, in
English (`--lang en`, the default: the questions themselves) or in another language
(`--lang zh-Hans`: translations of questions already in the bank)."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

import click

from camp.bank.gift_io import GiftImportError, apply_import, export_gift, plan_import, read_gift
from camp.bank.translation_io import (
    check_translation,
    export_translations,
    plan_translations,
    store_translations,
)
from camp.extensions import db
from camp.formats.gift import GiftQuestion, GiftWriteError, question_to_json
from camp.locales import DEFAULT_LOCALE, HTML_LANG
from camp.schema import needs_current_schema

_LANG_HELP = "The language: en (the questions), or zh-Hans (their translations)."


def _locale(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """The locale (camp.locales) for a --lang value: en or zh-Hans, in any case, `_` or `-`."""
    wanted = value.replace("_", "-").casefold()
    for locale, tag in HTML_LANG.items():
        if tag.casefold() == wanted:
            return locale
    raise click.BadParameter(f"{value!r}; use one of {', '.join(HTML_LANG.values())}.")


lang_option = click.option(
    "--lang",
    "locale",
    default=DEFAULT_LOCALE,
    show_default=True,
    callback=_locale,
    metavar="|".join(HTML_LANG.values()),
    help=_LANG_HELP,
)


@click.group("bank")
def bank_group() -> None:
    """Import and export question banks in Moodle's GIFT format."""


def _refuse(file: Path, error: GiftImportError) -> NoReturn:
    db.session.rollback()
    for line in error.lines_for(str(file)):
        click.echo(line, err=True)
    sys.exit(1)


def _finish(dry_run: bool) -> None:
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()


def _echo_json(questions: Sequence[GiftQuestion]) -> None:
    click.echo(json.dumps([question_to_json(q) for q in questions], ensure_ascii=False, indent=2))


@bank_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--category", default=None, help="Category for questions the file does not place.")
@click.option("--dry-run", is_flag=True, help="Check and report; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the questions as a JSON array.")
@lang_option
@needs_current_schema
def bank_import(
    file: Path, category: str | None, dry_run: bool, as_json: bool, locale: str
) -> None:
    """Import FILE all or nothing: any error means nothing is written (exit status 1).
    A translation (--lang zh-Hans) names each question it translates by its [id:...] and
    agrees with the English as `camp content check` demands: only text differs."""
    if locale != DEFAULT_LOCALE:
        _import_translations(file, category, dry_run, as_json, locale)
        return
    try:
        questions = read_gift(file.read_bytes(), category=category)
        plan = plan_import(questions, category=category)
        if not dry_run:
            apply_import(questions, category=category)
    except GiftImportError as error:
        _refuse(file, error)
    _finish(dry_run)
    if as_json:
        _echo_json(questions)
        return
    counts: dict[str, int] = {}
    for item in plan:
        counts[item.action] = counts.get(item.action, 0) + 1
    summary = ", ".join(f"{n} {action}" for action, n in sorted(counts.items()))
    verb = "would import" if dry_run else "imported"
    click.echo(f"{file}: {verb} {len(plan)} questions ({summary})")


def _import_translations(
    file: Path, category: str | None, dry_run: bool, as_json: bool, locale: str
) -> None:
    try:
        questions = read_gift(file.read_bytes(), category=category)
        translations = check_translation(questions)
        if dry_run:
            actions = plan_translations(locale, translations)
        else:
            actions = store_translations(locale, translations)
    except GiftImportError as error:
        _refuse(file, error)
    _finish(dry_run)
    if as_json:
        _echo_json(questions)
        return
    counts = Counter(actions)
    summary = ", ".join(
        f"{counts[action]} {action}" for action in ("created", "updated", "unchanged")
    )
    verb = "would import" if dry_run else "imported"
    click.echo(f"{file}: {verb} {len(actions)} {HTML_LANG[locale]} translations ({summary})")


@bank_group.command("export")
@click.option("--category", default=None, help="Export this category and its subcategories.")
@click.option("--format", "fmt", type=click.Choice(["gift"]), default="gift", show_default=True)
@click.option("--include-retired", is_flag=True, help="Also export retired questions.")
@lang_option
@needs_current_schema
def bank_export(category: str | None, fmt: str, include_retired: bool, locale: str) -> None:
    """Write the bank (or one category) as GIFT to standard output; nothing if a question
    cannot be written (exit status 1). With --lang zh-Hans: the questions' translations,
    leaving out (and counting) the questions that have none."""
    left_out = 0
    try:
        if locale == DEFAULT_LOCALE:
            text = export_gift(category, include_retired=include_retired)
        else:
            text, left_out = export_translations(locale, category, include_retired=include_retired)
    except GiftWriteError as error:
        click.echo(f"Error: the bank could not be written as GIFT: {error}.", err=True)
        sys.exit(1)
    click.echo(text, nl=False)
    if left_out:
        questions = "question" if left_out == 1 else "questions"
        click.echo(
            f"left out {left_out} {questions} with no {HTML_LANG[locale]} translation "
            "(`camp bank export --lang en` exports every question in English)",
            err=True,
        )
