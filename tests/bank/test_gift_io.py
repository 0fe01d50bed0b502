"""GIFT import (all or nothing, with line numbers) and export, through services and the CLI."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from camp.bank import services
from camp.bank.gift_io import GiftImportError, apply_import, export_gift, plan_import, read_gift
from camp.bank.models import Question, QuestionVersion
from camp.extensions import db

BANK = """\
$CATEGORY: top/IP basics

// [id:ipv-01] [tag:ip-kinds] [tag:logos]
::Logo::Which right protects a company logo?{
=A trademark#Right: a sign used in trade.
~A patent#Patents protect inventions.
~Copyright only#Not the usual route for a sign used in trade.
}####Trademarks protect signs.

// [id:ipv-02] [tag:ip-terms]
::Patent term::Under TRIPS, the minimum patent term is how many years from filing?{#20}

// [id:ipv-03] [tag:ip-kinds]
::Trade secret::A trade secret must be registered.{F#No registration is needed.#Right.}

// [id:ipv-04] [tag:ip-kinds]
::Match::Match each right with what it protects.{
=Patent -> an invention
=Trademark -> a sign used in trade
=Copyright -> a literary work
}
"""

BROKEN = BANK.replace("{#20}", "{#twenty}")


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_import_creates_questions_with_ids_tags_and_categories(app):
    questions = read_gift(BANK)
    plan = apply_import(questions)
    db.session.commit()
    assert [p.action for p in plan] == ["create"] * 4
    logo = services.find_question("ipv-01")
    assert logo.tag_names == ["ip-kinds", "logos"]
    assert logo.category.path == "top/IP basics"
    assert services.current_version(logo).type == "single_choice"


def test_reimporting_the_same_file_changes_nothing(app):
    apply_import(read_gift(BANK))
    db.session.commit()
    plan = apply_import(read_gift(BANK))
    db.session.commit()
    assert [p.action for p in plan] == ["unchanged"] * 4
    assert count(QuestionVersion) == 4


def test_a_changed_question_gets_a_new_version(app):
    apply_import(read_gift(BANK))
    db.session.commit()
    changed = BANK.replace("{#20}", "{#20:0}").replace("company logo", "brand logo")
    plan = plan_import(read_gift(changed))
    assert [p.action for p in plan] == ["update", "update", "unchanged", "unchanged"]
    apply_import(read_gift(changed))
    db.session.commit()
    assert services.find_question("ipv-01").version_count == 2


def test_one_broken_question_imports_nothing_and_names_its_line(app):
    with pytest.raises(GiftImportError) as error:
        apply_import(read_gift(BROKEN))
    assert [p.line for p in error.value.problems] == [11]
    assert count(Question) == 0


def comparable(questions):
    return [
        (q.id, q.type, q.title, q.text, q.spec, q.general_feedback, sorted(q.tags), q.category)
        for q in questions
    ]


def test_export_then_import_gives_equal_questions(app):
    apply_import(read_gift(BANK))
    db.session.commit()
    exported = export_gift()
    again = read_gift(exported)
    original = read_gift(BANK)
    assert comparable(again) == comparable(original)


def test_export_of_one_category(app):
    apply_import(read_gift(BANK))
    apply_import(read_gift("// [id:other-1]\nOther?{T}\n"), category="Elsewhere")
    db.session.commit()
    assert "ipv-01" in export_gift("top/IP basics")
    assert "other-1" not in export_gift("top")
    assert "other-1" in export_gift("Elsewhere")


def test_cli_import_dry_run_json_writes_nothing(app, runner, tmp_path):
    path = tmp_path / "bank.gift"
    path.write_text(BANK, encoding="utf-8")
    result = runner.invoke(args=["bank", "import", str(path), "--dry-run", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [q["type"] for q in data] == ["single_choice", "numerical", "true_false", "matching"]
    first = data[0]
    assert set(first) >= {
        "line",
        "id",
        "type",
        "title",
        "text",
        "answers",
        "general_feedback",
        "tags",
        "category",
    }
    assert first["answers"][0] == {
        "text": "A trademark",
        "weight": 100,
        "feedback": "Right: a sign used in trade.",
    }
    assert first["line"] == 4 and first["tags"] == ["ip-kinds", "logos"]
    assert count(Question) == 0


def test_cli_import_reports_file_and_line_and_exits_1(app, runner, tmp_path):
    path = tmp_path / "broken.gift"
    path.write_text(BROKEN, encoding="utf-8")
    result = runner.invoke(args=["bank", "import", str(path)])
    assert result.exit_code == 1
    assert result.output.startswith(f"{path}:11: ")
    assert count(Question) == 0


def test_cli_import_then_export(app, runner, tmp_path):
    path = tmp_path / "bank.gift"
    path.write_text("\ufeff" + BANK.replace("\n", "\r\n"), encoding="utf-8")
    result = runner.invoke(args=["bank", "import", str(path), "--category", "Fallback"])
    assert result.exit_code == 0, result.output
    assert "imported 4 questions (4 create)" in result.output
    exported = runner.invoke(args=["bank", "export", "--category", "top"])
    assert exported.exit_code == 0
    assert "// [id:ipv-02] [tag:ip-terms]" in exported.output
    assert "$CATEGORY: $course$/top/IP basics" in exported.output  # as Moodle writes it


def test_cli_export_names_a_question_gift_cannot_write(app, runner):
    spec = {"items": ["Invent", "File", "Grant"], "grading": "partial"}
    draft = services.QuestionDraft(type="ordering", text="Put in order", spec=spec)
    services.create_question(draft, category=services.ensure_category("top"), uid="steps-1")
    db.session.commit()
    result = runner.invoke(args=["bank", "export"])
    assert result.exit_code == 1
    assert result.output == (
        "Error: the bank could not be written as GIFT: question 'steps-1': "
        "GIFT cannot write ordering questions.\n"
    )
    assert result.exception is None or isinstance(result.exception, SystemExit)
