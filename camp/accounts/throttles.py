"""Limits on guessing: logins, join codes and the current password on /account.

Only failures count, so that a room of students behind one public address (a camp's
Wi-Fi) all get in. Each failure is counted twice: per account and address, with a low
limit (one address hammering one account), and per address alone, with a ceiling a
room's typos never reach (one address spraying many accounts). A view marks a failure
with `failed()`; the counts live in the limiter's store (a file shared by `camp up`'s
workers, or Redis for several hosts). The figures are settings (see the README).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import current_app, g, request
from flask_babel import LazyString  # type: ignore[import-untyped]
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from werkzeug.wrappers import Response

from camp.accounts.current import current_user
from camp.extensions import rate_limit

F = TypeVar("F", bound=Callable[..., object])
_FLAG = "_camp_guess_failed"


def failed() -> None:
    """This request's guess was wrong: it counts towards the limits of its view."""
    setattr(g, _FLAG, True)


def _failed(_response: Response) -> bool:
    return bool(g.get(_FLAG))


def _per_minute(setting: str) -> Callable[[], str]:
    return lambda: f"{current_app.config[setting]} per minute"


def _address_and_email() -> str:
    email = request.form.get("email", "").strip().lower()
    return f"{get_remote_address()}|{email}"


def _account() -> str:
    # The account, not the session token: that changes with the session generation.
    return f"user:{current_user.id if current_user.is_authenticated else '-'}"


def _limits(*limits: tuple[str, Callable[[], str]], message: LazyString) -> Callable[[F], F]:
    """A limit on failures for each (setting, key): the setting gives the count a minute.
    The message is translated when a limit is hit (the limiter keeps a callable, not a lazy
    string)."""

    def decorate(view: F) -> F:
        for setting, key in limits:
            view = rate_limit(
                _per_minute(setting),
                key_func=key,
                methods=["POST"],
                deduct_when=_failed,
                error_message=lambda: str(message),
            )(view)
        return view

    return decorate


login_limits = _limits(
    ("LOGIN_FAILURES_PER_MINUTE", _address_and_email),
    ("LOGIN_FAILURES_PER_ADDRESS_PER_MINUTE", get_remote_address),
    message=_l("Too many failed logins; wait a minute and try again."),
)
join_limits = _limits(
    ("JOIN_FAILURES_PER_MINUTE", _address_and_email),
    ("JOIN_FAILURES_PER_ADDRESS_PER_MINUTE", get_remote_address),
    message=_l(
        "Too many wrong join codes; wait a minute, then check the code with your organiser."
    ),
)
# The current password is asked of a logged-in user: count per account, wherever from.
password_check_limits = _limits(
    ("LOGIN_FAILURES_PER_MINUTE", _account),
    message=_l("Too many wrong passwords; wait a minute and try again."),
)
