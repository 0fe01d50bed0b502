"""Lesson pages: the list, a lesson with working table-of-contents anchors, mark as read."""

from __future__ import annotations

import re

import pytest

from camp.extensions import db
from camp.lessons.loader import load_content
from camp.paths import CONTENT_DIR
from tests.accounts.test_views import csrf_token


@pytest.fixture
def loaded(app):
    load_content(CONTENT_DIR)
    db.session.commit()


def test_module_list_shows_every_module_in_order(client, login, make, loaded):
    login(make.user())
    page = client.get("/modules").get_data(as_text=True)
    titles = re.findall(r'<h2><a href="/modules/[^"]+">([^<]+)</a></h2>', page)
    assert len(titles) == 7 and titles[0] == "Why IP matters"
    assert page.count("Not read yet") == 7


def test_lesson_toc_links_point_at_headings_on_the_page(client, login, make, loaded):
    login(make.user())
    page = client.get("/modules/upov-and-plant-varieties").get_data(as_text=True)
    links = re.findall(r'<li><a href="#([^"]+)">', page)
    assert len(links) >= 4
    for anchor in links:
        assert f'id="{anchor}"' in page, anchor


def test_mark_as_read_records_once(client, login, make, loaded):
    login(make.user())
    url = "/modules/why-ip-matters"
    token = csrf_token(client, url)
    for _ in range(2):  # a double click is harmless
        assert client.post(url + "/read", data={"csrf_token": token}).status_code == 302
    assert "You marked this lesson as read." in client.get(url).get_data(as_text=True)
    assert client.get("/modules").get_data(as_text=True).count("Not read yet") == 6


def test_unknown_module_is_404(client, login, make, loaded):
    login(make.user())
    assert client.get("/modules/nope").status_code == 404


ZH = {"Accept-Language": "zh-CN"}


def test_a_chinese_reader_gets_the_chinese_lessons_with_their_anchors(client, login, make, loaded):
    login(make.user())
    listing = client.get("/modules", headers=ZH).get_data(as_text=True)
    titles = re.findall(r'<h2><a href="/modules/[^"]+">([^<]+)</a></h2>', listing)
    assert len(titles) == 7 and all(re.search(r"[\u4e00-\u9fff]", t) for t in titles)
    page = client.get("/modules/upov-and-plant-varieties", headers=ZH).get_data(as_text=True)
    assert '<html lang="zh-Hans">' in page and "国际植物新品种保护联盟" in page
    links = re.findall(r'<li><a href="#([^"]+)">', page)
    assert len(links) >= 4
    for anchor in links:
        assert f'id="{anchor}"' in page, anchor
    assert "not translated" not in page


def test_the_glossary_is_shown_in_both_languages(client, login, make, loaded):
    login(make.user())
    for headers in ({}, ZH):
        page = client.get("/modules/treaties-in-the-making", headers=headers).get_data(as_text=True)
        assert '<td lang="en" translate="no">' in page and '<td lang="zh-Hans"' in page
        assert "《视听表演北京条约》" in page and "Beijing Treaty" in page


def test_a_lesson_without_a_translation_falls_back_to_english_with_a_notice(
    client, login, make, tmp_path
):
    import shutil

    root = tmp_path / "quizzes"
    shutil.copytree(CONTENT_DIR, root)
    (root / "01-why-ip-matters" / "lesson.zh-Hans.md").unlink()
    (root / "01-why-ip-matters" / "questions.zh-Hans.gift").unlink()  # it links to it
    load_content(root)
    db.session.commit()
    login(make.user())
    page = client.get("/modules/why-ip-matters", headers=ZH).get_data(as_text=True)
    assert '<article class="lesson" lang="en">' in page
    assert "<h1>Why IP matters</h1>" in page
    listing = client.get("/modules", headers=ZH).get_data(as_text=True)
    assert '<li class="card module-card" lang="en">' in listing
