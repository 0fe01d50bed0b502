"""Signed-cookie sessions (camp.sessions): a login survives a key rotation through
SECRET_KEY_FALLBACKS, and a cookie that was tampered with or signed by an unknown key
logs nobody in."""

from __future__ import annotations

from flask import g

from camp.extensions import db
from tests.conftest import make_app


def _session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def _logged_in_client(app, user):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
    g.pop("_login_user", None)
    return client


def _account_status(app, cookie: str) -> int:
    client = app.test_client()
    client.set_cookie("session", cookie)
    g.pop("_login_user", None)
    return client.get("/account").status_code


def test_a_login_survives_a_key_rotation_and_an_unknown_key_logs_nobody_in(
    app, make, database_url, tmp_path
):
    cookie = _session_cookie(_logged_in_client(app, make.user()))
    assert _account_status(app, cookie) == 200

    rotated = make_app(
        database_url, tmp_path, SECRET_KEY="new-secret", SECRET_KEY_FALLBACKS=["test-secret"]
    )
    forgotten = make_app(database_url, tmp_path, SECRET_KEY="new-secret")
    try:
        assert _account_status(rotated, cookie) == 200
        assert _account_status(forgotten, cookie) == 302  # to the login page
    finally:
        for other in (rotated, forgotten):  # their connections must not outlive the test
            with other.app_context():
                db.engine.dispose()


def test_a_tampered_cookie_logs_nobody_in(app, make):
    cookie = _session_cookie(_logged_in_client(app, make.user()))
    payload, signature = cookie.rsplit(".", 1)
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    assert _account_status(app, f"{payload}.{flipped}") == 302
