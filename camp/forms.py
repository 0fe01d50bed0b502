"""Form pieces shared by every area: the button-only form that still carries CSRF."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup


class ActionForm(FlaskForm):
    """An empty form: a POST button (log out, remove, regenerate) still needs a CSRF token."""


_TOKEN_INPUT_START = Markup('<input id="csrf_token" name="csrf_token" type="hidden" value="')
_TOKEN_INPUT_END = Markup('">')


class TokenForm:
    """A button-only form's CSRF field, for pages that render it and never validate it.

    Why not an ActionForm: building one through WTForms costs ~0.1 ms a page just to print
    this one hidden input (the header's log-out button is on every page; a question page
    is requested by a whole room at once). The token is the session's own, the one
    CSRFProtect checks on the POST, so nothing about the check changes.
    """

    def hidden_tag(self) -> Markup:
        # What WTForms renders; adding to Markup escapes the token (cheaper than format).
        return _TOKEN_INPUT_START + generate_csrf() + _TOKEN_INPUT_END
