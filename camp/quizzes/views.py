"""Taking a quiz: the quiz page with rules and past attempts, the attempt pages (a normal
form POST saves answers, JavaScript autosaves on top), the summary, submit and review.

A quiz with cohort windows is only for the members of those cohorts (policy.may_take):
every view here refuses anyone else with a 403 that says why, even on an attempt of
theirs (one started before the rule, or before they left the cohort).
"""

from __future__ import annotations

from datetime import datetime
from typing import NoReturn

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _  # type: ignore[import-untyped]
from flask_login import login_required
from werkzeug.wrappers import Response as BaseResponse

from camp.accounts import session_user
from camp.accounts.current import current_user
from camp.accounts.models import User
from camp.accounts.permissions import can_manage_student
from camp.db import utcnow
from camp.extensions import db
from camp.forms import ActionForm, TokenForm
from camp.gain.hold import held_pre_tests
from camp.i18n import current_locale
from camp.lessons import services as lessons
from camp.lessons.models import Module
from camp.quizzes import (
    answers,
    attempts,
    grading,
    group_commit,
    page_fragments,
    policy,
    services,
    taking,
)
from camp.quizzes.attempt_rows import AttemptRow, attempt_with_paper, read_user_and_attempt
from camp.quizzes.errors import (
    AttemptFinished,
    BadResponse,
    DeadlinePassed,
    NotInCohort,
    QuizError,
)
from camp.quizzes.models import REVIEW_ITEMS, Attempt, Quiz
from camp.transactions import short_writes

bp = Blueprint("quizzes", __name__)
bp.add_app_template_global(page_fragments.attempt_messages, "attempt_messages")

# The attempt pages read the logged-in user and the attempt in one statement.
for _endpoint in ("quizzes.attempt_page", "quizzes.autosave"):
    session_user.read_user_with(_endpoint, read_user_and_attempt)


def _module_quiz(slug: str) -> tuple[Module, Quiz]:
    module = lessons.get_module(slug)
    quiz = lessons.quiz_of(module) if module else None
    if module is None or quiz is None:
        abort(404)
    return module, quiz


def _refuse_outsider(error: NotInCohort | None = None) -> NoReturn:
    """403 for someone the quiz is not for, saying why: on the error page, or as JSON for
    autosave (attempt.js shows a JSON message; an HTML page would read as "offline")."""
    message = str(error or NotInCohort())
    if request.endpoint == "quizzes.autosave":
        abort(make_response(jsonify(saved=False, message=message), 403))
    abort(403, message)


def _own_attempt(attempt_id: int) -> Attempt:
    # The quiz comes in the same query (every attempt view reads attempt.quiz), and so
    # does whether the student may take it.
    found = attempts.attempt_for_view(attempt_id)
    if found is None or found[0].user_id != current_user.id:
        abort(404)  # someone else's attempt: its existence is private
    attempt, may_take = found
    if not may_take:
        _refuse_outsider()
    return attempt


def _own_attempt_rows(attempt_id: int) -> tuple[AttemptRow, list[attempts.PaperRow]]:
    """The student's own attempt and its paper, as plain rows (camp.quizzes.attempt_rows);
    whether they may take the quiz came in the same statement."""
    found = attempt_with_paper(attempt_id)
    if found is None or found[0].user_id != current_user.id:
        abort(404)
    if not found[0].may_take:
        _refuse_outsider()
    return found


def _module_for(quiz: Quiz) -> Module | None:
    return db.session.get(Module, quiz.module_id) if quiz.module_id else None


def _review_settings(quiz: Quiz) -> dict[str, str]:
    return {item: getattr(quiz, f"review_{item}") for item in REVIEW_ITEMS}


def _visibility(quiz: Quiz, user: User) -> policy.ReviewVisibility:
    if user.id != current_user.id:
        return policy.ReviewVisibility(True, True, True, True, True)  # an organiser's review
    return _student_visibility(
        quiz, attempts.limits_for_user(quiz, user), attempts.attempts_of(user, quiz), utcnow()
    )


def _student_visibility(
    quiz: Quiz, limits: policy.Limits, past: list[Attempt], now: datetime
) -> policy.ReviewVisibility:
    """What the student may see, from the limits and attempts the caller already loaded."""
    return policy.visibility_now(
        _review_settings(quiz),
        limits,
        used=len(past),
        in_progress=any(not a.finished for a in past),
        now=now,
        held=quiz.id in held_pre_tests(current_user.id, now),
    )


