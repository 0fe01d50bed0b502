"""One review question: shown as in a quiz (the current version, in the student's language
where it is translated, never the key), then checked at once: the mark, the feedback, the
right answer, and the card moved on by FSRS (camp.review.scheduling).

A card may be answered only by its student, only while it is due today (or new), and only
when its question is not held back (camp.review.holding): a second press, or an old tab,
is refused rather than counted twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from markupsafe import Markup
from sqlalchemy import func, select

from camp import caches
from camp.accounts.identity import CampUser
from camp.bank.models import QuestionVersion
from camp.bank.presentation import outcome_html, rendered_for, student_question_view
from camp.bank.question_types import InvalidResponse, get_type
from camp.bank.types.base import FormFields, Posted
from camp.bank.version_cache import VersionData, get_versions, versions_in
from camp.extensions import db
from camp.locales import HTML_LANG
from camp.quizzes.answers import is_answered
from camp.review.holding import held_questions
from camp.review.models import ReviewCard
from camp.review.queue import day_bounds
from camp.review.scheduling import record_review
from camp.review.settings import Settings

FIELD = "answer"
MAX_DURATION_MS = 3_600_000  # a tab left open for hours says nothing about the question
MAX_RENDERED = 5_000

# A question as first asked (no answer yet) is the same HTML for every student: kept per
# version, its language and the reader's (whose labels it holds), as a quiz page keeps its
# questions (camp.quizzes.page_fragments). Versions never change.
_rendered: dict[tuple[str, int, str], Markup] = {}
caches.register_mapping("review.practice._rendered", _rendered)


@dataclass(frozen=True)
class Asked:
    card_id: int
    version: VersionData
    html: Markup  # the question as templates/_macros/question.html renders it


@dataclass(frozen=True)
class Checked:
    asked: Asked
    correct: bool
    fraction: float
    feedback: list[Markup]
    general_feedback: Markup | None
    right_answer: str | None
    outcome_feedback: Markup | None = None  # by the result, as Moodle's combined feedback


def _current_version(question_id: int, locale: str, version_id: int | None = None) -> VersionData:
    """The question's current version in `locale` where translated; `version_id` when the
    caller read it already."""
    if version_id is None:
        version_id = db.session.scalar(
            select(func.max(QuestionVersion.id)).where(QuestionVersion.question_id == question_id)
        )
    assert version_id is not None  # a question always has a version
    versions = versions_in(get_versions([version_id]), locale)
    return versions[version_id]


def ask(
    card_id: int,
    question_id: int,
    locale: str,
    response: dict | None = None,
    *,
    version_id: int | None = None,
    disabled: bool = False,
) -> Asked:
    """The card's question as the student sees it: unanswered, or showing `response`
    (`disabled`: checked, no longer an input)."""
    version = _current_version(question_id, locale, version_id)
    key = (locale, version.id, version.locale)
    fresh = response is None and not disabled
    if fresh and key in _rendered:
        return Asked(card_id, version, _rendered[key])
    view = student_question_view(version, number=1, response=response, field_name=FIELD)
    view["lang"] = HTML_LANG[version.locale]
    view["untranslated"] = version.locale != locale
    macros = current_app.jinja_env.get_template("_macros/question.html").module
    macro = vars(macros)["question"]  # a template module's names are its attributes
    html = Markup(macro(view, disabled=disabled))  # noqa: S704 (autoescaped macro)
    if fresh:
        if len(_rendered) >= MAX_RENDERED:
            _rendered.clear()
        _rendered[key] = html
    return Asked(card_id, version, html)


def answer(
    student: CampUser,
    card_id: int,
    fields: FormFields,
    *,
    hard: bool,
    duration_ms: int | None,
    now: datetime,
    settings: Settings,
    locale: str,
) -> Checked | None:
    """Check the answer and move the card on; None when this card may not be answered
    now (not theirs, not due, already answered, or held back)."""
    card = db.session.get(ReviewCard, card_id)
    if card is None or card.user_id != student.id:
        return None
    _start, end = day_bounds(now)
    if card.due >= end or card.question_id in held_questions(student, now):
        return None
    version = _current_version(card.question_id, locale)
    kind = get_type(version.type)
    posted = Posted(fields, FIELD, _index_of)
    try:
        response = kind.normalise_response(version.spec, kind.read_form(version.spec, posted))
    except InvalidResponse:
        response = {}
    fraction = kind.grade(version.spec, response) or 0.0
    correct = fraction >= 0.999
    if duration_ms is not None:
        duration_ms = max(0, min(duration_ms, MAX_DURATION_MS))
    log = record_review(
        card,
        correct=correct,
        hard=hard,
        duration_ms=duration_ms,
        now=now,
        target_retention=settings.target_retention,
        version_id=version.id if version.locale == "en" else None,
    )
    db.session.add(log)
    db.session.flush()
    asked = ask(card.id, card.question_id, locale, response, version_id=version.id, disabled=True)
    general = version.general_feedback.strip()
    return Checked(
        asked=asked,
        correct=correct,
        fraction=fraction,
        feedback=[rendered_for(version, text) for text in kind.feedback(version.spec, response)],
        general_feedback=rendered_for(version, general) if general else None,
        right_answer=kind.correct_answer_text(version.spec) or None,
        outcome_feedback=outcome_html(version, _outcome(fraction, response, kind.gradable)),
    )


def _outcome(fraction: float, response: dict, gradable: bool) -> str | None:
    """The result's outcome, as a quiz review names it (for the feedback by outcome)."""
    if not gradable:
        return None
    if not is_answered(response):
        return "unanswered"
    return "correct" if fraction >= 0.999 else "partial" if fraction > 0 else "incorrect"


def _index_of(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return -1
