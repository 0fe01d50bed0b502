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
