"""Organiser screens for quizzes: the list, settings and review policy, slots (fixed questions
from the bank and random draws), per-cohort windows and accommodations, deliberate regrades,
and the essay grading queue.

Any organiser builds any quiz (one shared bank); windows, accommodations and grading are
limited to the cohorts an organiser runs and their students (admins: everyone).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _  # type: ignore[import-untyped]
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse
from wtforms.fields.choices import SelectChoice

from camp.accounts.current import current_user
from camp.accounts.models import Cohort, User
from camp.accounts.permissions import can_manage_cohort, can_manage_student, organiser_required
from camp.authoring import bank_queries
from camp.authoring import quiz_queries as queries
from camp.authoring.quiz_forms import (
    AddFixedForm,
    AddRandomForm,
    BankSearchForm,
    OverrideForm,
    QuizCreateForm,
    QuizSettingsForm,
    SlotActionForm,
    WindowForm,
)
from camp.extensions import db
from camp.forms import ActionForm
from camp.i18n import to_camp_zone
from camp.quizzes import building
from camp.quizzes.errors import QuizError
from camp.quizzes.models import Quiz, QuizWindow
from camp.transactions import atomic

bp = Blueprint("quizzes", __name__, url_prefix="/organiser")
Rendered = tuple[str, int]
SEARCH_LIMIT = 50
RANDOM = "random"  # prefix: the random-slot form shares the page with the bank search


def _status() -> int:
    return 400 if request.method == "POST" else 200


# --- the list ---------------------------------------------------------------------------------


@bp.route("/quizzes", methods=["GET", "POST"])
@organiser_required
def quizzes() -> BaseResponse | Rendered:
    form = QuizCreateForm()
    if form.validate_on_submit():
        try:
            with atomic():
                quiz = building.create_quiz(building.QuizSettings(title=form.title.data or ""))
        except QuizError as error:
            form.title.errors = [str(error)]
        else:
            flash(_("Quiz %(title)s created. Now add its questions.", title=quiz.title), "success")
            return redirect(url_for("authoring.quizzes.quiz", quiz_id=quiz.id))
    page = render_template("authoring/quizzes/list.html", rows=queries.quiz_rows(), form=form)
    return page, _status()


# --- one quiz: settings, slots, regrades ------------------------------------------------------


def _search_args() -> dict[str, Any]:
    return {k: v for k in ("q", "tag", "category") if (v := request.args.get(k, "")[:200])}


def _search(form: BankSearchForm) -> bank_queries.BankPage | None:
    filters = bank_queries.BankFilters(
        q=form.q.data or "", tag=form.tag.data or "", category=form.category.data or ""
    )
    if not (filters.q or filters.tag or filters.category):
        return None
    return bank_queries.browse(filters, 1, SEARCH_LIMIT)


def _render_quiz(
    quiz: Quiz,
    *,
    settings_form: QuizSettingsForm | None = None,
    fixed_form: AddFixedForm | None = None,
    random_form: AddRandomForm | None = None,
) -> Rendered:
    paths = bank_queries.category_paths()
    tags = bank_queries.all_tags()
    search_form = BankSearchForm(request.args)
    search_form.tag.choices = [SelectChoice("", _l("Any tag")), *map(SelectChoice, tags)]
    search_form.category.choices = [
        SelectChoice("", _l("All categories")),
        *map(SelectChoice, paths),
    ]
    random_form = random_form or AddRandomForm(formdata=None, prefix=RANDOM)
    random_form.category.choices = [
        SelectChoice("", _l("Any category")),
        *map(SelectChoice, paths),
    ]
    random_form.tag.choices = [SelectChoice("", _l("Any tag")), *map(SelectChoice, tags)]
    page = render_template(
        "authoring/quizzes/quiz.html",
        quiz=quiz,
        module_title=queries.module_title(quiz),
        settings_form=settings_form or QuizSettingsForm.for_quiz(quiz),
        search_form=search_form,
        results=_search(search_form),
        search_args=_search_args(),
        fixed_form=fixed_form or AddFixedForm(formdata=None),
        random_form=random_form,
        slot_form=SlotActionForm(formdata=None),
        slots=queries.slot_rows(quiz),
        answered=queries.answered_questions(quiz),
        history=queries.change_history(quiz),
        statistics_url=url_for("reports.quiz_stats", quiz_id=quiz.id),
    )
    return page, _status()


@bp.route("/quizzes/<int:quiz_id>", methods=["GET", "POST"])
@organiser_required
def quiz(quiz_id: int) -> BaseResponse | Rendered:
    quiz = db.get_or_404(Quiz, quiz_id)
    form = QuizSettingsForm() if request.method == "POST" else QuizSettingsForm.for_quiz(quiz)
    if form.validate_on_submit():
        try:
            with atomic():
                building.update_settings(quiz, form.settings())
        except QuizError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Settings saved."), "success")
            return redirect(url_for("authoring.quizzes.quiz", quiz_id=quiz.id))
    return _render_quiz(quiz, settings_form=form)


@bp.post("/quizzes/<int:quiz_id>/questions")
@organiser_required
def add_fixed(quiz_id: int) -> BaseResponse | Rendered:
    quiz = db.get_or_404(Quiz, quiz_id)
    form = AddFixedForm()
    if form.validate_on_submit():
        try:
            with atomic():
                result = building.add_fixed_questions(quiz, form.uids.data or [])
        except QuizError as error:
            form.uids.errors = [str(error)]
        else:
            parts = [_("Added %(count)s question(s).", count=len(result.added))]
            if result.retired:
                parts.append(_("Skipped retired: %(uids)s.", uids=", ".join(result.retired)))
            if result.duplicates:
                duplicates = ", ".join(result.duplicates)
                parts.append(_("Already in this quiz: %(uids)s.", uids=duplicates))
            flash(" ".join(parts), "success" if result.added else "error")
            return redirect(url_for("authoring.quizzes.quiz", quiz_id=quiz.id, **_search_args()))
    return _render_quiz(quiz, fixed_form=form)


@bp.post("/quizzes/<int:quiz_id>/random")
@organiser_required
def add_random(quiz_id: int) -> BaseResponse | Rendered:
    quiz = db.get_or_404(Quiz, quiz_id)
    form = AddRandomForm(prefix=RANDOM)
    form.tag.choices = [
        SelectChoice("", _l("Any tag")),
        *map(SelectChoice, bank_queries.all_tags()),
    ]
    if form.validate_on_submit():
        try:
            with atomic():
                added = building.add_random_slot(
                    quiz,
                    category_path=form.category.data or None,
                    tag=form.tag.data or None,
                    count=form.count.data or 0,
                    include_subcategories=bool(form.include_subcategories.data),
                )
        except QuizError as error:
            form.form_errors.append(str(error))
        else:
            message = _(
                "Random slot added: %(count)s question(s) to draw from now.",
                count=added.available,
            )
            if added.available < added.slot.count:
                fewer = _("That is fewer than the %(count)s asked for.", count=added.slot.count)
                message = f"{message} {fewer}"
            flash(message, "success" if added.available >= added.slot.count else "info")
            return redirect(url_for("authoring.quizzes.quiz", quiz_id=quiz.id))
    return _render_quiz(quiz, random_form=form)


@bp.post("/quizzes/<int:quiz_id>/slots")
@organiser_required
def slot_action(quiz_id: int) -> BaseResponse:
    quiz = db.get_or_404(Quiz, quiz_id)
    form = SlotActionForm()
    if not form.validate_on_submit():
        flash(_("That slot action was not understood. Reload the page and try again."), "error")
        return redirect(url_for("authoring.quizzes.quiz", quiz_id=quiz.id))
    slot_id = form.slot_id.data or 0
    up = form.action.data == "up"
    try:
        with atomic():
            if form.action.data == "remove":
                building.remove_slot(quiz, slot_id)
                message = _("Slot removed. Attempts already started keep their questions.")
            elif building.move_slot(quiz, slot_id, form.action.data or ""):
                message = _("Slot moved up.") if up else _("Slot moved down.")
            elif up:
                message = _("That slot cannot move further up.")
            else:
                message = _("That slot cannot move further down.")
    except QuizError as error:
        flash(str(error), "error")
    else:
        flash(message, "success")
    return redirect(url_for("authoring.quizzes.quiz", quiz_id=quiz.id) + "#slots-heading")


# --- windows and accommodations ---------------------------------------------------------------


def _window_form(cohort: Cohort, window: QuizWindow | None) -> WindowForm:
    """The cohort's window as its form shows it: in the camp's zone."""
    return WindowForm(
        formdata=None,
        prefix=f"cohort-{cohort.id}",
        opens_at=to_camp_zone(window.opens_at) if window else None,
        closes_at=to_camp_zone(window.closes_at) if window else None,
    )


def _render_access(
    quiz: Quiz,
    *,
    override_form: OverrideForm | None = None,
    posted: tuple[int, WindowForm] | None = None,
) -> Rendered:
    cohorts = [
        (cohort, window, posted[1] if posted and posted[0] == cohort.id else None)
        for cohort, window in queries.windows(quiz, current_user)
    ]
    page = render_template(
        "authoring/quizzes/access.html",
        quiz=quiz,
        cohorts=[(c, w, form or _window_form(c, w)) for c, w, form in cohorts],
        window_counts=queries.window_counts(quiz, current_user),
        students=queries.managed_students(current_user),
        override_form=override_form or OverrideForm(formdata=None),
        overrides=queries.overrides(quiz, current_user),
        action_form=ActionForm(),
    )
    return page, _status()


@bp.route("/quizzes/<int:quiz_id>/access", methods=["GET", "POST"])
@organiser_required
def access(quiz_id: int) -> BaseResponse | Rendered:
    quiz = db.get_or_404(Quiz, quiz_id)
    form = OverrideForm() if request.method == "POST" else None
    if form is not None and form.validate_on_submit():
        ids = list(dict.fromkeys(form.students.data or []))
        if not all(can_manage_student(current_user, i) for i in ids):
            abort(403)
        users = list(db.session.scalars(select(User).where(User.id.in_(ids))))
        try:
            with atomic():
                count = building.set_overrides(
                    quiz, users, form.extra_minutes.data or 0, form.extra_attempts.data or 0
                )
        except QuizError as error:
            form.form_errors.append(str(error))
        else:
            removed = not (form.extra_minutes.data or form.extra_attempts.data)
            if removed:
                message = _("Accommodation removed for %(count)s student(s).", count=count)
            else:
                message = _("Accommodation saved for %(count)s student(s).", count=count)
            flash(message, "success")
            return redirect(url_for("authoring.quizzes.access", quiz_id=quiz.id))
    return _render_access(quiz, override_form=form)


@bp.post("/quizzes/<int:quiz_id>/access/cohorts/<int:cohort_id>")
@organiser_required
def set_window(quiz_id: int, cohort_id: int) -> BaseResponse | Rendered:
    """Save a cohort's window (both times empty: open to it at any time), or remove it when
    the form's second button was pressed. Either way the flash says who may take it now."""
    quiz = db.get_or_404(Quiz, quiz_id)
    cohort = db.get_or_404(Cohort, cohort_id)
    if not can_manage_cohort(current_user, cohort):
        abort(403)
    form = WindowForm(prefix=f"cohort-{cohort.id}")
    if form.validate_on_submit():
        if form.remove.data:
            return _remove_window(quiz, cohort)
        first = queries.window_counts(quiz, current_user).total == 0
        opens_at, closes_at = form.times()
        try:
            with atomic():
                window = building.set_window(quiz, cohort, opens_at, closes_at)
        except QuizError as error:
            form.form_errors.append(str(error))
        else:
            if window.opens_at is None and window.closes_at is None:
                message = _("Window for %(cohort)s saved: open at any time.", cohort=cohort.name)
            else:
                message = _("Window for %(cohort)s saved.", cohort=cohort.name)
            if first:
                only = _("Only cohorts with a window may take the quiz now.")
                message = f"{message} {only}"
            flash(message, "success")
            return redirect(url_for("authoring.quizzes.access", quiz_id=quiz.id))
    return _render_access(quiz, posted=(cohort.id, form))


