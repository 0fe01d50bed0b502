"""Rendered pieces of a question page, remembered by everything they are made from.

Why: rendering a question and the question navigation was over a third of a question
page, and a page is shown again and again unchanged (after Previous, a reload, a crash,
a whole room on the same quiz). Question versions are immutable, so a question's HTML
is fixed by its version id, its place in the attempt (number, option order, the option
values derived from the attempt's seed), the student's saved response and the interface
language (its labels are translated): those are the key, and nothing else goes in. A
changed answer is a new key, never a stale page; an English page never gets a Chinese
fragment.

Each worker process keeps its own bounded memo; it is cleared when full.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from flask import current_app
from markupsafe import Markup

from camp import caches
from camp.i18n import current_locale
from camp.quizzes import taking
from camp.quizzes.interfaces import AttemptLike
from camp.quizzes.paper import PaperRow

MAX_QUESTIONS = 20_000

_questions: dict[tuple[Any, ...], Markup] = {}


def _frozen(response: dict[str, Any] | None) -> str | None:
    return None if response is None else json.dumps(response, sort_keys=True)


def question_html(attempt: AttemptLike, pq: PaperRow) -> Markup:
    """One question of the attempt as the student sees it, with their saved answer."""
    order = pq.slot.option_order
    key = (
        current_locale(),
        attempt.locale,  # the questions' language (the labels are in the reader's)
        pq.version.id,
        attempt.seed,
        pq.slot.position,
        tuple(order) if order is not None else None,
        _frozen(pq.slot.response),
    )
    html = _questions.get(key)
    if html is None:
        macros = current_app.jinja_env.get_template("_macros/question.html").module
        macro = vars(macros)["question"]  # a template module's names are its attributes
        html = Markup(macro(taking.question_view(attempt, pq)))  # noqa: S704 (autoescaped macro)
        if len(_questions) >= MAX_QUESTIONS:
            _questions.clear()
        _questions[key] = html
    return html


def navigation_html(nav: tuple[taking.NavItem, ...]) -> Markup:
    """The question navigation, rendered once per state (which questions are answered,
    which is current) and language: a whole room shares a handful of them."""
    return _navigation_html(nav, current_locale())


@functools.lru_cache(maxsize=4096)
def _navigation_html(nav: tuple[taking.NavItem, ...], locale: str) -> Markup:
    template = current_app.jinja_env.get_template("quizzes/_nav.html")
    return Markup(template.render(nav=nav))  # noqa: S704  (autoescaped template output)


def attempt_messages() -> Markup:
    """What attempt.js says (quizzes/_attempt_messages.html), rendered once per language:
    twenty messages translated on every question page cost it a quarter of its speed."""
    return _attempt_messages(current_locale())


@functools.lru_cache(maxsize=8)
def _attempt_messages(locale: str) -> Markup:
    template = current_app.jinja_env.get_template("quizzes/_attempt_messages.html")
    return Markup(template.render())  # noqa: S704  (autoescaped template output)


caches.register_mapping("rendered question fragments", _questions)
caches.register_function("attempt script messages", _attempt_messages)
caches.register_function("attempt navigation", _navigation_html)
