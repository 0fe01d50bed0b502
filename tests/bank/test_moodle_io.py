"""Moodle XML import (all or nothing, lines, categories, extras, files on the draft) and export,
through the services and `camp bank import` / `camp bank export`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from camp.bank import services
from camp.bank.gift_io import read_gift
from camp.bank.importing import BankImportError, apply_import, draft_of, plan_import
from camp.bank.models import Category, Question, QuestionVersion
from camp.bank.moodle_io import export_moodle_xml, read_bank_file
from camp.bank.question_files import files_of
from camp.extensions import db
from camp.formats.moodle_xml import parse_moodle_xml
from tests.bank.test_gift_io import BANK

FIXTURES = Path(__file__).parent.parent / "formats" / "fixtures" / "moodle_xml"
EVERY = (FIXTURES / "every_type.xml").read_bytes()
UNKNOWN = (FIXTURES / "unknown_type.xml").read_bytes()


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def import_bytes(source, **kw):
    read = read_bank_file(source, **kw)
    plan = apply_import(read.questions, categories=read.categories, category=kw.get("category"))
    db.session.commit()
    return plan


def test_import_creates_every_type_with_ids_tags_categories_and_extras(app):
    plan = import_bytes(EVERY)
    assert [p.action for p in plan] == ["create"] * 10
    logo = services.find_question("ipv-01 <&>")
    assert logo.tag_names == ["ip-kinds", "logos"] and logo.category.path == "IP basics"
    version = services.current_version(logo)
    assert version.type == "single_choice" and version.title == "Logo rights & marks"
    assert version.extras["correct_feedback"] == "Your answer is correct."
    assert version.extras["hints"][1] == {"text": "It is registered.", "clear_wrong": True}
    assert (version.extras["default_grade"], version.extras["penalty"]) == (2.0, 0.5)
    basics = db.session.scalar(select(Category).where(Category.path == "IP basics"))
    assert (basics.info, basics.info_format, basics.idnumber) == (
        "What *every* organiser should know.",
        "markdown",
        "ip-basics",
    )
    terms = db.session.scalar(select(Category).where(Category.idnumber == "ip-terms"))
    assert terms.path == "IP basics/Terms" and terms.parent_id == basics.id
    assert services.find_question("ipv-10").category.path == "Writing"


def test_embedded_files_travel_on_the_draft(app):
    read = read_bank_file(EVERY)
    drafts = {q.id: draft_of(q) for q in read.questions}
    assert [(f.name, f.data[:4]) for f in drafts["ipv-01 <&>"].files] == [("logo.png", b"\x89PNG")]
    assert drafts["ipv-02"].files == ()
    assert draft_of(read_gift(BANK)[0]).files == ()


def test_reimporting_the_same_file_changes_nothing(app):
    import_bytes(EVERY)
    versions = count(QuestionVersion)
    plan = import_bytes(EVERY)
    assert {p.action for p in plan} == {"unchanged"}
    assert count(QuestionVersion) == versions


def test_a_changed_feedback_by_outcome_makes_a_new_version(app):
    import_bytes(EVERY)
    changed = EVERY.replace(b"Your answer is correct.", b"Spot on.")
    plan = import_bytes(changed)
    assert [p.uid for p in plan if p.action == "update"] == ["ipv-01 <&>"]
    logo = services.find_question("ipv-01 <&>")
    assert logo.version_count == 2
    assert services.current_version(logo).extras["correct_feedback"] == "Spot on."


def test_a_category_idnumber_held_by_another_category_imports_nothing(app):
    services.describe_category(
        services.ensure_category("Elsewhere"), info="", info_format="moodle", idnumber="ip-terms"
    )
    db.session.commit()
    read = read_bank_file(EVERY)
    with pytest.raises(BankImportError) as caught:
        plan_import(read.questions, categories=read.categories)
    [problem] = caught.value.problems
    assert problem.line == read.categories[1].line
    assert problem.message == (
        "The category id number 'ip-terms' is already used by the category Elsewhere."
    )
    assert count(Question) == 0


def test_a_broken_file_writes_nothing_and_names_its_lines(app):
    broken = EVERY.replace(b'fraction="50" format="html"', b'fraction="half" format="html"')
    with pytest.raises(BankImportError) as caught:
        read_bank_file(broken)
    assert [p.message for p in caught.value.problems] == [
        "question 'Logo rights & marks': the fraction 'half' is not a number"
    ]
    assert count(Question) == 0 and count(Category) == 0


def test_export_then_import_gives_equal_questions_and_categories(app):
    import_bytes(EVERY)
    exported = export_moodle_xml()
    read = parse_moodle_xml(exported)
    assert {p.action for p in plan_import(read.questions, categories=read.categories)} == {
        "unchanged"
    }
    files_back = 0
    for question in read.questions:
        stored = services.find_question(question.id)
        version = services.current_version(stored)
        draft = draft_of(question)
        seen = files_of([version.id])[version.id]
        assert draft.content_key() == services.version_content_key(
            version, seen if draft.files else None
        )
        assert sorted((f.name.lstrip("/"), f.data) for f in question.files) == seen
        files_back += len(question.files)
        assert question.tags == stored.tag_names
        assert question.category == stored.category.path
    assert files_back > 0  # the images came back with their questions
    about = {c.path: (c.info, c.info_format, c.idnumber) for c in read.categories}
    assert about["IP basics"] == ("What *every* organiser should know.", "markdown", "ip-basics")
    assert about["IP basics/Terms"] == ("How long rights last.", "plain", "ip-terms")


def test_gift_questions_export_as_moodle_xml_and_come_back_unchanged(app):
    apply_import(read_gift(BANK))
    db.session.commit()
    read = parse_moodle_xml(export_moodle_xml("top"))
    assert sorted(q.id for q in read.questions) == ["ipv-01", "ipv-02", "ipv-03", "ipv-04"]
    assert {p.action for p in plan_import(read.questions)} == {"unchanged"}
    assert all(q.extras == {} for q in read.questions)


def test_export_of_one_category_takes_its_subtree(app):
    import_bytes(EVERY)
    read = parse_moodle_xml(export_moodle_xml("IP basics/Terms"))
    assert {q.category for q in read.questions} == {"IP basics/Terms"}
    assert [c.path for c in read.categories] == ["IP basics/Terms"]


# --- the command line ----------------------------------------------------------------------


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


def test_cli_dry_run_json_names_the_fields_and_writes_nothing(app, runner, tmp_path):
    path = write(tmp_path, "bank.xml", EVERY)
    result = runner.invoke(args=["bank", "import", str(path), "--dry-run", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data) == 10
    logo = data[0]
    assert set(logo) == {
        "line",
        "id",
        "type",
        "title",
        "text",
        "answers",
        "general_feedback",
        "tags",
        "category",
        "text_format",
        "moodle_type",
        "extras",
        "files",
    }
    assert logo["id"] == "ipv-01 <&>" and logo["moodle_type"] == "multichoice"
    assert logo["answers"][0] == {
        "text": "A trademark",
        "weight": 100,
        "feedback": "<p>Right: a sign used in trade.</p>",
    }
    assert logo["files"] == [{"name": "logo.png", "bytes": 8, "line": 20}]
    assert count(Question) == 0 and count(Category) == 0


def test_cli_import_then_export(app, runner, tmp_path):
    path = write(tmp_path, "bank.xml", EVERY)
    result = runner.invoke(args=["bank", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output == f"{path}: imported 10 questions (10 create)\n"
    exported = runner.invoke(args=["bank", "export", "--format", "moodle-xml"])
    assert exported.exit_code == 0
    assert "<text>$course$/top/IP basics/Terms</text>" in exported.output
    assert len(parse_moodle_xml(exported.output).questions) == 10
    gift = runner.invoke(args=["bank", "export", "--category", "Writing"])
    assert gift.exit_code == 1
    assert "the bank could not be written as GIFT" in gift.output


def test_cli_format_forces_the_reader(app, runner, tmp_path):
    xml = write(tmp_path, "bank.xml", EVERY)
    as_gift = runner.invoke(args=["bank", "import", str(xml), "--format", "gift"])
    assert as_gift.exit_code == 1 and as_gift.output.startswith(f"{xml}:")
    gift = write(tmp_path, "bank.txt", BANK)
    as_xml = runner.invoke(args=["bank", "import", str(gift), "--format", "moodle-xml"])
    assert as_xml.exit_code == 1
    assert as_xml.output.startswith(f"{gift}:1: the file is not well-formed XML")
    detected = runner.invoke(args=["bank", "import", str(gift), "--dry-run"])
    assert detected.exit_code == 0 and "would import 4 questions" in detected.output
    assert count(Question) == 0


def test_cli_unknown_types_stop_the_import_or_are_skipped(app, runner, tmp_path):
    path = write(tmp_path, "mixed.xml", UNKNOWN)
    stopped = runner.invoke(args=["bank", "import", str(path)])
    assert stopped.exit_code == 1
    lines = stopped.output.splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == [f"{path}:18", f"{path}:30"]
    assert "'ddwtos'" in lines[0]
    assert count(Question) == 0
    skipped = runner.invoke(args=["bank", "import", str(path), "--skip-unknown"])
    assert skipped.exit_code == 0, skipped.output
    assert skipped.output.splitlines() == [
        f"{path}:18: skipped question 'Drag words' of the type 'ddwtos', which Camp cannot read",
        f"{path}:30: skipped question 'Formula' of the type 'calculated', which Camp cannot read",
        f"{path}: imported 2 questions (2 create)",
    ]
    assert count(Question) == 2


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("billion_laughs.xml", 2),
        ("external_entity.xml", 3),
        ("dtd.xml", 5),
        ("deep_nesting.xml", 6),
        ("invalid_utf8.xml", 4),
    ],
)
def test_cli_refuses_hostile_files_with_a_line_and_writes_nothing(app, runner, name, line):
    path = FIXTURES / name
    result = runner.invoke(args=["bank", "import", str(path)])
    assert result.exit_code == 1
    assert result.output.startswith(f"{path}:{line}: ")
    assert count(Question) == 0 and count(Category) == 0


def test_cli_refuses_a_file_over_two_megabytes(app, runner, tmp_path):
    path = write(
        tmp_path, "big.xml", b"<?xml version='1.0'?><quiz>" + b" " * 2_100_000 + b"</quiz>"
    )
    result = runner.invoke(args=["bank", "import", str(path)])
    assert result.exit_code == 1
    assert result.output.startswith(f"{path}:1: the file has 2,100,034 bytes;")


def test_cli_translations_stay_gift(app, runner, tmp_path):
    path = write(tmp_path, "bank.xml", EVERY)
    result = runner.invoke(args=["bank", "import", str(path), "--lang", "zh-Hans"])
    assert result.exit_code == 1
    assert "translations are imported from GIFT files only" in result.output
    exported = runner.invoke(args=["bank", "export", "--format", "moodle-xml", "--lang", "zh-Hans"])
    assert exported.exit_code == 1
