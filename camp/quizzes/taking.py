"""What the quiz pages show and read, without requests: question views with opaque
per-attempt option values, posted form fields back to canonical responses, and the
review of a finished attempt as far as the quiz's review policy allows.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from flask_babel import gettext as _  # type: ignore[import-untyped]
from markupsafe import Markup

from camp.bank.presentation import outcome_html, rendered_for, student_question_view
from camp.bank.question_types import InvalidResponse, get_type
from camp.bank.types.base import NOT_AN_OPTION, FormFields, Posted
from camp.locales import HTML_LANG
from camp.quizzes import policy
from camp.quizzes.answers import is_answered
from camp.quizzes.errors import BadResponse
from camp.quizzes.grading import FULL_MARKS_COMMENT
from camp.quizzes.interfaces import AttemptLike, QuizLike
from camp.quizzes.models import Layout
from camp.quizzes.paper import PaperRow, option_token


def field_name(position: int) -> str:
    return f"q{position}"


def _tokens(attempt: AttemptLike, pq: PaperRow) -> dict[int, str]:
    count = get_type(pq.version.type).shufflable_count(pq.version.spec)
    return {i: option_token(attempt.seed, pq.slot.position, i) for i in range(count)}


def question_view(attempt: AttemptLike, pq: PaperRow, *, number: int | None = None) -> dict:
    """The student's view of one question of this attempt, with their saved answer, the
    language of its text (`lang`) and whether it is shown in English because it is not
    translated into the attempt's language yet (`untranslated`)."""
    tokens = _tokens(attempt, pq)
    view = student_question_view(
        pq.version,
        number=number or pq.slot.position,
        order=pq.slot.option_order,
        value_for=lambda index: tokens.get(index, ""),
        response=pq.slot.response,
        field_name=field_name(pq.slot.position),
    )
    view["lang"] = HTML_LANG[pq.version.locale]
    view["untranslated"] = pq.version.locale != attempt.locale
    return view


@dataclass(frozen=True)
class Page:
    number: int
    count: int
    questions: list[PaperRow]

    @property
    def positions(self) -> list[int]:
        return [pq.slot.position for pq in self.questions]


def page_of(quiz: QuizLike, paper: Sequence[PaperRow], number: int) -> Page:
    if quiz.layout == Layout.ALL_ON_ONE or not paper:
        return Page(1, 1, list(paper))
    number = min(max(number, 1), len(paper))
    return Page(number, len(paper), [paper[number - 1]])


def _index(token_to_index: Mapping[str, int], token: str) -> int:
    if token not in token_to_index:
        raise InvalidResponse(NOT_AN_OPTION)
    return token_to_index[token]


def responses_from_form(
    attempt: AttemptLike, questions: Sequence[PaperRow], form: FormFields
) -> dict[int, dict[str, Any]]:
    """Turn posted fields (`form` is a MultiDict) into canonical responses by position; each
    question's type reads its own fields (`QuestionType.read_form`)."""
    responses: dict[int, dict[str, Any]] = {}
    for pq in questions:
        lookup = {token: index for index, token in _tokens(attempt, pq).items()}
        posted = Posted(form, field_name(pq.slot.position), functools.partial(_index, lookup))
        try:
            responses[pq.slot.position] = get_type(pq.version.type).read_form(
                pq.version.spec, posted
            )
        except InvalidResponse as error:
            raise BadResponse(str(error)) from None
    return responses


class NavItem(NamedTuple):
    """One question's link in the question navigation. A named tuple: a page builds ten
    and hashes them (its rendered navigation is remembered by them), and a tuple does
    both in C."""

    position: int
    page: int
    answered: bool
    current: bool


def navigation(quiz: QuizLike, paper: Sequence[PaperRow], page: Page) -> list[NavItem]:
    one_per_page = quiz.layout != Layout.ALL_ON_ONE
    current = set(page.positions)
    return [
        NavItem(
            pq.slot.position,
            index + 1 if one_per_page else 1,
            is_answered(pq.slot.response),
            pq.slot.position in current,
        )
        for index, pq in enumerate(paper)
    ]


def seconds_left(attempt: AttemptLike, now: datetime) -> int | None:
    if attempt.deadline is None:
        return None
    return max(int((attempt.deadline - now).total_seconds()), 0)


@dataclass(frozen=True)
class ReviewedQuestion:
    number: int
    view: dict
    status: str | None  # "correct" | "partial" | "incorrect" | "unanswered" | "waiting"
    fraction: float | None
    feedback: list[Markup]
    general_feedback: Markup | None
    right_answer: str | None
    comment: str | None
    outcome_feedback: Markup | None = None  # by the result, as Moodle's combined feedback


def _status(fraction: float | None, answered: bool, gradable: bool) -> str | None:
    if not gradable:
        return None
    if fraction is None:
        return "waiting"
    if not answered:
        return "unanswered"
    if fraction >= 0.999:
        return "correct"
    return "partial" if fraction > 0 else "incorrect"


def _shown_comment(stored: str | None) -> str | None:
    """An organiser's comment as the review shows it: the one Camp itself stores when it
    gives everyone full marks is shown in the reader's language."""
    if stored == FULL_MARKS_COMMENT:
        return _("Full marks given to everyone for this question.")
    return stored


def review(
    attempt: AttemptLike,
    paper: Sequence[PaperRow],
    seen: policy.ReviewVisibility,
    *,
    lesson_url: str | None = None,
) -> list[ReviewedQuestion]:
    """Each question as the review policy allows: nothing more reaches the page."""
    reviewed = []
    for pq in paper:
        version, slot = pq.version, pq.slot
        kind = get_type(version.type)
        view = question_view(attempt, pq)
        if not seen.responses:
            blank = slot._replace(response=None)  # the response stays hidden
            view = question_view(attempt, PaperRow(slot=blank, version=version))
        feedback: list[Markup] = []
        general = outcome = None
        status = _status(slot.fraction, slot.answered, kind.gradable)
        if seen.feedback:
            outcome = outcome_html(version, status)
            feedback = [
                rendered_for(version, text)
                for text in kind.feedback(version.spec, slot.response or {})
            ]
            if version.general_feedback.strip():
                text = version.general_feedback
                if lesson_url:
                    text = text.replace("](#", f"]({lesson_url}#")
                general = rendered_for(version, text, "markdown" if "](" in text else None)
        reviewed.append(
            ReviewedQuestion(
                number=slot.position,
                view=view,
                status=status if seen.marks else None,
                fraction=slot.fraction if seen.marks else None,
                feedback=feedback,
                general_feedback=general,
                right_answer=(kind.correct_answer_text(version.spec) or None)
                if seen.answers
                else None,
                comment=_shown_comment(slot.manual_comment) if seen.feedback else None,
                outcome_feedback=outcome,
            )
        )
    return reviewed


def target_page(layout: str, go: str, current: int, questions: int) -> int | None:
    """The page a button of an attempt page leads to once its answers are saved (`go` is
    the button, `current` the page it was on, `questions` on the paper); None for the
    summary."""
    if go == "summary":
        return None
    count = 1 if layout == Layout.ALL_ON_ONE else questions
    current = min(max(current, 1), count)
    target = current
    if go == "next":
        target = current + 1
    elif go == "prev":
        target = current - 1
    elif go.startswith("page-") and go[5:].isdigit():
        target = int(go[5:])
    if target > count:
        return None
    return max(target, 1)
