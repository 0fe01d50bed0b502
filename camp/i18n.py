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

import functools
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

from babel.support import NullTranslations
from flask import Flask, current_app, g, has_request_context, request
from flask.globals import _cv_request
from flask_babel import Babel, get_translations  # type: ignore[import-untyped]
from markupsafe import Markup
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header
from werkzeug.wrappers import Response

from camp import caches
from camp.accounts.current import logged_in_user
from camp.locales import DEFAULT_LOCALE, HTML_LANG, known_locale

T = TypeVar("T")
COOKIE = "camp_locale"
COOKIE_MAX_AGE = 365 * 24 * 3600
TRANSLATIONS = Path(__file__).parent / "translations"


def _first_known(tags: Iterable[str]) -> str | None:
    for tag in tags:
        locale = known_locale(tag)
        if locale is not None:
            return locale
    return None


@functools.lru_cache(maxsize=256)
def _accepted_locale(header: str) -> str | None:
    """The first language of an Accept-Language header that Camp speaks, by quality. A
    room's phones send a handful of different headers: each is parsed once."""
    if not header:
        return None
    return _first_known(tag for tag, _quality in LanguageAccept(parse_accept_header(header)))


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
        or _accepted_locale(request.headers.get("Accept-Language", ""))
        or known_locale(current_app.config["CAMP_DEFAULT_LOCALE"])
        or DEFAULT_LOCALE
    )
    g.camp_locale = locale
    return locale


def choose_timezone() -> str:
    return str(current_app.config["CAMP_TIMEZONE"])


def current_locale() -> str:
    """This request's locale as Camp names it ("en" or "zh_Hans"), found once a request."""
    return _once_a_request(_request_locale, choose_locale)


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


_UTC_NAMES = frozenset({"UTC", "Etc/UTC", "Etc/UCT", "Etc/Zulu", "Etc/GMT", "GMT", "Zulu"})


def camp_zone() -> ZoneInfo:
    """The zone the camp's times are shown and typed in (CAMP_TIMEZONE)."""
    return ZoneInfo(current_app.config["CAMP_TIMEZONE"])


def zone_label() -> str:
    """The camp's zone as a form label names it: "UTC", "Asia/Shanghai"."""
    name = str(current_app.config["CAMP_TIMEZONE"])
    return "UTC" if name in _UTC_NAMES else name


def to_camp_zone(moment: datetime | None) -> datetime | None:
    """A stored (UTC) moment as the camp's wall-clock time, for a datetime-local input."""
    if moment is None:
        return None
    return moment.astimezone(camp_zone()).replace(tzinfo=None)


def from_camp_zone(wall_clock: datetime | None) -> datetime | None:
    """A time typed in the camp's zone (a datetime-local input) as a UTC moment."""
    if wall_clock is None:
        return None
    return wall_clock.replace(tzinfo=camp_zone()).astimezone(UTC)


# This request's catalogue, found on the first message a request translates. Why not
# Flask-Babel's own lookup: it walks `g` through Werkzeug's proxies three times a message,
# and a question page translates twenty: it cost the page a third of its speed.
# Each value is kept with the request context it was found in (Flask's own context
# variable, read without a proxy), so no request, test context or thread reuse sees
# another's.
_request_translations: ContextVar[tuple[object, NullTranslations] | None] = ContextVar(
    "camp_translations", default=None
)
_request_locale: ContextVar[tuple[object, str] | None] = ContextVar("camp_locale", default=None)


def _once_a_request(memo: ContextVar[tuple[object, T] | None], find: Callable[[], T]) -> T:
    """`find()`'s value, found once for the request context it was found in."""
    request_now = _cv_request.get(None)
    found = memo.get()
    if found is None or found[0] is not request_now:
        found = (request_now, find())
        memo.set(found)
    return found[1]


def translations() -> NullTranslations:
    """The catalogue of this request's locale (Flask-Babel's, looked up once a request)."""
    return _once_a_request(_request_translations, get_translations)


def template_gettext(message: str, /, **values: object) -> Markup:
    translated = Markup(translations().ugettext(message))  # noqa: S704 (the catalogue's)
    return translated % values if values else translated


def template_ngettext(singular: str, plural: str, num: int, /, **values: object) -> Markup:
    translated = Markup(translations().ungettext(singular, plural, num))  # noqa: S704
    return translated % {"num": num, **values}


def _forget_translations(*_: object) -> None:
    """At the end of a request: let go of what it found (the next finds its own anyway)."""
    _request_translations.set(None)
    _request_locale.set(None)


def register_i18n(app: Flask) -> None:
    Babel(
        app,
        locale_selector=choose_locale,
        timezone_selector=choose_timezone,
        default_translation_directories=str(TRANSLATIONS),
    )
    app.teardown_request(_forget_translations)
    # The same as Jinja's newstyle `_`/`gettext`/`ngettext` that Flask-Babel installs, in an
    # autoescaping template (the message is markup, its values are escaped), as plain
    # functions: Jinja's wrappers inspect each call, a tenth of a millisecond a page.
    app.jinja_env.globals.update(_=template_gettext, gettext=template_gettext)
    app.jinja_env.globals["ngettext"] = template_ngettext
    app.jinja_env.globals["html_lang"] = html_lang
    app.jinja_env.globals["zone_label"] = zone_label


caches.register_function("accepted languages", _accepted_locale)
