"""What every template may use: the site header with the navigation for the user's role,
and small filters."""

from __future__ import annotations

import functools
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from babel import Locale
from babel.dates import format_datetime as babel_datetime
from babel.dates import format_skeleton
from babel.numbers import format_decimal as babel_decimal
from babel.numbers import format_percent as babel_percent
from flask import Flask, current_app, request, url_for
from flask_babel import LazyString, get_locale, get_timezone, gettext  # type: ignore[import-untyped]
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from camp import caches
from camp.accounts.current import logged_in_user
from camp.accounts.models import Role
from camp.db import utcnow
from camp.forms import csrf_input
from camp.i18n import current_locale
from camp.locales import DEFAULT_LOCALE, HTML_LANG, LANGUAGE_NAMES, LOCALES

if TYPE_CHECKING:
    from camp.lessons.services import TranslatedTitles

NavItem = tuple[str, LazyString]  # (endpoint, label, translated when shown)

# The main navigation of each role, in order: the one place a page is added to it.
# Admins see the organisers' items, then their own.
NAVIGATION: dict[str, tuple[NavItem, ...]] = {
    Role.STUDENT: (
        ("lessons.modules", _l("Modules")),
        ("reports.progress", _l("My progress")),
        ("review.student.review", _l("Review")),
        ("live.phone.join_page", _l("Live session")),
    ),
    Role.ORGANISER: (
        ("accounts.organiser.cohorts", _l("Cohorts")),
        ("lessons.modules", _l("Modules")),
        ("authoring.bank.browse", _l("Question bank")),
        ("authoring.quizzes.quizzes", _l("Quizzes")),
        ("authoring.grading.grading_queue", _l("Grading")),
        ("live.organiser.sessions", _l("Live sessions")),
    ),
    Role.ADMIN: (
        ("accounts.admin.users", _l("Users")),
        ("accounts.admin.audit_log", _l("Audit log")),
    ),
}
# What the header's badge calls each role.
ROLE_NAMES: dict[str, LazyString] = {
    Role.STUDENT: _l("student"),
    Role.ORGANISER: _l("organiser"),
    Role.ADMIN: _l("admin"),
}


def navigation_for(role: str | None) -> list[NavItem]:
    """The main navigation of a role (None: nobody is logged in)."""
    if role == Role.ADMIN:
        return [*NAVIGATION[Role.ORGANISER], *NAVIGATION[Role.ADMIN]]
    return list(NAVIGATION.get(role or "", ()))


def site_header() -> Markup:
    """The header of every page: brand, navigation, who is logged in, Log out.

    Why remembered: it was a tenth of a question page (five URLs built, the user read
    several times), yet it changes only with what is in its key, so it is rendered once
    per page, user name, role and session token, in each process."""
    user = logged_in_user()  # one lookup, not one per attribute
    locale = current_locale()
    if user is None:
        return _site_header(request.script_root, request.endpoint, locale, None, None, csrf_input())
    return _site_header(
        request.script_root,
        request.endpoint,
        locale,
        user.display_name,
        str(user.role),
        csrf_input(),
        _review_due(user.id, str(user.role), request.endpoint),
    )


def _review_due(user_id: int, role: str, endpoint: str | None) -> int | None:
    """A student's review questions due today, beside Review in the navigation (one
    COUNT); not counted on the pages of a quiz being taken, the busiest of all."""
    if role != Role.STUDENT or (endpoint or "").startswith("quizzes."):
        return None
    from camp.review.queue import due_count  # the review imports templating's helpers

    return due_count(user_id, utcnow())


@functools.lru_cache(maxsize=4096)
def _site_header(
    script_root: str,
    endpoint: str | None,
    locale: str,
    display_name: str | None,
    role: str | None,
    token_input: Markup,
    review_due: int | None = None,
) -> Markup:
    """The header for one page, locale (its text is translated), user and token."""
    template = current_app.jinja_env.get_template("_site_header.html")
    html = template.render(
        nav_items=navigation_for(role),
        current_endpoint=endpoint,
        locale=locale,
        other_locales=[code for code in LOCALES if code != locale],
        display_name=display_name,
        role=role,
        role_name=ROLE_NAMES.get(role or "", role),
        csrf_input=token_input,
        review_due=review_due,
    )
    return Markup(html.strip())  # noqa: S704  (autoescaped template output)