@bp.get("/modules/<slug>/quiz")
@login_required
def module_quiz(slug: str) -> str:
    module, quiz = _module_quiz(slug)
    return _quiz_page(quiz, module)


@bp.get("/quizzes/<int:quiz_id>")
@login_required
def quiz_page(quiz_id: int) -> str:
    quiz = db.get_or_404(Quiz, quiz_id)
    return _quiz_page(quiz, _module_for(quiz))


def _quiz_page(quiz: Quiz, module: Module | None) -> str:
    now = utcnow()
    limits = attempts.limits_for_user(quiz, current_user)
    if not limits.eligible:
        _refuse_outsider()
    current = attempts.in_progress_attempt(current_user, quiz)
    if current is not None:
        services.close_if_overdue(current, now)
    past = attempts.attempts_of(current_user, quiz)
    seen = _student_visibility(quiz, limits, past, now)
    in_progress = next((a for a in past if not a.finished), None)
    left = limits.attempts_left(len(past))
    refusal = policy.start_refusal(limits, len(past), now) if in_progress is None else None
    blocked = str(refusal) if refusal else None
    grade = grading.quiz_grade(quiz, past) if seen.score else None
    return render_template(
        "quizzes/quiz.html",
        quiz=quiz,
        module=module,
        past=past,
        limits=limits,
        attempts_left=left,
        in_progress=in_progress,
        blocked=blocked,
        show_scores=seen.score,
        grade=grade,
        question_count=sum(s.count if s.kind == "random" else 1 for s in quiz.slots),
        form=ActionForm(),
    )


@bp.post("/quizzes/<int:quiz_id>/start")
@login_required
@short_writes
def start(quiz_id: int) -> BaseResponse:
    """Start an attempt or continue the one in progress (camp.quizzes.services).
    CSRFProtect has checked the token before this view runs."""
    quiz = db.get_or_404(Quiz, quiz_id)
    try:
        attempt_id = services.start_attempt(current_user, quiz, utcnow(), current_locale())
    except NotInCohort as error:
        _refuse_outsider(error)
    except QuizError as error:  # planning writes nothing: nothing to undo
        flash(str(error), "error")
        return redirect(_quiz_url(quiz))
    return redirect(url_for("quizzes.attempt_page", attempt_id=attempt_id))


def _quiz_url(quiz: Quiz) -> str:
    module = _module_for(quiz)
    if module is not None:
        return url_for("quizzes.module_quiz", slug=module.slug)
    return url_for("quizzes.quiz_page", quiz_id=quiz.id)


def _save_posted(
    attempt: AttemptRow, paper: list[attempts.PaperRow], now: datetime
) -> list[answers.SavedAnswer]:
    """Save the answers the form posts (camp.quizzes.services.save_responses); returns
    what was saved. Raises AttemptFinished, DeadlinePassed (after closing) or BadResponse."""
    wanted = {int(p) for p in request.form.getlist("positions") if p.isdigit()}
    posted = [pq for pq in paper if pq.slot.position in wanted]
    responses = taking.responses_from_form(attempt, posted, request.form)
    return services.save_responses(attempt, responses, now, paper=posted)


@bp.route("/attempts/<int:attempt_id>", methods=["GET", "POST"])
@login_required
@short_writes
def attempt_page(attempt_id: int) -> BaseResponse | str | tuple[str, int]:
    # CSRFProtect has checked a POST's token before this view runs.
    attempt, paper = _own_attempt_rows(attempt_id)
    now = utcnow()
    if services.close_if_overdue(attempt, now):
        flash(_("This attempt is finished."), "info")
        return redirect(url_for("quizzes.review", attempt_id=attempt.id))
    error = None
    if request.method == "POST":
        try:
            _save_posted(attempt, paper, now)
        except (AttemptFinished, DeadlinePassed) as exc:
            flash(str(exc), "info")
            return redirect(url_for("quizzes.review", attempt_id=attempt.id))
        except BadResponse as exc:  # checked before anything is written
            error = str(exc)
        else:
            if request.form.get("go") == "finish":  # time is up: submit with what was given
                services.submit_now(attempt.id, now)
                return redirect(url_for("quizzes.review", attempt_id=attempt.id))
            go, current = request.form.get("go", ""), request.args.get("page", 1, type=int)
            target = taking.target_page(attempt.quiz.layout, go, current, len(paper))
            if target is None:
                return redirect(url_for("quizzes.summary", attempt_id=attempt.id))
            return redirect(url_for("quizzes.attempt_page", attempt_id=attempt.id, page=target))
    quiz = attempt.quiz
    page = taking.page_of(quiz, paper, request.args.get("page", 1, type=int))
    return render_template(
        "quizzes/attempt.html",
        attempt=attempt,
        quiz=quiz,
        page=page,
        questions=[
            (pq.slot.position, page_fragments.question_html(attempt, pq)) for pq in page.questions
        ],
        nav_html=page_fragments.navigation_html(tuple(taking.navigation(quiz, paper, page))),
        seconds_left=taking.seconds_left(attempt, now),
        error=error,
        form=TokenForm(),
    ), (422 if error else 200)


