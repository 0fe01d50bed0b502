"""Form pieces shared by every area: the button-only form that still carries CSRF."""

from __future__ import annotations

from flask_wtf import FlaskForm


class ActionForm(FlaskForm):
    """An empty form: a POST button (log out, remove, regenerate) still needs a CSRF token."""
