"""Each module's Chinese lesson and bank are checked against the English ones, question by
question, with the translation's path and line: a disagreement about ids, types, tags,
answers, weights, numbers, pairs or front matter is an error, so a score never depends on
the language."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from camp.formats.lesson_file import ContentError
from camp.lessons.content import check_content
from camp.paths import CONTENT_DIR

UPOV = "05-upov-and-plant-varieties"


@pytest.fixture
def content(tmp_path) -> Path:
    root = tmp_path / "quizzes"
    shutil.copytree(CONTENT_DIR, root)
    return root


def test_every_shipped_module_is_bilingual_and_agrees_with_its_english():
    for module in check_content(CONTENT_DIR):
        chinese = module.translations["zh_Hans"]
        assert chinese.lesson is not None and chinese.questions is not None
        assert [q.id for q in chinese.questions] == [q.id for q in module.questions]
        assert chinese.lesson.front.glossary, module.lesson.slug
        assert chinese.lesson.front.glossary == module.lesson.front.glossary


def problems(root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        check_content(root)
    return [str(problem) for problem in caught.value.problems]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def bank(root: Path) -> Path:
    return root / UPOV / "questions.zh-Hans.gift"


def lesson(root: Path) -> Path:
    return root / UPOV / "lesson.zh-Hans.md"


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_another_weight_is_an_error_at_the_question(content):
    # upov-03 is a multiple-answer question with weights 50/50/-50/-50.
    edit(bank(content), "~%-50%", "~%-25%")
    found = problems(content)
    assert any("questions.zh-Hans.gift:" in p and "upov-03" in p and "-50.0" in p for p in found)


def test_a_missing_question_is_named(content):
    text = bank(content).read_text(encoding="utf-8")
    start = text.index("// [id:upov-31]")
    bank(content).write_text(text[:start], encoding="utf-8")
    assert any("missing upov-31" in p for p in problems(content))


def test_another_true_false_answer_is_an_error(content):
    text = bank(content).read_text(encoding="utf-8")
    start = text.index("// [id:upov-02]")
    block_end = text.index("// [id:upov-03]")
    block = text[start:block_end]
    flipped = block.replace("{F#", "{T#", 1) if "{F#" in block else block.replace("{T#", "{F#", 1)
    assert flipped != block
    bank(content).write_text(text[:start] + flipped + text[block_end:], encoding="utf-8")
    found = problems(content)
    assert any("upov-02" in p and "answer" in p for p in found), found


def test_an_objective_tag_or_quiz_setting_changed_in_the_lesson_is_an_error(content):
    edit(lesson(content), "pass_mark: 70", "pass_mark: 60")
    edit(lesson(content), "tag: upov-dus", "tag: upov-dus-zh")
    found = problems(content)
    assert any(f"{UPOV}/lesson.zh-Hans.md:1: the quiz settings differ" in p for p in found)
    assert any("objectives' tags" in p for p in found)


def test_a_link_to_a_heading_the_chinese_lesson_lacks_is_an_error(content):
    text = bank(content).read_text(encoding="utf-8")
    anchor = text.split("](\\#", 1)[1].split(")", 1)[0]
    edit(bank(content), f"](\\#{anchor})", "](\\#no-such-section)")
    found = problems(content)
    assert any("#no-such-section, not a lesson section" in p for p in found)


def test_a_syntax_error_in_the_chinese_bank_has_its_line(content):
    edit(bank(content), "// [id:upov-10]", "// [id:upov-10]\n::broken::{")
    broken = line_of(bank(content), "::broken::{")
    found = problems(content)
    # The unclosed brace swallows the next line, where the parser stops.
    assert any(f"questions.zh-Hans.gift:{broken + 1}: a {{ inside" in p for p in found), found


def test_loading_stores_each_translation_once_with_its_version(app):
    from sqlalchemy import func, select

    from camp.bank import services as bank
    from camp.bank.translation_models import QuestionTranslation
    from camp.extensions import db
    from camp.lessons.loader import load_content
    from camp.lessons.models import Module
    from camp.lessons.translation_models import ModuleTranslation

    first = load_content(CONTENT_DIR)
    db.session.commit()
    assert first.translations["created"] == 7 + 220
    assert "translations: 227 created" in first.summary()
    upov = db.session.scalar(select(Module).where(Module.slug == "upov-and-plant-varieties"))
    assert upov.glossary and all(entry["en"] and entry["zh"] for entry in upov.glossary)
    chinese = db.session.scalar(
        select(ModuleTranslation).where(ModuleTranslation.module_id == upov.id)
    )
    assert chinese.locale == "zh_Hans" and "植物" in chinese.title and "<h2" in chinese.body_html
    version = bank.current_version(bank.find_question("upov-07"))
    question = db.session.scalar(
        select(QuestionTranslation).where(QuestionTranslation.question_version_id == version.id)
    )
    assert question.locale == "zh_Hans" and "1978" in question.text + str(question.spec)
    again = load_content(CONTENT_DIR)
    db.session.commit()
    assert dict(again.translations) == {"unchanged": 227}
    assert db.session.scalar(select(func.count()).select_from(QuestionTranslation)) == 220
