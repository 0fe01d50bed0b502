"""Error pages (400/403/404/409/413/429/500); a 500 rolls the database session back."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from camp.extensions import db

_MESSAGES = {
    400: "The request could not be understood. Go back, reload the page and try again.",
    403: "You do not have permission to see this page.",
    404: "There is nothing at this address.",
    405: "That action is not allowed here.",
    409: "That could not be done because something changed meanwhile. Reload and try again.",
    413: "The file is too large.",
    429: "Too many tries. Wait a minute and try again.",
    500: "Something went wrong on our side. Your saved work is safe; try again in a moment.",
}


_PLAIN_500 = (
    '<!doctype html><html lang="en"><meta charset="utf-8"><title>Error 500</title>'
    f"<h1>500: Server error</h1><p>{_MESSAGES[500]}</p>"
    '<p><a href="/">Go to your home page</a></p></html>'
)


def render_error(code: int, message: str | None = None) -> tuple[str, int]:
    return (
        render_template(
            "errors/error.html", code=code, message=message or _MESSAGES.get(code, "Error.")
        ),
        code,
    )


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        return render_error(
            400,
            "This form has expired or was not sent from Camp. Reload the page and try again.",
        )

    @app.errorhandler(413)
    def too_large(error: HTTPException) -> tuple[str, int]:
        limit_mb = app.config["MAX_CONTENT_LENGTH"] / (1024 * 1024)
        return render_error(413, f"The upload is larger than the {limit_mb:g} MB limit.")

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
            return _PLAIN_500, 500
