"""`camp bank import` and `camp bank export`: GIFT and Moodle XML in and out from the command
line, in English (`--lang en`, the default: the questions themselves), or as GIFT in another
language (`--lang zh-Hans`: translations of questions already in the bank)."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

import click

from camp.bank.gift_io import GiftImportError, apply_import, export_gift, plan_import, read_gift
from camp.bank.importing import ImportedQuestion
from camp.bank.moodle_io import (
    FORMATS,
    GIFT,
    MOODLE_XML,
    detect_format,
    export_moodle_xml,
    read_bank_file,
    skipped_message,
)
from camp.bank.translation_io import (
    check_translation,
    export_translations,
    plan_translations,
    store_translations,
)
from camp.extensions import db
from camp.formats import moodle_xml
from camp.formats.gift import GiftQuestion, GiftWriteError, question_to_json
from camp.formats.moodle_xml_question import MoodleQuestion, MoodleWriteError
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
    """Import and export question banks in Moodle's GIFT and Moodle XML formats."""


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


def _json(question: ImportedQuestion) -> dict:
    if isinstance(question, MoodleQuestion):
        return moodle_xml.question_to_json(question)
    assert isinstance(question, GiftQuestion)
    return question_to_json(question)


def _echo_json(questions: Sequence[ImportedQuestion]) -> None:
    click.echo(json.dumps([_json(q) for q in questions], ensure_ascii=False, indent=2))


@bank_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--category", default=None, help="Category for questions the file does not place.")
@click.option("--dry-run", is_flag=True, help="Check and report; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the questions as a JSON array.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="The file's format (default: Moodle XML if it starts as XML, else GIFT).",
)
@click.option(
    "--skip-unknown",
    is_flag=True,
    help="Moodle XML: leave out (and list) questions of types Camp cannot read.",
)
@lang_option
@needs_current_schema
def bank_import(
    file: Path,
    category: str | None,
    dry_run: bool,
    as_json: bool,
    fmt: str | None,
    skip_unknown: bool,
    locale: str,
) -> None:
    """Import FILE (GIFT or Moodle XML) all or nothing: any error means nothing is written
    (exit status 1). A translation (--lang zh-Hans, GIFT only) names each question it
    translates by its [id:...] and agrees with the English as `camp content check` demands:
    only text differs."""
    raw = file.read_bytes()
    if locale != DEFAULT_LOCALE:
        if (fmt or detect_format(raw)) != GIFT:
            click.echo(f"{file}: translations are imported from GIFT files only.", err=True)
            sys.exit(1)
        _import_translations(file, category, dry_run, as_json, locale)
        return
    try:
        read = read_bank_file(raw, fmt=fmt, category=category, skip_unknown=skip_unknown)
        plan = plan_import(read.questions, category=category, categories=read.categories)
        if not dry_run:
            apply_import(read.questions, category=category, categories=read.categories)
    except GiftImportError as error:
        _refuse(file, error)
    _finish(dry_run)
    for skipped in read.skipped:
        click.echo(f"{file}:{skipped.line}: {skipped_message(skipped)}", err=True)
    if as_json:
        _echo_json(read.questions)
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
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=GIFT, show_default=True)
@click.option("--include-retired", is_flag=True, help="Also export retired questions.")
@lang_option
@needs_current_schema
def bank_export(category: str | None, fmt: str, include_retired: bool, locale: str) -> None:
    """Write the bank (or one category) as GIFT or Moodle XML to standard output; nothing if
    a question cannot be written (exit status 1). With --lang zh-Hans (GIFT only): the
    questions' translations, leaving out (and counting) the questions that have none."""
    left_out = 0
    if fmt == MOODLE_XML and locale != DEFAULT_LOCALE:
        click.echo("Error: translations are exported as GIFT only.", err=True)
        sys.exit(1)
    try:
        if fmt == MOODLE_XML:
            text = export_moodle_xml(category, include_retired=include_retired)
        elif locale == DEFAULT_LOCALE:
            text = export_gift(category, include_retired=include_retired)
        else:
            text, left_out = export_translations(locale, category, include_retired=include_retired)
    except (GiftWriteError, MoodleWriteError) as error:
        name = "Moodle XML" if fmt == MOODLE_XML else "GIFT"
        click.echo(f"Error: the bank could not be written as {name}: {error}.", err=True)
        sys.exit(1)
    click.echo(text, nl=False)
    if left_out:
        questions = "question" if left_out == 1 else "questions"
        click.echo(
            f"left out {left_out} {questions} with no {HTML_LANG[locale]} translation "
            "(`camp bank export --lang en` exports every question in English)",
            err=True,
        )
