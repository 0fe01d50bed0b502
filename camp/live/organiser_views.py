"""The organiser's screens for live sessions: the list and the form that creates one
(`/organiser/live`), a session's page (its code and join address, its items and their
timing, the question board's moderation) and its results, as a page and as CSV.

A session is the host's and its cohorts' organisers' (camp.live.permissions.can_host):
every screen here answers 403 to anyone else, a second organiser included.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _  # type: ignore[import-untyped]
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response as BaseResponse
from wtforms.fields.choices import SelectChoice

from camp.accounts.current import current_user
from camp.accounts.permissions import organiser_required
from camp.authoring.quiz_queries import quiz_rows
from camp.db import utcnow
from camp.extensions import db
from camp.i18n import current_locale
from camp.live import board, editing, presenter, results, setup, sources
from camp.live import services as live
from camp.live.board_models import PostStatus
from camp.live.charts import item_chart
from camp.live.errors import LiveError
from camp.live.forms import ItemTimingForm, NewLiveSessionForm
from camp.live.models import MAX_TIME_LIMIT_S, MIN_TIME_LIMIT_S, LiveSession, Phase
from camp.live.plan import LiveSettings
from camp.reports.download import csv_response
from camp.transactions import atomic

bp = Blueprint("organiser", __name__, url_prefix="/organiser/live")

PHASE_NAMES = {
    Phase.LOBBY: _l("waiting to start"),
    Phase.QUESTION: _l("running"),
    Phase.REVEALED: _l("running"),
    Phase.ENDED: _l("ended"),
}
MODERATION = {
    "approve": board.approve,
    "hide": board.hide,
    "pin": board.pin,
    "unpin": board.unpin,
    "answered": board.mark_answered,
    "unanswered": board.unmark_answered,
}


def _hosted(session_id: int) -> LiveSession:
    session = db.get_or_404(LiveSession, session_id)
    if not live.can_host(current_user, session):
        abort(403)
    return session


def _new_form() -> NewLiveSessionForm:
    form = NewLiveSessionForm()
    form.cohorts.choices = [SelectChoice(c.id, c.name) for c in sources.cohorts_for(current_user)]
    form.quiz.choices = [SelectChoice(0, _("Choose a quiz"))] + [
        SelectChoice(q.id, q.title) for q in quiz_rows()
    ]
    return form


@bp.route("", methods=["GET", "POST"])
@organiser_required
def sessions() -> BaseResponse | tuple[str, int] | str:
    form = _new_form()
    if form.is_submitted():
        if form.validate():
            try:
                with atomic():
                    session = setup.create_from_request(current_user, _request(form), utcnow())
            except LiveError as error:
                form.form_errors.append(str(error))
            else:
                flash(_("Live session %(title)s created.", title=session.title), "success")
                return redirect(url_for(".session", session_id=session.id))
        return _render_sessions(form), 400
    return _render_sessions(form)


def _render_sessions(form: NewLiveSessionForm) -> str:
    rows = [(s, live.format_code(s.code)) for s in sources.sessions_for(current_user)]
    return render_template("live/sessions.html", form=form, rows=rows, phase_names=PHASE_NAMES)


def _request(form: NewLiveSessionForm) -> setup.SessionRequest:
    return setup.SessionRequest(
        title=form.title.data or "",
        source=form.source.data or "none",
        cohort_ids=form.cohorts.data or [],
        quiz_id=form.quiz.data or None,
        category=form.category.data or "",
        tag=form.tag.data or "",
        question_ids=form.question_ids.data or "",
        extra=form.extra.data or "",
        time_limit_s=form.time_limit.data or 20,
        points=bool(form.points.data),
        speed_bonus=bool(form.speed_bonus.data),
        settings=LiveSettings(
            allow_guests=bool(form.allow_guests.data),
            show_leaderboard=bool(form.show_leaderboard.data),
            anonymous=bool(form.anonymous.data),
        ),
    )


def moderation_buttons(post: board.HostPostView) -> list[tuple[str, str]]:
    """The moderation buttons a post gets, by what would change it."""
    if post.status == PostStatus.PENDING:
        return [("approve", _("Approve")), ("hide", _("Hide"))]
    if post.status == PostStatus.HIDDEN:
        return [("approve", _("Put back on the board"))]
    buttons = [("unpin", _("Unpin")) if post.pinned else ("pin", _("Pin: being discussed"))]
    buttons.append(
        ("unanswered", _("Not answered yet")) if post.answered else ("answered", _("Answered"))
    )
    return [*buttons, ("hide", _("Hide"))]


STATUS_NAMES = {
    PostStatus.PENDING: _l("waiting"),
    PostStatus.APPROVED: _l("on the board"),
    PostStatus.HIDDEN: _l("hidden"),
}


def _render_session(session: LiveSession, status: int = 200) -> tuple[str, int]:
    items = editing.items_of(session)
    page = render_template(
        "live/session.html",
        session=session,
        code=live.format_code(session.code),
        items=items,
        item_titles=editing.item_titles(items, current_locale()),
        phase_names=PHASE_NAMES,
        status_names=STATUS_NAMES,
        moderation_buttons=moderation_buttons,
        counts=presenter.counts(session),
        posts=board.board_for_host(session),
        time_limits=(MIN_TIME_LIMIT_S, MAX_TIME_LIMIT_S),
    )
    return page, status


@bp.get("/<int:session_id>")
@organiser_required
def session(session_id: int) -> tuple[str, int]:
    return _render_session(_hosted(session_id))


@bp.post("/<int:session_id>/items/<int:item_id>")
@organiser_required
def item_timing(session_id: int, item_id: int) -> BaseResponse | tuple[str, int]:
    session = _hosted(session_id)
    form = ItemTimingForm()
    if not form.validate():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return _render_session(session, 400)
    try:
        with atomic():
            editing.set_item_timing(
                session,
                item_id,
                current_user,
                time_limit_s=form.time_limit.data or 0,
                points=bool(form.points.data),
                speed_bonus=bool(form.speed_bonus.data),
            )
    except LiveError as error:
        flash(str(error), "error")
    else:
        flash(_("Saved."), "success")
    return redirect(url_for(".session", session_id=session.id, _anchor=f"item-{item_id}"))


@bp.post("/<int:session_id>/board")
@organiser_required
def board_settings(session_id: int) -> BaseResponse:
    session = _hosted(session_id)
    setting = request.form.get("setting", "")
    value = request.form.get("value") == "1"
    if setting not in ("board_moderated", "board_open"):
        abort(400)
    board.configure_board(session, current_user, **{setting: value})
    return redirect(url_for(".session", session_id=session.id, _anchor="board"))


@bp.post("/<int:session_id>/board/<int:post_id>")
@organiser_required
def moderate(session_id: int, post_id: int) -> BaseResponse:
    session = _hosted(session_id)
    change = MODERATION.get(request.form.get("action", ""))
    if change is None:
        abort(400)
    try:
        with atomic():
            change(post_id, current_user, utcnow(), session_id=session.id)
    except LiveError as error:
        flash(str(error), "error")
    return redirect(url_for(".session", session_id=session.id, _anchor=f"post-{post_id}"))


@bp.get("/<int:session_id>/results")
@organiser_required
def session_results(session_id: int) -> BaseResponse | str:
    session = _hosted(session_id)
    found = results.session_results(session, current_locale())
    if request.args.get("format") == "csv":
        return csv_response(results.results_csv(found), f"live-{session.code}-results.csv")
    charts = {item.item_id: item_chart(item) for item in found.items}
    return render_template("live/results.html", session=session, results=found, charts=charts)
