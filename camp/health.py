"""`GET /healthz`: whether this host can serve, for a load balancer's health check.

200 when the database answers a query, 503 when it does not (take the host out of the
pool). The body says what was checked: {"status": "ok" | "unavailable", "database": "ok" |
"unreachable", "ratelimit_store": "ok" | "unreachable"}. The rate-limit store (Redis) does
not decide the status: without it logins still work (camp.ratelimit_outage), and every
host shares it, so failing on it would take every host out at once. No login, no session
cookie, no rate limit, never cached.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from camp.extensions import db, limiter
from camp.ratelimit_outage import store_answers

bp = Blueprint("health", __name__)


def _database_answers() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return False
    return True


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    database = _database_answers()
    response = jsonify(
        status="ok" if database else "unavailable",
        database="ok" if database else "unreachable",
        ratelimit_store="ok" if store_answers(limiter) else "unreachable",
    )
    response.headers["Cache-Control"] = "no-store"
    return response, 200 if database else 503
