"""Signed-cookie sessions (camp.sessions): a login survives a key rotation through
SECRET_KEY_FALLBACKS, a cookie that was tampered with or signed by an unknown key
logs nobody in, and forms still post after a rotation (the CSRF token memo)."""

from __future__ import annotations

import re

from camp.extensions import db
from tests.conftest import make_app


def _session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def _logged_in_client(app, user):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client


def _account_status(app, cookie: str) -> int:
    client = app.test_client()
    client.set_cookie("session", cookie)
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


def _page_token(app, cookie: str) -> tuple[str, str]:
    """The CSRF token a page prints for this session, and the session cookie after it."""
    client = app.test_client()
    client.set_cookie("session", cookie)
    page = client.get("/modules").get_data(as_text=True)  # a page with no WTForms form
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    return token, _session_cookie(client)


def test_forms_work_after_a_key_rotation(app, make, database_url, tmp_path):
    """Pages print each session's signed CSRF token from a memo (camp.forms.csrf_token):
    a token signed with the old key must not be printed once the key has changed."""
    cookie = _session_cookie(_logged_in_client(app, make.user()))
    # Apps of their own, so each request has its own `g`, as under `camp up`.
    old = make_app(database_url, tmp_path)
    rotated = make_app(
        database_url, tmp_path, SECRET_KEY="new-secret", SECRET_KEY_FALLBACKS=["test-secret"]
    )
    try:
        old_token, cookie = _page_token(old, cookie)
        assert _page_token(old, cookie)[0] == old_token  # the session keeps its token
        new_token, cookie = _page_token(rotated, cookie)
        assert new_token != old_token
        client = rotated.test_client()
        client.set_cookie("session", cookie)
        response = client.post("/logout", data={"csrf_token": new_token})
        assert response.status_code == 302 and response.location.endswith("/login")
    finally:
        for other in (old, rotated):  # their connections must not outlive the test
            with other.app_context():
                db.engine.dispose()


def test_a_remembered_cookie_still_expires(app, make, monkeypatch):
    """Checked cookies are remembered (camp.sessions): one past the session lifetime,
    counted from when it was signed, must log nobody in, as Flask's own check does."""
    import time

    cookie = _session_cookie(_logged_in_client(app, make.user()))
    assert _account_status(app, cookie) == 200
    assert _account_status(app, cookie) == 200  # remembered now
    lifetime = app.permanent_session_lifetime.total_seconds()
    later = time.time() + lifetime + 60
    monkeypatch.setattr(time, "time", lambda: later)
    assert _account_status(app, cookie) == 302  # to the login page


def test_a_flashed_message_shows_once(app, client, login, make):
    """A session holding a list (flashed messages) is never shared between requests."""
    login(make.user())
    page = client.get("/modules").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/logout", data={"csrf_token": token})  # "You are logged out." is flashed
    first = client.get("/login").get_data(as_text=True)
    second = client.get("/login").get_data(as_text=True)
    assert "You are logged out." in first and "You are logged out." not in second
