"""The logged-in user of this request, typed: Camp's code reads it here, not from
Flask-Login (untyped: to a type checker its `current_user` is anything at all).

`current_user` is what a view behind `login_required` may read and hand to services: a
`CampUser`, whichever class Flask-Login loaded (`accounts.views.load_user`: a `RowUser`
on the hot attempt views, else the ORM `User`). A view that changes the account itself
takes `current_account()`, the ORM `User`, and fails loudly on a hot view.
"""

from __future__ import annotations

import flask_login
from flask import request

from camp.accounts.identity import CampUser
from camp.accounts.models import User

# Flask-Login's proxy itself, typed. Before anyone has logged in it stands for Flask-Login's
# anonymous user, which has `is_authenticated` (False) and nothing else of a CampUser: a
# view open to everyone checks that first (or uses `logged_in_user`).
current_user: CampUser = flask_login.current_user


def logged_in_user() -> CampUser | None:
    """The logged-in user, or None when nobody is (one look through the proxy)."""
    user: CampUser = flask_login.current_user._get_current_object()
    return user if user.is_authenticated else None


def current_account() -> User:
    """The logged-in user as the ORM `User`, for a view that changes the account or reads
    what only the ORM row has (the password hash, memberships). Every endpoint but
    `session_user.ROW_USER_ENDPOINTS` loads that."""
    user = flask_login.current_user._get_current_object()
    if not isinstance(user, User):
        raise TypeError(f"{request.endpoint} does not load the user as a User: {user!r}")
    return user
