"""The student's review (`/review`): one question at a time, checked at once with feedback,
the next when they are ready. Works without JavaScript: the page records when the question
was shown, the answer posts it back, and the time taken is the difference.

A session is the questions answered since the student last started one, today: after the
cohort's session length the page says so and offers to keep going. "Come back tomorrow"
says how many will be due then.
"""

from __future__ import annotations

import time
from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _  # type: ignore[import-untyped]
from flask_login import login_required
from werkzeug.wrappers import Response as BaseResponse

from camp.accounts import session_user
from camp.accounts.current import current_user
from camp.db import utcnow
from camp.i18n import camp_zone, current_locale
from camp.review import practice
from camp.review.holding import held_questions
from camp.review.queue import day_bounds, next_card, waiting
from camp.review.settings import read_user_and_settings, settings_for_student

bp = Blueprint("student", __name__)
# The review page reads the logged-in user and their review settings in one statement.
session_user.read_user_with("review.student.review", read_user_and_settings)

_SESSION_KEY = "review_session"


def _today() -> str:
    """The camp's date today (CAMP_TIMEZONE), as the session counter keeps it."""
    return utcnow().astimezone(camp_zone()).date().isoformat()


def _done_today() -> int:
    """Questions answered in this review session (kept in the login session, per day)."""
    state = session.get(_SESSION_KEY)
    if not isinstance(state, dict) or state.get("day") != _today():
        return 0
    done = state.get("done")
    return done if isinstance(done, int) else 0


def _count_one() -> None:
    session[_SESSION_KEY] = {"day": _today(), "done": _done_today() + 1}


@bp.get("/review")
@login_required
def review() -> str:
    now = utcnow()
    settings = settings_for_student(current_user.id)
    if settings is None:
        return render_template("review/review.html", stage="off")
    held = held_questions(current_user, now)
    if _done_today() >= settings.session_length:
        left = waiting(current_user.id, now, held)
        return render_template("review/review.html", stage="finished", left=left)
    card = next_card(current_user, now, settings, held)
    if card is None:
        _start, end = day_bounds(now)
        tomorrow = waiting(current_user.id, end + timedelta(hours=1), held)
        return render_template("review/review.html", stage="done", tomorrow=tomorrow)
    asked = practice.ask(card.id, card.question_id, current_locale(), version_id=card.version_id)
    shown_at = int(time.time() * 1000)
    return render_template("review/review.html", stage="question", asked=asked, shown_at=shown_at)


@bp.post("/review")
@login_required
def answer() -> BaseResponse | str:
    now = utcnow()
    card_id = request.form.get("card", type=int)
    shown_at = request.form.get("shown_at", type=int)
    if card_id is None:
        abort(400)
    settings = settings_for_student(current_user.id)
    if settings is None:
        abort(404)
    duration = int(time.time() * 1000) - shown_at if shown_at else None
    checked = practice.answer(
        current_user,
        card_id,
        request.form,
        hard=request.form.get("hard") == "1",
        duration_ms=duration,
        now=now,
        settings=settings,
        locale=current_locale(),
    )
    if checked is None:
        flash(_("That question was answered already. Here is the next one."), "info")
        return redirect(url_for(".review"))
    _count_one()
    return render_template("review/review.html", stage="checked", checked=checked)


@bp.post("/review/more")
@login_required
def keep_going() -> BaseResponse:
    session.pop(_SESSION_KEY, None)
    return redirect(url_for(".review"))
