"""The phones' side of a live session: joining at `/live`, the session page, the small
state phones poll, the stage they fetch when it changes, and answering.

Every page works without JavaScript (a refresh button and plain forms); live-phone.js
polls `/live/<code>/state` (an ETag that changes with the session's state and this phone's
answer, so an unchanged state costs a 304) and swaps in `/live/<code>/stage` when it
changes. A guest is known by a random token in a cookie limited to the session's path; a
member by their login.
"""

from __future__ import annotations

import secrets
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
from flask_babel import gettext as _  # type: ignore[import-untyped]
from werkzeug.wrappers import Response as BaseResponse

from camp.accounts.current import current_user
from camp.db import utcnow
from camp.extensions import db
from camp.i18n import current_locale
from camp.live import board, poll
from camp.live import services as live
from camp.live.errors import (
    GuestsNotAllowed,
    LiveError,
    NotAllowedToJoin,
    SessionNotFound,
)
from camp.live.forms import BoardPostForm, JoinLiveForm
from camp.live.models import LiveParticipant, LiveSession
from camp.transactions import atomic, short_writes, write_transaction

bp = Blueprint("phone", __name__, url_prefix="/live")

# One cookie per session (the name holds its code), for every page under /live: a guest who
# types the code again at /live is recognised as well as one who reloads the session page.
GUEST_COOKIE = "camp_live_{code}"
GUEST_COOKIE_MAX_AGE = 2 * 24 * 3600


def _user() -> Any:
    return current_user if current_user.is_authenticated else None


def _token(session: LiveSession) -> str | None:
    return request.cookies.get(GUEST_COOKIE.format(code=session.code))


def _session(code: str) -> LiveSession:
    session = live.find_session(code)
    if session is None:
        abort(404)
    return session


def _participant(session: LiveSession) -> LiveParticipant | None:
    return live.participant_for(session, user=_user(), token=_token(session))


def _login_first() -> BaseResponse:
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


def _outsider(session: LiveSession) -> BaseResponse | None:
    """Where a visitor who has not joined goes: the login page when the session is for
    members only, a 403 for a logged-in non-member; None when they may join."""
    user = _user()
    if user is None:
        return None if session.allow_guests else _login_first()
    if live.may_join(user, session) or session.allow_guests:
        return None
    abort(403)


def joined_or_refused(
    code: str,
) -> tuple[LiveSession, LiveParticipant | None, BaseResponse | None]:
    """The session with this code and this visitor's participant in it; or, when they have
    not joined, the response to give instead: the login page, a 403, or (for whoever may
    join) the session's page, which shows the join form."""
    session = _session(code)
    participant = _participant(session)
    if participant is not None:
        return session, participant, None
    refused = _outsider(session)
    if refused is None:
        refused = redirect(url_for("live.phone.phone", code=session.code))
    return session, None, refused


def joins_as_guest(session: LiveSession) -> bool:
    """Whether this visitor joins `session` with a nickname: anyone not logged in, and
    someone logged in who is not a member when the session is open to guests (their
    account stays apart from a cohort that is not theirs)."""
    user = _user()
    if user is None:
        return True
    return session.allow_guests and not live.may_join(user, session)


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.get("")
def join_page() -> str:
    form = JoinLiveForm(code=request.args.get("code", ""))
    return render_template("live/join.html", form=form, session=None)


@bp.post("")
def join() -> BaseResponse | tuple[str, int]:
    form = JoinLiveForm()
    if not form.validate():
        return render_template("live/join.html", form=form, session=None), 400
    try:
        with atomic():
            session = live.session_by_code(form.code.data or "")
            participant, token = live.join(
                session,
                user=None if joins_as_guest(session) else _user(),
                nickname=form.nickname.data,
                token=_token(session),
                now=utcnow(),
            )
    except SessionNotFound as error:
        form.code.errors = [str(error)]
        return render_template("live/join.html", form=form, session=None), 404
    except GuestsNotAllowed as error:
        if _user() is None:
            flash(str(error), "info")
            return _login_first_for(form.code.data or "")
        form.code.errors = [str(error)]
        return render_template("live/join.html", form=form, session=None), 403
    except NotAllowedToJoin as error:
        form.code.errors = [str(error)]
        return render_template("live/join.html", form=form, session=None), 403
    except LiveError as error:
        form.nickname.errors = [str(error)]
        return render_template(
            "live/join.html", form=form, session=session, as_guest=joins_as_guest(session)
        ), 400
    response = redirect(url_for("live.phone.phone", code=session.code))
    if token is not None:
        response.set_cookie(
            GUEST_COOKIE.format(code=session.code),
            token,
            max_age=GUEST_COOKIE_MAX_AGE,
            path=url_for("live.phone.join"),
            httponly=True,
            samesite="Lax",
        )
    assert participant.id
    return response


