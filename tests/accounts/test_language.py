"""Choosing the interface language: Accept-Language decides a first visit, the header's
switcher is remembered in a cookie for visitors and in the user's row once logged in (so
another browser opens in it too), CAMP_DEFAULT_LOCALE is the fallback, and <html lang>
follows the choice."""

from __future__ import annotations

import re

import pytest

from camp.accounts.models import User
from camp.config import ConfigError
from camp.extensions import db
from camp.i18n import COOKIE
from tests.accounts.test_views import csrf_token
from tests.conftest import make_app


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.get_data(as_text=True)).group(1)


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh-Hans"),
        ("zh-TW", "zh-Hans"),
        ("en-GB,en;q=0.9", "en"),
        ("fr-FR,fr;q=0.9,zh;q=0.5", "zh-Hans"),  # the first language Camp speaks
        ("fr-FR", "en"),  # none: the default
    ],
)
def test_accept_language_decides_the_first_visit(client, header, lang):
    assert html_lang(client.get("/login", headers={"Accept-Language": header})) == lang


def test_the_default_locale_is_a_setting(monkeypatch, tmp_path):
    monkeypatch.setenv("CAMP_DEFAULT_LOCALE", "zh-CN")
    app = make_app("sqlite://", tmp_path)
    assert app.config["CAMP_DEFAULT_LOCALE"] == "zh_Hans"
    monkeypatch.setenv("CAMP_DEFAULT_LOCALE", "klingon")
    with pytest.raises(ConfigError, match="CAMP_DEFAULT_LOCALE"):
        make_app("sqlite://", tmp_path)


def test_a_bad_time_zone_is_refused_with_the_setting_named(monkeypatch, tmp_path):
    monkeypatch.setenv("CAMP_TIMEZONE", "Mars/Olympus")
    with pytest.raises(ConfigError, match="CAMP_TIMEZONE"):
        make_app("sqlite://", tmp_path)
    monkeypatch.setenv("CAMP_TIMEZONE", "Asia/Shanghai")
    assert make_app("sqlite://", tmp_path).config["CAMP_TIMEZONE"] == "Asia/Shanghai"


def switch(client, locale: str, page: str = "/login"):
    token = csrf_token(client, page)
    return client.post(
        "/language",
        data={"locale": locale, "csrf_token": token},
        headers={"Referer": f"http://localhost{page}"},
    )


def test_a_visitor_switches_in_the_header_and_the_cookie_keeps_it(client):
    page = client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'name="locale" value="zh_Hans"' in page and 'lang="zh-Hans">简体中文' in page
    response = switch(client, "zh_Hans")
    assert response.status_code == 302 and response.location.endswith("/login")
    assert client.get_cookie(COOKIE).value == "zh_Hans"
    later = client.get("/login", headers={"Accept-Language": "en"})
    assert html_lang(later) == "zh-Hans"
    assert 'name="locale" value="en"' in later.get_data(as_text=True)  # the way back


def test_a_logged_in_choice_is_kept_in_the_users_row_for_other_browsers(app, client, login, make):
    user = make.user()
    login(user)
    switch(client, "zh_Hans", "/account")
    assert db.session.get(User, user.id).locale == "zh_Hans"
    elsewhere = app.test_client()  # another browser: no cookie, English Accept-Language
    with elsewhere.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    assert html_lang(elsewhere.get("/account", headers={"Accept-Language": "en"})) == "zh-Hans"


def test_the_account_page_offers_the_language_too(client, login, make):
    login(make.user())
    page = client.get("/account").get_data(as_text=True)
    assert '<select id="locale" name="locale"' in page
    assert '<option selected value="en">English</option>' in page or ('value="en" selected' in page)


@pytest.mark.parametrize("locale", ["fr", "", "zh_Hans<script>"])
def test_an_unknown_language_changes_nothing(client, locale):
    switch(client, locale)
    assert client.get_cookie(COOKIE) is None
    assert html_lang(client.get("/login", headers={"Accept-Language": "en"})) == "en"


def test_the_switcher_never_sends_anyone_off_the_site(client):
    token = csrf_token(client, "/login")
    response = client.post(
        "/language",
        data={"locale": "zh_Hans", "csrf_token": token},
        headers={"Referer": "https://evil.example/phish"},
    )
    assert response.status_code == 302 and response.location == "/"


def test_the_switcher_needs_the_csrf_token(client):
    response = client.post("/language", data={"locale": "zh_Hans"})
    assert response.status_code == 400
    assert client.get_cookie(COOKIE) is None


def test_the_cached_header_never_crosses_languages(client):
    """One browser (one session token, so one header key but for the language) asks in
    Chinese, then in English, then in Chinese again."""
    for header, wanted, unwanted in [
        ("zh-CN", ">登录</a>", ">Log in</a>"),
        ("en", ">Log in</a>", ">登录</a>"),
        ("zh-CN", ">登录</a>", ">Log in</a>"),
    ]:
        page = client.get("/login", headers={"Accept-Language": header}).get_data(as_text=True)
        assert wanted in page and unwanted not in page, header
