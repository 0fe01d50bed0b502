"""Flask extension singletons, created here and bound to an app in ``register_extensions``."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from werkzeug.local import LocalProxy

from camp.db import Base
from camp.forms import CampCSRFProtect
from camp.paths import MIGRATIONS_DIR

db = SQLAlchemy(model_class=Base)
if TYPE_CHECKING:
    # The models' base class. A checker cannot take a base class from an attribute
    # (db.Model), so to it the base is `Base`, which db.Model is built from at run time.
    Model = Base
else:
    Model = db.Model
migrate = Migrate(directory=str(MIGRATIONS_DIR))
login_manager = LoginManager()
csrf = CampCSRFProtect()
# When the store (Redis) does not answer, count in each process's memory and log the error
# rather than fail the request: logins go on (camp.ratelimit_outage says so in the log).
limiter = Limiter(key_func=get_remote_address, in_memory_fallback_enabled=True, swallow_errors=True)
F = TypeVar("F", bound=Callable[..., Any])


def rate_limit(limit_value: Callable[[], str] | str, **options: Any) -> Callable[[F], F]:
    """`limiter.limit`, and the mark that makes the limiter look at this view at all.

    Why: Camp sets no default or application-wide limits, yet Flask-Limiter worked out
    which limits apply on every request, before and after it (36 µs of a 430 µs question
    page, in process). Its hooks run only for views with this mark
    (`_only_for_limited_views`), so a limited view must use this decorator.
    """

    def decorate(view: F) -> F:
        limited = limiter.limit(limit_value, **options)(view)
        limited._camp_rate_limited = True  # type: ignore[attr-defined]  # a mark on a function
        return cast(F, limited)

    return decorate


def _view_is_limited() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "_camp_rate_limited", False)


def _only_for_limited_views(app: Flask, limiter: Limiter) -> None:
    """Make the three hooks Flask-Limiter's init_app added (check the limits before the
    view; deduct failures and add headers after it; forget the request's limits at
    teardown) run only for views marked by `rate_limit`. Starting fails loudly if they
    are not found as expected, rather than leave the logins unlimited."""

    def ours(hook: Any) -> bool:
        return getattr(hook, "__self__", None) is limiter or (
            isinstance(hook, functools.partial) and hook.args[:1] == (limiter,)
        )

    def guarded(hook: Callable[..., Any], *, after: bool) -> Callable[..., Any]:
        @functools.wraps(hook)
        def run_if_limited(*args: Any) -> Any:
            if _view_is_limited():
                return hook(*args)
            return args[0] if after else None  # an after-request hook hands the response on

        return run_if_limited

    found = 0
    for hooks in (app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs):
        chain = hooks.get(None, [])
        for index, hook in enumerate(chain):
            if ours(hook):
                chain[index] = guarded(hook, after=hooks is app.after_request_funcs)
                found += 1
    if found != (3 if limiter.enabled else 0):  # a disabled limiter adds none
        raise RuntimeError(
            f"Flask-Limiter registered {found} of its 3 request hooks where Camp looks for "
            "them; camp.extensions._only_for_limited_views must follow its new version"
        )


def current_app_object() -> Flask:
    """The application behind the `current_app` proxy, to hand to another thread. (Flask
    types the proxy as the application itself, which hides the proxy's own method.)"""
    return cast("LocalProxy[Flask]", current_app)._get_current_object()


def register_extensions(app: Flask) -> None:
    from camp.ratelimit_outage import register_outage_log
    from camp.sessions import CampSessionInterface

    app.session_interface = CampSessionInterface()
    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    _only_for_limited_views(app, limiter)
    register_outage_log(app, limiter)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"


__all__ = ["Model", "csrf", "db", "limiter", "login_manager", "migrate"]
