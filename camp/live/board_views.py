"""The question board on the phones: posting a question, voting for one (or taking the
vote back), and the board itself as a fragment live-phone.js swaps in when the session's
`board_version` moves. Only participants of the session use it; everyone else is turned
away as on the session page (camp.live.phone_views)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _  # type: ignore[import-untyped]
from werkzeug.wrappers import Response as BaseResponse

from camp.db import utcnow
from camp.live import board
from camp.live.errors import LiveError
from camp.live.forms import BoardPostForm
from camp.live.phone_views import joined_or_refused
from camp.transactions import atomic

bp = Blueprint("board", __name__, url_prefix="/live")


@bp.get("/<code>/board")
def board_fragment(code: str) -> BaseResponse | str:
    session, participant, refused = joined_or_refused(code)
    if refused is not None:
        return refused
    assert participant is not None
    return render_template(
        "live/_board.html",
        session=session,
        posts=board.board_for_participant(session, participant),
        post_form=BoardPostForm(formdata=None),
    )


@bp.post("/<code>/board")
def post(code: str) -> BaseResponse:
    session, participant, refused = joined_or_refused(code)
    if refused is not None:
        return refused
    assert participant is not None
    form = BoardPostForm()
    back = url_for("live.phone.phone", code=session.code, _anchor="board")
    if not form.validate():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(back)
    try:
        with atomic():
            posted = board.post_question(
                participant, form.text.data, anonymous=bool(form.anonymous.data), now=utcnow()
            )
    except LiveError as error:
        flash(str(error), "error")
    else:
        if posted.status == "pending":
            flash(_("Your question is posted. The organisers will put it on the board."), "success")
        else:
            flash(_("Your question is on the board."), "success")
    return redirect(back)


@bp.post("/<code>/board/<int:post_id>/vote")
def vote(code: str, post_id: int) -> BaseResponse:
    session, participant, refused = joined_or_refused(code)
    if refused is not None:
        return refused
    assert participant is not None
    change = board.unvote if request.form.get("vote") == "0" else board.vote
    try:
        with atomic():
            change(participant, post_id, utcnow())
    except LiveError as error:
        flash(str(error), "error")
    return redirect(url_for("live.phone.phone", code=session.code, _anchor=f"post-{post_id}"))
