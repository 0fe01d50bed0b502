"""Organiser screens that change grades: the essay grading queue, grading one answer by
hand, and deliberate regrades (regrade a fixed question, or full marks for everyone)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _  # type: ignore[import-untyped]
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response as BaseResponse

from camp.accounts.current import current_user
from camp.accounts.permissions import organiser_required
from camp.authoring import bank_queries
from camp.authoring import quiz_queries as queries
from camp.authoring.quiz_forms import GradeForm
from camp.bank import services as bank
from camp.bank.models import Question
from camp.bank.presentation import rendered_for
from camp.db import utcnow
from camp.extensions import db
from camp.forms import ActionForm
from camp.quizzes import grading
from camp.quizzes.errors import QuizError
from camp.quizzes.models import Quiz
from camp.transactions import atomic

bp = Blueprint("grading", __name__, url_prefix="/organiser")
Rendered = tuple[str, int]


def _status() -> int:
    return 400 if request.method == "POST" else 200


def _question_or_404(uid: str) -> Question:
    question = bank.find_question(uid)
    if question is None:
        abort(404)
    return question


_CHANGES = {
    "regrade": _l("Regrade every answer to this question against its current version"),
    "full_marks": _l("Give everyone full marks for this question"),
}


def _change(quiz_id: int, question_uid: str, kind: str) -> BaseResponse | str:
    """Confirm (GET) or apply (POST) a regrade or full marks. An organiser's reach only the
    students of the cohorts they run; the bank and quizzes are shared, grades are not."""
    quiz = db.get_or_404(Quiz, quiz_id)
    question = _question_or_404(question_uid)
    scoped = not current_user.is_admin  # an admin's change reaches everyone
    counts = queries.attempts_with_question(quiz, question, current_user)
    form = ActionForm()
    if form.validate_on_submit():
        if counts.yours == 0:
            if scoped:
                message = _(
                    "%(action)s: no submitted attempt of a student in a cohort you run showed "
                    "this question; nothing changed.",
                    action=_CHANGES[kind],
                )
            else:
                message = _(
                    "%(action)s: no submitted attempt showed this question; nothing changed.",
                    action=_CHANGES[kind],
                )
            flash(message, "info")
            return redirect(url_for("authoring.quizzes.quiz", quiz_id=quiz.id) + "#changes-heading")
        apply = grading.regrade_question if kind == "regrade" else grading.give_full_marks
        try:
            with atomic():
                changed = apply(quiz, question, actor=current_user, now=utcnow())
        except QuizError as error:
            flash(str(error), "error")
        else:
            message = _(
                "%(action)s: done, %(changed)s attempt(s) changed.",
                action=_CHANGES[kind],
                changed=changed,
            )
            if counts.others:
                left = _(
                    "%(count)s attempt(s) of students in cohorts you do not run were left "
                    "unchanged.",
                    count=counts.others,
                )
                message = f"{message} {left}"
            flash(message, "success")
        return redirect(url_for("authoring.quizzes.quiz", quiz_id=quiz.id) + "#changes-heading")
    return render_template(
        "authoring/quizzes/confirm_change.html",
        quiz=quiz,
        question=question,
        title=bank_queries.summary_title(bank.current_version(question)),
        kind=kind,
        label=_CHANGES[kind],
        attempts=counts,
        scoped=scoped,
        form=form,
    )


@bp.route("/quizzes/<int:quiz_id>/regrade/<question_uid>", methods=["GET", "POST"])
@organiser_required
def regrade(quiz_id: int, question_uid: str) -> BaseResponse | str:
    return _change(quiz_id, question_uid, "regrade")


@bp.route("/quizzes/<int:quiz_id>/full-marks/<question_uid>", methods=["GET", "POST"])
@organiser_required
def full_marks(quiz_id: int, question_uid: str) -> BaseResponse | str:
    return _change(quiz_id, question_uid, "full_marks")


# --- grading ----------------------------------------------------------------------------------


@bp.get("/grading")
@organiser_required
def grading_queue() -> str:
    return render_template("authoring/grading/queue.html", rows=queries.grading_queue(current_user))


@bp.route("/grading/<int:attempt_question_id>", methods=["GET", "POST"])
@organiser_required
def grade(attempt_question_id: int) -> BaseResponse | Rendered:
    essay = queries.essay_to_grade(attempt_question_id)
    if essay is None:
        abort(404)
    if not queries.may_grade(current_user, essay):
        abort(403)
    if request.method == "GET" and essay.slot.fraction is not None:
        data = {"mark": round(essay.slot.fraction * 100, 2), "comment": essay.slot.manual_comment}
        form = GradeForm(formdata=None, data=data)
    else:
        form = GradeForm()
    if form.validate_on_submit():
        try:
            with atomic():
                grading.grade_by_hand(
                    essay.slot,
                    fraction=float(form.mark.data or 0) / 100,
                    comment=form.comment.data or "",
                    grader=current_user,
                    now=utcnow(),
                )
        except QuizError as error:
            form.form_errors.append(str(error))
        else:
            flash(
                _(
                    "Marked %(student)s's answer to question %(number)s of %(quiz)s.",
                    student=essay.student,
                    number=essay.slot.position,
                    quiz=essay.quiz_title,
                ),
                "success",
            )
            return redirect(url_for("authoring.grading.grading_queue"))
    page = render_template(
        "authoring/grading/grade.html",
        essay=essay,
        form=form,
        question_html=rendered_for(essay.version, essay.version.text),
        answer=str((essay.slot.response or {}).get("text") or ""),
    )
    return page, _status()
