"""Strict-Transport-Security: sent on every response when Camp runs behind HTTPS
(CAMP_SECURE_COOKIES=true), and never otherwise, since over plain HTTP it would lock
browsers out of a site that has no certificate."""

from __future__ import annotations

import pytest

HSTS = "Strict-Transport-Security"
# What _responses gets: the header must not depend on the kind of response.
STATUSES = [200, 302, 200, 400, 404, 404]


@pytest.fixture
def app_config(request, monkeypatch):
    """The operator's switch, set the way a deployment sets it (see camp.config)."""
    secure = getattr(request, "param", None)
    if secure is None:
        monkeypatch.delenv("CAMP_SECURE_COOKIES", raising=False)
    else:
        monkeypatch.setenv("CAMP_SECURE_COOKIES", secure)
    # An error becomes the 500 page a browser would get, headers and all.
    return {"PROPAGATE_EXCEPTIONS": False}


def _responses(client, make, login, scheme):
    """The headers of a page, a redirect, a static file, a refused form, a missing page
    and a missing attempt (logged in), each as (path, status, headers)."""
    requests = [
        ("GET", "/login"),
        ("GET", "/home"),
        ("GET", "/static/camp.css"),
        ("POST", "/login"),
        ("GET", "/no-such-page"),
        ("GET", "/attempts/1"),
    ]
    for method, path in requests:
        if path.startswith("/attempts"):
            login(make.user())
        response = client.open(path, method=method, base_url=f"{scheme}://localhost")
        response.close()
        yield path, response.status_code, response.headers


@pytest.mark.parametrize("app_config", ["true", "1"], indirect=True)
def test_https_deployments_send_hsts_on_every_response(app, client, make, login):
    assert app.config["SESSION_COOKIE_SECURE"] is True
    seen = []
    for path, status, headers in _responses(client, make, login, "https"):
        assert headers.get(HSTS) == "max-age=31536000; includeSubDomains", (path, status)
        seen.append(status)
    assert seen == STATUSES


@pytest.mark.parametrize("app_config", [None, "false"], indirect=True)
def test_plain_http_deployments_never_send_hsts(app, client, make, login):
    assert app.config["SESSION_COOKIE_SECURE"] is False
    seen = []
    for path, status, headers in _responses(client, make, login, "http"):
        assert HSTS not in headers, (path, status)
        seen.append(status)
    assert seen == STATUSES