def _remove_window(quiz: Quiz, cohort: Cohort) -> BaseResponse:
    if not building.remove_window(quiz, cohort):
        flash(_("%(cohort)s had no window on this quiz.", cohort=cohort.name), "info")
    elif queries.window_counts(quiz, current_user).total:
        removed = _("Window for %(cohort)s removed.", cohort=cohort.name)
        meaning = _(
            "%(cohort)s may no longer take it: only cohorts with a window may.",
            cohort=cohort.name,
        )
        flash(f"{removed} {meaning}", "success")
    else:
        message = _(
            "Window for %(cohort)s removed: the quiz is open to every student again.",
            cohort=cohort.name,
        )
        flash(message, "success")
    return redirect(url_for("authoring.quizzes.access", quiz_id=quiz.id))


@bp.post("/quizzes/<int:quiz_id>/access/overrides/<int:student_id>/remove")
@organiser_required
def remove_override(quiz_id: int, student_id: int) -> BaseResponse:
    quiz = db.get_or_404(Quiz, quiz_id)
    student = db.get_or_404(User, student_id)
    if not can_manage_student(current_user, student.id):
        abort(403)
    if ActionForm().validate_on_submit():
        if building.remove_override(quiz, student):
            flash(
                _("Accommodation removed for %(student)s.", student=student.display_name),
                "success",
            )
        else:
            flash(
                _("%(student)s had no accommodation on this quiz.", student=student.display_name),
                "info",
            )
    return redirect(url_for("authoring.quizzes.access", quiz_id=quiz.id))