def _login_first_for(code: str) -> BaseResponse:
    session = live.find_session(code)
    target = url_for("live.phone.phone", code=session.code) if session else url_for(".join_page")
    return redirect(url_for("accounts.login", next=target))


def _stage_context(session: LiveSession, participant: LiveParticipant) -> dict[str, Any]:
    data = live.state(session, participant, now=utcnow(), locale=current_locale())
    return {
        "session": session,
        "participant": participant,
        "state": data,
        # Why from `data`, not a query of its own: where each statement sees the latest
        # commit (PostgreSQL), an answer landing between the two reads tagged a stage that
        # still showed the answer form as answered, and the phone never fetched it again.
        "tag": live.tag_of(data["version"], data["answered"], data["board_version"]),
        "code": live.format_code(session.code),
        "answer_key": secrets.token_urlsafe(12),
    }


@bp.get("/<code>")
def phone(code: str) -> BaseResponse | str:
    session = _session(code)
    if session.code != code:
        return redirect(url_for(".phone", code=session.code))
    participant = _participant(session)
    if participant is None:
        refused = _outsider(session)
        if refused is not None:
            return refused
        form = JoinLiveForm(code=live.format_code(session.code))
        return render_template(
            "live/join.html", form=form, session=session, as_guest=joins_as_guest(session)
        )
    return render_template(
        "live/phone.html",
        **_stage_context(session, participant),
        participant_name=participant.nickname or current_user.display_name,
        posts=board.board_for_participant(session, participant),
        post_form=BoardPostForm(formdata=None),
    )


@bp.get("/<code>/stage")
def stage(code: str) -> BaseResponse | str:
    session = _session(code)
    participant = _participant(session)
    if participant is None:
        refused = _outsider(session)
        if refused is not None:
            return refused
        return render_template("live/_not_joined.html", session=session)
    return render_template("live/_phone_stage.html", **_stage_context(session, participant))


@bp.get("/<code>/state")
def state(code: str) -> BaseResponse:
    """What a phone polls: an ETag that changes when its stage would (the session's state,
    whether this phone has answered, the board), and a few numbers. An unchanged state
    costs one read besides the login's and a 304 (camp.live.poll)."""
    user = _user()
    token = request.cookies.get(GUEST_COOKIE.format(code=code))
    quick = poll.current_tag(code, user.id if user is not None else None, token)
    if quick is not None and request.if_none_match.contains(quick):
        return _unchanged(quick)
    session = _session(code)
    participant = _participant(session)
    if participant is None:
        refused = _outsider(session)
        if refused is not None:
            return refused
        return jsonify(joined=False)
    tag = live.phone_tag(session, participant)
    if request.if_none_match.contains(tag):
        return _unchanged(tag)
    data = live.state(session, participant, now=utcnow(), locale=current_locale())
    item = data["item"] or {}
    response: Response = jsonify(
        joined=True,
        version=data["version"],
        phase=data["phase"],
        paused=data["paused"],
        position=data["position"],
        item_id=item.get("id"),
        answered=data.get("answered", False),
        seconds_left=item.get("seconds_left"),
        open=item.get("open", False),
        board_version=data["board_version"],
        tag=tag,
    )
    response.set_etag(tag)
    response.headers["Cache-Control"] = "no-cache"
    return response


def _unchanged(tag: str) -> Response:
    unchanged = Response(status=304)
    unchanged.set_etag(tag)
    unchanged.headers["Cache-Control"] = "no-cache"
    return unchanged


@bp.post("/<code>/answer")
@short_writes
def answer(code: str) -> BaseResponse | tuple[BaseResponse, int]:
    """An answer from a phone (JSON for live-phone.js, a redirect for a plain form). Its
    `key` makes a retry count once; the write holds the database's lock only for itself."""
    session, participant, refused = joined_or_refused(code)
    if refused is not None:
        return refused
    assert participant is not None
    item_id = request.form.get("item", type=int) or 0
    key = request.form.get("key", "")
    try:
        with write_transaction():
            db.session.expire(session)  # read again inside the write: the phase may have moved
            ack = live.answer(participant, item_id, request.form, key, utcnow())
    except LiveError as error:
        if _wants_json():
            return jsonify(accepted=False, message=str(error)), 409
        flash(str(error), "error")
        return redirect(url_for(".phone", code=session.code))
    if _wants_json():
        return jsonify(ack.as_dict())
    if ack.duplicate:
        flash(_("Your first answer to this question counts."), "info")
    return redirect(url_for(".phone", code=session.code))
