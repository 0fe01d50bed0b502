"""/healthz, a load balancer's health check: 200 while the database answers, 503 when not."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from camp.extensions import db


def test_healthz_is_ok_for_anyone_without_a_session(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "ratelimit_store": "ok"}
    assert "Set-Cookie" not in response.headers
    assert client.head("/healthz").status_code == 200


def test_healthz_is_503_when_the_database_does_not_answer(client, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"
    assert response.get_json()["status"] == "unavailable"
