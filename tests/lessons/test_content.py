"""Lesson content: the shipped modules check and load; broken content is reported and
changes nothing; loading twice changes nothing."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from camp.bank import services as bank
from camp.bank.models import Question, QuestionVersion
from camp.extensions import db
from camp.formats.lesson_file import ContentError
from camp.lessons.content import check_content
from camp.lessons.loader import load_content
from camp.lessons.models import Module
from camp.paths import CONTENT_DIR
from camp.quizzes.models import Quiz


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def content(tmp_path) -> Path:
    """A private copy of the shipped content that a test may break."""
    root = tmp_path / "quizzes"
    shutil.copytree(CONTENT_DIR, root)
    return root


def test_shipped_content_meets_the_brief():
    modules = check_content(CONTENT_DIR)
    assert [m.lesson.slug for m in modules] == [
        "why-ip-matters",
        "wipo-and-the-global-ip-system",
        "innovation-trends",
        "treaties-in-the-making",
        "upov-and-plant-varieties",
        "frontier-technologies-and-ai",
        "careers-in-international-organisations",
    ]
    assert sum(len(m.questions) for m in modules) >= 210
    for module in modules:
        front = module.lesson.front
        assert 3 <= len(front.objectives) <= 5, module.lesson.slug
        assert 700 <= module.lesson.word_count <= 1500, (
            module.lesson.slug,
            module.lesson.word_count,
        )
        assert len(module.questions) >= 30, module.lesson.slug
        types = {q.type for q in module.questions}
        assert len(types) >= 4, (module.lesson.slug, types)
        headings = {e.text.lower() for e in module.rendered.toc}
        assert "key terms" in headings and "summary" in headings, module.lesson.slug
        for objective in front.objectives:
            tested = [q for q in module.questions if objective.tag in q.tags]
            assert len(tested) >= 5, (module.lesson.slug, objective.tag)
        for q in module.questions:
            assert q.id and q.tags and q.general_feedback.strip(), (module.lesson.slug, q.line)


def test_loading_every_module_and_loading_again_changes_nothing(app, content):
    first = load_content(content)
    db.session.commit()
    assert first.modules["created"] == 7
    assert set(first.questions) == {"created"}
    assert f"questions: {first.questions['created']} created; quizzes: 7 created" in (
        first.summary()
    )
    assert count(Quiz) == 7
    versions = count(QuestionVersion)
    second = load_content(content)
    db.session.commit()
    assert second.modules == {"unchanged": 7}
    assert set(second.questions) == {"unchanged"}
    assert second.quizzes == {"unchanged": 7}
    assert count(QuestionVersion) == versions


def test_a_changed_question_gets_a_new_version_and_a_removed_one_is_retired(app, content):
    load_content(content)
    db.session.commit()
    gift = content / "01-why-ip-matters" / "questions.gift"
    (gift.parent / "questions.zh-Hans.gift").unlink()  # (it would disagree with the edit)
    records = gift.read_text(encoding="utf-8").split("\n\n")
    first_id = records[0].split("[id:")[1].split("]")[0]
    last_id = records[-1].split("[id:")[1].split("]")[0]
    records[0] = records[0].replace("::", "::Edited ", 1)
    gift.write_text("\n\n".join(records[:-1]) + "\n", encoding="utf-8")
    report = load_content(content)
    db.session.commit()
    assert report.questions["updated"] == 1 and report.questions["retired"] == 1
    assert bank.find_question(first_id).version_count == 2
    assert bank.find_question(last_id).retired


def test_module_quiz_comes_from_the_front_matter(app, content):
    load_content(content)
    db.session.commit()
    module = db.session.scalar(select(Module).where(Module.slug == "why-ip-matters"))
    quiz = db.session.scalar(select(Quiz).where(Quiz.module_id == module.id))
    assert quiz.pass_mark == 70 and quiz.time_limit_minutes == 15 and quiz.attempts_allowed == 3
    [slot] = quiz.slots
    assert slot.kind == "random" and slot.count == 10 and slot.category_id == module.category_id


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [
        (lambda d: _edit(d / "lesson.md", "minutes: ", "minutes: -"), r"lesson\.md:\d+: "),
        (lambda d: _edit(d / "questions.gift", "{", "{{"), r"questions\.gift:\d+: "),
        (lambda d: _duplicate_id(d), r"questions\.gift:\d+: the id \S+ is already used"),
    ],
    ids=["bad front matter", "unparsable GIFT", "duplicate id"],
)
def test_broken_content_is_reported_with_its_line_and_writes_nothing(
    app, content, breakage, expected
):
    breakage(content / "03-innovation-trends")
    with pytest.raises(ContentError) as error:
        load_content(content)
    db.session.rollback()
    messages = [str(p) for p in error.value.problems]
    assert any(re.search("03-innovation-trends/" + expected, m) for m in messages), messages
    assert count(Module) == 0 and count(Question) == 0


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _duplicate_id(folder: Path) -> None:
    other = (folder.parent / "01-why-ip-matters" / "questions.gift").read_text(encoding="utf-8")
    taken = other.split("[id:")[1].split("]")[0]
    gift = folder / "questions.gift"
    text = gift.read_text(encoding="utf-8")
    mine = text.split("[id:")[1].split("]")[0]
    gift.write_text(text.replace(f"[id:{mine}]", f"[id:{taken}]", 1), encoding="utf-8")


def test_cli_check_and_load(app, runner, content):
    check = runner.invoke(args=["content", "check", str(content)])
    assert check.exit_code == 0 and "7 modules" in check.output
    _edit(content / "02-wipo-and-the-global-ip-system" / "lesson.md", "title:", "titel:")
    check = runner.invoke(args=["content", "check", str(content)])
    assert check.exit_code == 1
    assert "02-wipo-and-the-global-ip-system/lesson.md:" in check.output
    load = runner.invoke(args=["content", "load", str(content)])
    assert load.exit_code == 1 and count(Module) == 0