def format_datetime(value: datetime | None, zone: bool = False) -> str:
    """A moment as this request's language writes it ("Dec 4, 2026, 07:44", "2026年12月4日
    07:44"), in the camp's time zone (CAMP_TIMEZONE); `zone=True` names the zone too, as a
    deadline must ("... (China Standard Time)")."""
    if value is None:
        return ""
    locale = get_locale() or Locale.parse(DEFAULT_LOCALE)
    tz = get_timezone()
    date = format_skeleton("yMMMd", value, tzinfo=tz, locale=locale)
    time = format_skeleton("Hm", value, tzinfo=tz, locale=locale)
    text = str(locale.datetime_formats["medium"]).format(time, date)
    if zone:
        zone_name = babel_datetime(value, "zzzz", tzinfo=tz, locale=locale)
        text = gettext("%(moment)s (%(zone)s)", moment=text, zone=zone_name)
    return text


def format_percent(value: float | None, digits: int = 0) -> str:
    """A 0..1 fraction as a percentage in this request's language ("85%"), rounded half up
    everywhere, so a score of 12.5% reads the same on the review, the progress page and the
    reports; an en dash for no value."""
    if value is None:
        return "\u2013"
    return _percent_text(Decimal(str(value * 100)), digits)


def format_score(value: float | None, digits: int = 1) -> str:
    """A score already in percent (0..100) as `format_percent` writes it ("47.5%")."""
    if value is None:
        return "\u2013"
    return _percent_text(Decimal(str(value)), digits)


def _percent_text(percent: Decimal, digits: int) -> str:
    exact = percent.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    pattern = "#,##0%" if digits == 0 else "#,##0." + "0" * digits + "%"
    return _babel_number(exact / 100, pattern, get_locale() or Locale.parse(DEFAULT_LOCALE))


def format_number(value: float | None, digits: int = 2) -> str:
    """A number with exactly `digits` decimals, rounded half up, as this request's language
    writes it ("0.45", "-1.20"); an en dash for no value."""
    if value is None:
        return "\u2013"
    exact = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    pattern = "#,##0" if digits == 0 else "#,##0." + "0" * digits
    return _babel_number(exact, pattern, get_locale() or Locale.parse(DEFAULT_LOCALE))


@functools.lru_cache(maxsize=8192)
def _babel_number(exact: Decimal, pattern: str, locale: Locale) -> str:
    """Babel's text for a rounded number (15 µs each; a report of a thousand students
    writes a few hundred different ones thousands of times). A pattern ending in % is a
    percentage of `exact` as a fraction."""
    if pattern.endswith("%"):
        return babel_percent(exact, pattern, locale=locale, decimal_quantization=False)
    return babel_decimal(exact, pattern, locale=locale, decimal_quantization=False)


def _titles() -> TranslatedTitles:
    from camp.lessons.services import translated_titles

    return translated_titles(current_locale())


def quiz_title(quiz: Any) -> str:
    """A quiz's title in this request's language: a module quiz's from the module's
    translation, any other quiz's as its organiser wrote it."""
    return str(_titles().quizzes.get(quiz.id, quiz.title))


def module_title(module: Any) -> str:
    """A module's title in this request's language where the module is translated."""
    return str(_titles().modules.get(module.id, module.title))


def static_url(filename: str) -> str:
    """`url_for('static', filename=...)`, built once per file: two of them on every page
    cost 5% of a question page, and a static file's URL never changes while Camp runs."""
    return _static_url(request.script_root, filename)


@functools.lru_cache(maxsize=256)
def _static_url(script_root: str, filename: str) -> str:
    return url_for("static", filename=filename)


def register_templating(app: Flask) -> None:
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["percent"] = format_percent
    app.jinja_env.filters["score"] = format_score
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    # A function, not a context value: templates that do not show the header pay nothing.
    # It never reads the request body (a 413 page must still render).
    app.jinja_env.globals["site_header"] = site_header
    app.jinja_env.globals["static_url"] = static_url
    app.jinja_env.globals["language_names"] = LANGUAGE_NAMES
    app.jinja_env.globals["html_langs"] = HTML_LANG
    app.jinja_env.globals["current_locale"] = current_locale
    app.jinja_env.globals["quiz_title"] = quiz_title
    app.jinja_env.globals["module_title"] = module_title
    app.jinja_env.globals["csrf_input"] = csrf_input


caches.register_function("site headers", _site_header)
caches.register_function("static file URLs", _static_url)
caches.register_function("formatted numbers", _babel_number)
