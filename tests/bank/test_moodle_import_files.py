"""Images embedded in a Moodle XML file travel with their questions: stored with the
version on import (all or nothing, a bad image refused with its line), a changed image
makes a new version, and the export writes them back."""

from __future__ import annotations

import base64

import pytest
from sqlalchemy import func, select

from camp.bank import services
from camp.bank.file_models import StoredFile
from camp.bank.importing import BankImportError, apply_import, plan_import
from camp.bank.models import Question, QuestionVersion
from camp.bank.moodle_io import export_moodle_xml, read_bank_file
from camp.bank.question_files import files_of
from camp.extensions import db
from camp.formats.moodle_xml import parse_moodle_xml
from tests.bank.images import SVG, png


def _bank(image: bytes, name: str = "chart.png") -> bytes:
    payload = base64.b64encode(image).decode()
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="truefalse">
    <name><text>Chart</text></name>
    <questiontext format="html">
      <text><![CDATA[<p>Growth. <img src="@@PLUGINFILE@@/{name}" alt="Filings"></p>]]></text>
      <file name="{name}" path="/" encoding="base64">{payload}</file>
    </questiontext>
    <idnumber>chart-1</idnumber>
    <answer fraction="100" format="moodle_auto_format"><text>true</text></answer>
    <answer fraction="0" format="moodle_auto_format"><text>false</text></answer>
  </question>
</quiz>
""".encode()


def _import(source: bytes) -> list:
    read = read_bank_file(source)
    plan = apply_import(read.questions, categories=read.categories)
    db.session.commit()
    return plan


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_an_imported_image_is_stored_with_its_version_and_exported_again(app):
    _import(_bank(png(shade=10)))
    version = services.current_version(services.find_question("chart-1"))
    assert files_of([version.id])[version.id] == [("chart.png", png(shade=10))]

    back = parse_moodle_xml(export_moodle_xml())
    (question,) = back.questions
    assert [(f.name.lstrip("/"), f.data) for f in question.files] == [("chart.png", png(shade=10))]
    assert "@@PLUGINFILE@@/chart.png" in question.text


def test_the_same_image_again_changes_nothing_and_another_makes_a_version(app):
    _import(_bank(png(shade=10)))
    read = read_bank_file(_bank(png(shade=10)))
    assert [p.action for p in plan_import(read.questions)] == ["unchanged"]

    _import(_bank(png(shade=200)))
    question = services.find_question("chart-1")
    assert question.version_count == 2
    version = services.current_version(question)
    assert files_of([version.id])[version.id] == [("chart.png", png(shade=200))]
    assert _count(StoredFile) == 2  # the first image is kept for the first version


@pytest.mark.parametrize(
    ("image", "name"),
    [(SVG, "chart.svg"), (b"not an image at all", "chart.png")],
)
def test_a_file_that_is_not_an_image_refuses_the_whole_import_with_its_line(app, image, name):
    with pytest.raises(BankImportError) as refused:
        read = read_bank_file(_bank(image, name))
        plan_import(read.questions)
    (problem,) = refused.value.problems
    assert problem.line == 7  # the <file> element's line
    assert name in problem.message
    assert _count(Question) == 0 and _count(QuestionVersion) == 0 and _count(StoredFile) == 0