@bp.post("/attempts/<int:attempt_id>/autosave")
@login_required
@short_writes
def autosave(attempt_id: int) -> tuple[BaseResponse, int]:
    attempt, paper = _own_attempt_rows(attempt_id)
    now = utcnow()
    try:
        saved = _save_posted(attempt, paper, now)
    except (AttemptFinished, DeadlinePassed) as exc:
        return jsonify(
            saved=False,
            finished=True,
            message=str(exc),
            review=url_for("quizzes.review", attempt_id=attempt.id),
        ), 409
    except BadResponse as exc:  # checked before anything is written
        return jsonify(saved=False, message=str(exc)), 422
    return jsonify(
        saved=True,
        positions=[s.position for s in saved],
        answered={str(s.position): s.answered for s in saved},
        saved_at=now.isoformat(),
        seconds_left=taking.seconds_left(attempt, now),
    ), 200


@bp.get("/attempts/<int:attempt_id>/summary")
@login_required
def summary(attempt_id: int) -> BaseResponse | str:
    attempt = _own_attempt(attempt_id)
    now = utcnow()
    services.close_if_overdue(attempt, now)
    if attempt.finished:
        return redirect(url_for("quizzes.review", attempt_id=attempt.id))
    paper = attempts.paper_rows(attempt.id, locale=attempt.locale)
    page = taking.page_of(attempt.quiz, paper, 1)
    nav = taking.navigation(attempt.quiz, paper, page)
    return render_template(
        "quizzes/summary.html",
        attempt=attempt,
        quiz=attempt.quiz,
        nav=nav,
        unanswered=[item for item in nav if not item.answered],
        seconds_left=taking.seconds_left(attempt, now),
        form=ActionForm(),
    )


@bp.post("/attempts/<int:attempt_id>/submit")
@login_required
@short_writes
def submit(attempt_id: int) -> BaseResponse:
    """Grade with the room's other writes (camp.quizzes.group_commit); a second submit
    changes nothing. CSRFProtect has checked the token before this view runs."""
    attempt = _own_attempt(attempt_id)
    group_commit.submit(attempt.id, utcnow())
    return redirect(url_for("quizzes.review", attempt_id=attempt.id))


@bp.get("/attempts/<int:attempt_id>/review")
@login_required
def review(attempt_id: int) -> BaseResponse | str:
    found = attempts.attempt_for_view(attempt_id)
    if found is None:
        abort(404)
    attempt, may_take = found
    student = db.session.get(User, attempt.user_id)
    assert student is not None
    own = student.id == current_user.id
    if not own and not can_manage_student(current_user, student.id):
        abort(404 if current_user.is_student else 403)
    if own and not may_take:
        _refuse_outsider()  # organisers following the student still review it
    services.close_if_overdue(attempt, utcnow())
    if not attempt.finished:
        if own:
            return redirect(url_for("quizzes.attempt_page", attempt_id=attempt.id))
        flash(_("This attempt is still in progress."), "info")
    quiz = attempt.quiz
    module = _module_for(quiz)
    seen = _visibility(quiz, student)
    lesson_url = url_for("lessons.lesson", slug=module.slug) if module else None
    return render_template(
        "quizzes/review.html",
        attempt=attempt,
        quiz=quiz,
        student=student,
        own=own,
        seen=seen,
        questions=taking.review(
            attempt,
            attempts.paper_rows(attempt.id, locale=attempt.locale),
            seen,
            lesson_url=lesson_url,
        ),
        quiz_url=_quiz_url(quiz),
        answers_when=quiz.review_answers,
    )
