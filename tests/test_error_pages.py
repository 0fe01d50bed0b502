"""When the database fails, the error page still reaches the browser, with its headers."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from camp.accounts import views as account_views


@pytest.fixture
def app_config():
    return {"PROPAGATE_EXCEPTIONS": False}  # as in production: errors become pages


def _database_down(*_args, **_kwargs):
    raise OperationalError("SELECT ...", {}, Exception("could not connect to server"))


@pytest.mark.parametrize("path", ["/attempts/1", "/progress"])
def test_a_failing_database_still_gives_a_500_page_with_security_headers(
    app, client, login, make, monkeypatch, path
):
    login(make.user())
    monkeypatch.setattr(account_views, "load_row_user", _database_down)
    monkeypatch.setattr(account_views.db.session, "get", _database_down)
    response = client.get(path)
    assert response.status_code == 500
    assert "Your saved work is safe" in response.get_data(as_text=True)
    assert "Content-Security-Policy" in response.headers
    assert response.headers["X-Frame-Options"] == "DENY"
