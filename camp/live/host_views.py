"""The projector's side of a live session: the presenter view, the stage it refreshes, and
the host's controls (start, next, reveal, pause, resume, 15 more seconds, skip, end).

Only the session's hosts (camp.live.permissions.can_host) see or press any of it. A control
posts the state version the page showed (`seen`): a double press, or a second host pressing
at the same moment, is refused with a message instead of skipping a question. Every
control works as a plain form (the page reloads); live-present.js sends it in the
background, swaps the stage in, and binds the keyboard shortcuts.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import lazy_gettext as _l  # type: ignore[import-untyped]
from flask_login import login_required
from werkzeug.wrappers import Response as BaseResponse

from camp.accounts.current import current_user
from camp.db import utcnow
from camp.i18n import current_locale
from camp.live import presenter
from camp.live import services as live
from camp.live.address import join_url, qr_svg
from camp.live.errors import LiveError
from camp.live.models import LiveSession
from camp.transactions import atomic

bp = Blueprint("host", __name__, url_prefix="/live")

_Control = Callable[..., Any]
CONTROLS: dict[str, _Control] = {
    "advance": live.advance,
    "start": live.start,
    "next": live.next_item,
    "reveal": live.reveal,
    "pause": live.pause,
    "resume": live.resume,
    "add_time": live.add_time,
    "skip": live.skip,
    "end": live.end,
}
# Shown on the page, and bound by live-present.js: key -> (control, what it does).
SHORTCUTS = [
    (_l("Space or →"), _l("go on: start, reveal, next question")),
    ("R", _l("reveal the answer")),
    ("P", _l("pause or go on")),
    ("+", _l("15 more seconds")),
]


def _hosted(code: str) -> LiveSession:
    session = live.find_session(code)
    if session is None:
        abort(404)
    if not live.can_host(current_user, session):
        abort(403)
    return session


def _stage(session: LiveSession, now: datetime) -> dict[str, Any]:
    with_board = request.args.get("show") == "board"
    return {
        "session": session,
        "stage": presenter.stage(session, now=now, locale=current_locale(), with_board=with_board),
        "code": live.format_code(session.code),
        "with_board": with_board,
    }


@bp.get("/<code>/present")
@login_required
def present(code: str) -> BaseResponse | str:
    session = _hosted(code)
    if session.code != code:
        return redirect(url_for(".present", code=session.code))
    address = join_url(session.code)
    return render_template(
        "live/present.html",
        **_stage(session, utcnow()),
        join_address=address,
        qr=qr_svg(address, str(_l("QR code of the join address"))),
        shortcuts=SHORTCUTS,
    )


@bp.get("/<code>/present/stage")
@login_required
def present_stage(code: str) -> str:
    session = _hosted(code)
    return render_template("live/_present_update.html", **_stage(session, utcnow()))


@bp.get("/<code>/present/state")
@login_required
def present_state(code: str) -> Response:
    """What the projector polls: the state version (a change means a new stage) and the
    live counts (phones joined, answers in)."""
    session = _hosted(code)
    counts = presenter.counts(session)
    response = jsonify(version=session.state_version, **counts)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<code>/control")
@login_required
def control(code: str) -> BaseResponse | tuple[BaseResponse, int]:
    session = _hosted(code)
    action = CONTROLS.get(request.form.get("action", ""))
    if action is None:
        abort(400)
    seen = request.form.get("seen", type=int)
    try:
        with atomic():
            action(session, utcnow(), seen_version=seen)
    except LiveError as error:
        if request.accept_mimetypes.best == "application/json":
            return jsonify(done=False, message=str(error), version=session.state_version), 409
        flash(str(error), "error")
        return redirect(_back(session))
    if request.accept_mimetypes.best == "application/json":
        return jsonify(done=True, version=session.state_version), 200
    return redirect(_back(session))


def _back(session: LiveSession) -> str:
    """The presenter view, showing the board if it did."""
    show = "board" if request.form.get("show") == "board" else None
    return url_for(".present", code=session.code, show=show)
