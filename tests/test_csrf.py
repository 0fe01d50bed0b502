"""CSRF checks (camp.forms.CampCSRFProtect): a token Camp signed for this very session
passes at once; every other token still goes through Flask-WTF's full check."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from camp.extensions import db
from tests.conftest import make_app


def _token(client) -> str:
    page = client.get("/modules").get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


@pytest.fixture
def own_app(database_url, tmp_path, app):
    """An app of its own, so each request gets its own `g`, as under `camp up`."""
    other: Flask = make_app(database_url, tmp_path)
    yield other
    with other.app_context():
        db.engine.dispose()


def _logged_in(own_app, user):
    client = own_app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client


def test_the_sessions_own_token_passes_and_others_do_not(own_app, make):
    alice = _logged_in(own_app, make.user())
    bob = _logged_in(own_app, make.user())
    alice_token, bob_token = _token(alice), _token(bob)
    assert alice_token != bob_token

    assert bob.post("/logout", data={"csrf_token": alice_token}).status_code == 400
    assert bob.post("/logout", data={}).status_code == 400
    payload, signature = bob_token.rsplit(".", 1)
    tampered = f"{payload}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"
    assert bob.post("/logout", data={"csrf_token": tampered}).status_code == 400

    response = alice.post("/logout", data={"csrf_token": alice_token})
    assert response.status_code == 302 and response.location.endswith("/login")


def test_https_still_checks_the_referrer(own_app, make):
    client = _logged_in(own_app, make.user())
    token = _token(client)
    https = {"base_url": "https://localhost"}
    assert client.post("/logout", data={"csrf_token": token}, **https).status_code == 400
    response = client.post(
        "/logout",
        data={"csrf_token": token},
        headers={"Referer": "https://localhost/modules"},
        **https,
    )
    assert response.status_code == 302
