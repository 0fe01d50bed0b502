"""Lesson pages: the module list and one lesson with its table of contents."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _  # type: ignore[import-untyped]
from flask_login import login_required
from werkzeug.wrappers import Response as BaseResponse

from camp.accounts.current import current_user
from camp.forms import ActionForm
from camp.i18n import current_locale
from camp.lessons import services
from camp.lessons.models import Module

bp = Blueprint("lessons", __name__)


def _module_or_404(slug: str) -> Module:
    module = services.get_module(slug)
    if module is None:
        abort(404)
    return module


@bp.get("/modules")
@login_required
def modules() -> str:
    rows = services.modules_for(current_user, current_locale())
    return render_template("lessons/modules.html", rows=rows)


@bp.get("/modules/<slug>")
@login_required
def lesson(slug: str) -> str:
    module = _module_or_404(slug)
    return render_template(
        "lessons/lesson.html",
        module=module,
        lesson=services.lesson_in(module, current_locale()),
        read=services.has_read(current_user, module),
        quiz=services.quiz_of(module),
        form=ActionForm(),
    )


@bp.post("/modules/<slug>/read")
@login_required
def mark_read(slug: str) -> BaseResponse:
    module = _module_or_404(slug)
    if ActionForm().validate_on_submit():
        services.mark_read(current_user, module)
        title = services.lesson_in(module, current_locale()).title
        flash(_("“%(title)s” is marked as read.", title=title), "success")
    return redirect(url_for("lessons.lesson", slug=module.slug))
