"""Module, quiz and objective names in the reader's language on the progress page, the
cohort report, its CSV and the quiz page; untranslated modules keep their English."""

from __future__ import annotations

import pytest

from camp.extensions import db
from camp.lessons.translation_models import ModuleTranslation
from tests.reports.conftest import add_students, later, take

ZH = {"Accept-Language": "zh-CN"}
EN = {"Accept-Language": "en"}


@pytest.fixture
def chinese(course):
    """The trademarks module translated; the patents module not."""
    db.session.add(
        ModuleTranslation(
            module_id=course.modules[0].id,
            locale="zh_Hans",
            title="商标入门",
            body="",
            body_html="",
            toc=[],
            objectives=[
                {"tag": "trademarks-a", "text": "解释商标的甲要点。"},
                {"tag": "trademarks-b", "text": "解释商标的乙要点。"},
            ],
            sources=[],
            quiz_title="商标小测",
        )
    )
    db.session.commit()
    return course


@pytest.fixture
def student(make, chinese):
    (student,) = add_students(make, chinese, ["Zoë"])
    take(student, chinese.quizzes[0], {"tr-1", "tr-2", "tr-3"}, later(1))
    return student


def test_progress_names_translated_modules_objectives_and_quizzes_in_chinese(
    client, login, student
):
    page = login(student).get("/progress", headers=ZH).get_data(as_text=True)
    assert "商标入门" in page and ">Trademarks<" not in page
    assert "解释商标的甲要点。" in page and "Explain trademarks A." not in page
    assert "商标小测" in page and "Quiz 1" not in page  # the timeline's quiz
    assert "Patents" in page and "Explain patents A." in page  # not translated: English


def test_progress_in_english_keeps_the_english_names(client, login, student):
    page = login(student).get("/progress", headers=EN).get_data(as_text=True)
    assert "Trademarks" in page and "Explain trademarks A." in page and "Quiz 1" in page
    assert "商标" not in page


def test_the_cohort_report_and_its_csv_name_modules_in_the_organisers_language(
    client, login, chinese, student
):
    url = f"/organiser/cohorts/{chinese.cohort.id}/report"
    page = login(chinese.organiser).get(url, headers=ZH).get_data(as_text=True)
    assert "商标入门" in page and "解释商标的甲要点。" in page
    assert ">Trademarks<" not in page
    csv = client.get(url + "?format=csv", headers=ZH).get_data(as_text=True)
    assert "商标入门" in csv and "Trademarks" not in csv
    english = client.get(url + "?format=csv", headers=EN).get_data(as_text=True)
    assert "Trademarks" in english and "商标" not in english


def test_the_student_drill_down_names_modules_in_the_organisers_language(
    client, login, chinese, student
):
    url = f"/organiser/cohorts/{chinese.cohort.id}/students/{student.id}"
    page = login(chinese.organiser).get(url, headers=ZH).get_data(as_text=True)
    assert "商标入门" in page and "商标小测" in page


def test_the_module_quiz_page_names_its_module_in_the_readers_language(
    client, login, chinese, student
):
    page = login(student).get("/modules/trademarks/quiz", headers=ZH).get_data(as_text=True)
    assert "商标入门" in page and "商标小测" in page
