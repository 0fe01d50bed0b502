"""The interface's language and time zone: Flask-Babel, and which locale a request gets.

A request's locale is, in order: the logged-in user's choice (`users.locale`), the
visitor's cookie (`camp_locale`, set by the language switcher), the first language of
`Accept-Language` that Camp speaks, then `CAMP_DEFAULT_LOCALE`. Any Chinese (zh, zh-CN,
zh-Hans, zh-TW...) gets the one Chinese Camp has, Simplified. Times are shown in
`CAMP_TIMEZONE` (the machine's zone unless set).

Catalogues live in camp/translations (`pybabel extract / update / compile`, see the
README's Development section); strings are marked with `gettext`/`_` in Python and
templates, `lazy_gettext` where a string is built at import time (forms, navigation).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from flask import Flask, current_app, g, has_request_context, request
from flask_babel import Babel, get_locale  # type: ignore[import-untyped]
from werkzeug.wrappers import Response

from camp.accounts.current import logged_in_user
from camp.locales import DEFAULT_LOCALE, HTML_LANG, known_locale

COOKIE = "camp_locale"
COOKIE_MAX_AGE = 365 * 24 * 3600
TRANSLATIONS = Path(__file__).parent / "translations"


def _first_known(tags: Iterable[str]) -> str | None:
    for tag in tags:
        locale = known_locale(tag)
        if locale is not None:
            return locale
    return None


def choose_locale() -> str:
    """The locale of this request (see the module's docstring for the order)."""
    if not has_request_context():
        return current_app.config["CAMP_DEFAULT_LOCALE"]
    cached = g.get("camp_locale")
    if cached is not None:
        return str(cached)
    user = logged_in_user()
    locale = (
        known_locale(user.locale if user is not None else None)
        or known_locale(request.cookies.get(COOKIE))
        or _first_known(tag for tag, _quality in request.accept_languages)
        or current_app.config["CAMP_DEFAULT_LOCALE"]
    )
    g.camp_locale = locale
    return locale


def choose_timezone() -> str:
    return str(current_app.config["CAMP_TIMEZONE"])


def current_locale() -> str:
    """This request's locale as Camp names it ("en" or "zh_Hans")."""
    return known_locale(str(get_locale())) or DEFAULT_LOCALE


def html_lang() -> str:
    return HTML_LANG[current_locale()]


def remember_locale(response: Response, locale: str) -> Response:
    """Set the visitor's language cookie on `response` (a year; not readable by scripts)."""
    response.set_cookie(
        COOKIE,
        locale,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
    )
    return response


def register_i18n(app: Flask) -> None:
    Babel(
        app,
        locale_selector=choose_locale,
        timezone_selector=choose_timezone,
        default_translation_directories=str(TRANSLATIONS),
    )
    app.jinja_env.globals["html_lang"] = html_lang
