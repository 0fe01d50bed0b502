"""The login limiter with its store (Redis) unreachable: logins and failed logins go on,
never a 500, failed logins are counted in the process's memory instead, and the log says
so once, naming the store; /healthz reports the store without failing the host. (The
two-host tests stop a real Redis and start it again: tests/scaleout/test_limits.py.)"""

from __future__ import annotations

import logging

import pytest

from camp.ratelimit_outage import shown_store, storage_uri
from tests.accounts.test_views import post_login
from tests.factories import PASSWORD
from tests.support.server import free_port

DOWN = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there


@pytest.fixture
def app_config():
    return {"RATELIMIT_STORAGE_URI": DOWN}


def test_logins_work_and_failures_count_per_process_while_the_store_is_down(app, make, caplog):
    student = make.user()
    browser = app.test_client()
    with caplog.at_level(logging.INFO, logger="camp.ratelimit"):
        statuses = [post_login(browser, student.email, f"guess {n}").status_code for n in range(11)]
        assert statuses == [200] * 10 + [429]
        assert post_login(app.test_client(), make.user().email, PASSWORD).status_code == 302
    said = [r for r in caplog.records if r.name == "camp.ratelimit"]
    assert len(said) == 1 and said[0].levelno == logging.WARNING
    assert (
        said[0]
        .getMessage()
        .startswith(
            "The rate-limit store redis://127.0.0.1:"
            + DOWN.rsplit(":", 1)[1]
            + " cannot be reached."
        )
    )
    assert "Logins still work" in said[0].getMessage()


def test_healthz_reports_the_store_but_stays_up_without_it(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ok",
        "database": "ok",
        "ratelimit_store": "unreachable",
    }
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


def test_redis_uris_get_timeouts_unless_they_set_their_own():
    assert storage_uri("redis://h:6379/0") == (
        "redis://h:6379/0?socket_timeout=1&socket_connect_timeout=1"
    )
    assert storage_uri("rediss://h/0?socket_timeout=5") == (
        "rediss://h/0?socket_timeout=5&socket_connect_timeout=1"
    )
    assert storage_uri("memory://") == "memory://"
    assert (
        storage_uri("camp+sqlite:////x/ratelimit.sqlite3") == "camp+sqlite:////x/ratelimit.sqlite3"
    )


def test_a_logged_store_never_shows_its_password():
    assert shown_store("redis://:s3cret@cache:6379/2?socket_timeout=1") == (
        "redis://:***@cache:6379/2"
    )
    assert shown_store("redis://camp:s3cret@cache/0") == "redis://camp:***@cache/0"
