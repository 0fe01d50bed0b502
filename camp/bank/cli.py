"""`camp bank import` and `camp bank export`: GIFT in and out from the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from camp.bank.gift_io import GiftImportError, apply_import, export_gift, plan_import, read_gift
from camp.extensions import db
from camp.formats.gift import GiftWriteError, question_to_json
from camp.schema import needs_current_schema


@click.group("bank")
def bank_group() -> None:
    """Import and export question banks in Moodle's GIFT format."""


@bank_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--category", default=None, help="Category for questions the file does not place.")
@click.option("--dry-run", is_flag=True, help="Check and report; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the questions as a JSON array.")
@needs_current_schema
def bank_import(file: Path, category: str | None, dry_run: bool, as_json: bool) -> None:
    """Import FILE all or nothing: any error means nothing is written (exit status 1)."""
    try:
        questions = read_gift(file.read_bytes(), category=category)
        plan = plan_import(questions, category=category)
        if not dry_run:
            apply_import(questions, category=category)
    except GiftImportError as error:
        db.session.rollback()
        for line in error.lines_for(str(file)):
            click.echo(line, err=True)
        sys.exit(1)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    if as_json:
        click.echo(
            json.dumps([question_to_json(q) for q in questions], ensure_ascii=False, indent=2)
        )
        return
    counts: dict[str, int] = {}
    for item in plan:
        counts[item.action] = counts.get(item.action, 0) + 1
    summary = ", ".join(f"{n} {action}" for action, n in sorted(counts.items()))
    verb = "would import" if dry_run else "imported"
    click.echo(f"{file}: {verb} {len(plan)} questions ({summary})")


@bank_group.command("export")
@click.option("--category", default=None, help="Export this category and its subcategories.")
@click.option("--format", "fmt", type=click.Choice(["gift"]), default="gift", show_default=True)
@click.option("--include-retired", is_flag=True, help="Also export retired questions.")
@needs_current_schema
def bank_export(category: str | None, fmt: str, include_retired: bool) -> None:
    """Write the bank (or one category) as GIFT to standard output; nothing if a question
    cannot be written (exit status 1)."""
    try:
        text = export_gift(category, include_retired=include_retired)
    except GiftWriteError as error:
        click.echo(f"Error: the bank could not be written as GIFT: {error}.", err=True)
        sys.exit(1)
    click.echo(text, nl=False)
