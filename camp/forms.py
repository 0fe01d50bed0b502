"""Form pieces shared by every area: the button-only form that still carries CSRF, a list
of checkboxes, and the CSRF token and its check."""

from __future__ import annotations

import hmac
from typing import Any

from flask import current_app, g, request, session
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFProtect, generate_csrf
from markupsafe import Markup
from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

from camp import caches

# Signed tokens by (secret, field name, session token); cleared when it grows past this.
_SIGNED_TOKENS_MAX = 10_000
_signed_tokens: dict[tuple[object, ...], str] = {}


def _field_name() -> str:
    return current_app.config.get("WTF_CSRF_FIELD_NAME") or "csrf_token"


def _memo_key(field: str) -> tuple[object, ...] | None:
    """(secret, field name, session token), or None when signing must go to Flask-WTF."""
    config = current_app.config
    raw = session.get(field)
    if raw is None or config.get("WTF_CSRF_TIME_LIMIT") is not None:
        return None
    return (config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key, field, raw)


def csrf_token() -> str:
    """The signed CSRF token of this session, as Flask-WTF's `generate_csrf` makes it.

    Why remember it: signing builds a serializer and an HMAC for every page (~5% of a
    question page). A session's token never changes, and with ``WTF_CSRF_TIME_LIMIT``
    unset the signature's timestamp is never checked, so the token signed at a session's
    first page stays valid for all of them. A missing session token, another secret or
    a time limit goes to Flask-WTF as before.
    """
    field = _field_name()
    if field in g:
        return g.get(field)
    memo = _memo_key(field)
    signed = _signed_tokens.get(memo) if memo is not None else None
    if signed is None:
        signed = generate_csrf()  # gives the session its token if it had none
        memo = _memo_key(field)
        if memo is not None:
            if len(_signed_tokens) >= _SIGNED_TOKENS_MAX:
                _signed_tokens.clear()
            _signed_tokens[memo] = signed
    setattr(g, field, signed)
    return signed


def rotate_csrf_token() -> None:
    """Forget this session's CSRF token: the next page gets a new one (at login, so that a
    token seen before it, on a shared computer or planted by someone, is worth nothing)."""
    field = _field_name()
    session.pop(field, None)
    g.pop(field, None)


def _signed_here(token: str | None) -> bool:
    """True when `token` is the one `csrf_token` signed for this session with this secret:
    its signature was made here, and it carries this session's token."""
    memo = _memo_key(_field_name())
    signed = _signed_tokens.get(memo) if memo is not None else None
    return bool(token) and signed is not None and hmac.compare_digest(signed, str(token))


class CampCSRFProtect(CSRFProtect):
    """Flask-WTF's CSRF protection, which first recognises the tokens Camp signed itself.

    Why: checking a token builds a serializer and an HMAC and decodes it (~7% of an answer
    save). A token equal to the one signed for this very session and secret needs none of
    that. Anything else (another token, a missing one, HTTPS with the strict referrer
    check) takes Flask-WTF's full check, unchanged.
    """

    def protect(self, *args: Any, **kwargs: Any) -> None:
        # Any arguments (Flask-WTF 1.3's apply_exemptions) are Flask-WTF's own, passed on:
        # a token signed here is valid whether or not the view is exempt.
        config = current_app.config
        strict_referrer = request.is_secure and config["WTF_CSRF_SSL_STRICT"]
        if (
            request.method in config["WTF_CSRF_METHODS"]
            and not strict_referrer
            and _signed_here(self._get_csrf_token())
        ):
            g.csrf_valid = True  # what Flask-WTF records after its own check
            return
        super().protect(*args, **kwargs)


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
        return csrf_input()


def csrf_input() -> Markup:
    """The hidden CSRF input as WTForms renders it, with this session's token."""
    # Adding to Markup escapes the token (cheaper than format).
    return _TOKEN_INPUT_START + csrf_token() + _TOKEN_INPUT_END


caches.register_mapping("signed CSRF tokens", _signed_tokens)


class CheckboxList(SelectMultipleField):
    """Several choices as checkboxes (a list a screen reader reads as a group)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
