"""Error pages (400/403/404/409/413/429/500); a 500 rolls the database session back."""

from __future__ import annotations

from flask import Flask, g, render_template
from flask_babel import LazyString, force_locale  # type: ignore[import-untyped]
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from camp.extensions import db
from camp.locales import HTML_LANG, known_locale

_MESSAGES: dict[int, LazyString] = {
    400: _l("The request could not be understood. Go back, reload the page and try again."),
    403: _l("You do not have permission to see this page."),
    404: _l("There is nothing at this address."),
    405: _l("That action is not allowed here."),
    409: _l("That could not be done because something changed meanwhile. Reload and try again."),
    413: _l("The file is too large."),
    429: _l("Too many tries. Wait a minute and try again."),
    500: _l("Something went wrong on our side. Your saved work is safe; try again in a moment."),
}


def _plain_500(locale: str) -> str:
    """The page sent when errors/error.html cannot be rendered, in `locale`."""
    with force_locale(locale):
        return (
            f'<!doctype html><html lang="{HTML_LANG[locale]}"><meta charset="utf-8">'
            f"<title>{_('Error %(code)s', code=500)}</title>"
            f"<h1>500: {_('Server error')}</h1><p>{_MESSAGES[500]}</p>"
            f'<p><a href="/">{_("Go to your home page")}</a></p></html>'
        )


def render_error(code: int, message: str | None = None) -> tuple[str, int]:
    return (
        render_template(
            "errors/error.html", code=code, message=message or _MESSAGES.get(code, _("Error."))
        ),
        code,
    )


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        return render_error(
            400,
            _("This form has expired or was not sent from Camp. Reload the page and try again."),
        )

    @app.errorhandler(413)
    def too_large(error: HTTPException) -> tuple[str, int]:
        limit_mb = app.config["MAX_CONTENT_LENGTH"] / (1024 * 1024)
        return render_error(
            413, _("The upload is larger than the %(limit)s MB limit.", limit=f"{limit_mb:g}")
        )

    @app.errorhandler(429)
    def too_many(error: HTTPException) -> tuple[str, int]:
        return render_error(429, error.description or None)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int] | HTTPException:
        if error.code is None or error.code < 400:
            return error
        # A view's own reason (abort(403, "...")) is shown; Werkzeug's stock text is not.
        own = error.description if error.description != type(error).description else None
        return render_error(error.code, own)

    @app.errorhandler(500)
    def server_error(error: Exception) -> tuple[str, int]:
        db.session.rollback()
        try:
            return render_error(500)
        except Exception:
            # The page's header reads the user: with the database down that fails again,
            # and without this the browser got no page and no security headers at all.
            app.logger.exception("The error page could not be rendered; sent a plain one")
            # In the request's language if it was already chosen (choosing it reads the
            # user, which may be what failed), else in English.
            locale = known_locale(g.get("camp_locale") or app.config.get("CAMP_DEFAULT_LOCALE"))
            return _plain_500(locale or "en"), 500
