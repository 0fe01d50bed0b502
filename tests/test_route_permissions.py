"""Every rule in app.url_map, walked as each kind of user: a new route nobody classified fails.

Each endpoint is classified once below. The test fills URL arguments from a small world
(one cohort run by organiser A, a student in it, organiser B running another cohort).
"""

from __future__ import annotations

import pytest

from camp.accounts.models import Role

PUBLIC = "public"  # anyone, logged in or not
LOGGED_IN = "logged_in"  # any logged-in user
ORGANISER = "organiser"  # organisers and admins
COHORT = "cohort"  # admins and the organisers who run that cohort
ADMIN = "admin"  # admins only

ACCESS: dict[str, str] = {
    "static": PUBLIC,
    "accounts.index": PUBLIC,
    "accounts.login": PUBLIC,
    "accounts.logout": PUBLIC,
    "accounts.join": PUBLIC,
    "accounts.dashboard": LOGGED_IN,
    "accounts.account": LOGGED_IN,
    "organiser.home": ORGANISER,
    "organiser.cohorts": ORGANISER,
    "organiser.cohort": COHORT,
    "organiser.regenerate_code": COHORT,
    "organiser.remove_member": COHORT,
    "organiser.add_students": COHORT,
    "admin.home": ADMIN,
    "admin.users": ADMIN,
    "admin.toggle_active": ADMIN,
    "lessons.modules": LOGGED_IN,
    "lessons.lesson": LOGGED_IN,
    "lessons.mark_read": LOGGED_IN,
}

VISITORS = ["anonymous", "student", "organiser", "other_organiser", "admin"]

ALLOWED = {
    PUBLIC: set(VISITORS),
    LOGGED_IN: {"student", "organiser", "other_organiser", "admin"},
    ORGANISER: {"organiser", "other_organiser", "admin"},
    COHORT: {"organiser", "admin"},
    ADMIN: {"admin"},
}


@pytest.fixture
def app_config():
    # Forms post empty here; CSRF has its own tests.
    return {"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False}


@pytest.fixture
def world(app, make):
    organiser = make.user(Role.ORGANISER)
    other = make.user(Role.ORGANISER)
    admin = make.user(Role.ADMIN)
    student = make.user()
    cohort = make.cohort("Run by A", organiser=organiser)
    make.cohort("Run by B", organiser=other)
    make.member(cohort, student)
    spare = make.user()
    make.member(cohort, spare)
    module = make.module()
    return {
        "users": {
            "student": student,
            "organiser": organiser,
            "other_organiser": other,
            "admin": admin,
        },
        "args": {
            "cohort_id": cohort.id,
            "user_id": spare.id,
            "filename": "camp.css",
            "slug": module.slug,
        },
    }


def _rules(app):
    return [rule for rule in app.url_map.iter_rules()]


def test_every_route_is_classified(app):
    unclassified = sorted({r.endpoint for r in _rules(app)} - ACCESS.keys())
    assert not unclassified, f"classify these endpoints in ACCESS: {unclassified}"


@pytest.mark.parametrize("visitor", VISITORS)
def test_route_access_matrix(app, client, login, world, visitor):
    failures = []
    if visitor != "anonymous":
        login(world["users"][visitor])
    for rule in _rules(app):
        kind = ACCESS.get(rule.endpoint)
        if kind is None:
            continue
        missing = set(rule.arguments) - world["args"].keys()
        assert not missing, f"{rule.rule}: give a sample value for {missing}"
        url = rule.build(world["args"])[1]
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(url, method=method)
        status = response.status_code
        response.close()
        allowed = visitor in ALLOWED[kind]
        if allowed:
            ok = status < 400 or status == 400  # 400: an empty form re-rendered with errors
            if visitor != "anonymous" and status == 302 and "/login" in response.location:
                ok = False
        elif visitor == "anonymous":
            ok = status == 302 and response.location.startswith("/login?next=")
        else:
            ok = status == 403
        if not ok:
            failures.append(f"{method} {url} as {visitor}: {status}")
        if visitor != "anonymous" and rule.endpoint == "accounts.logout":
            login(world["users"][visitor])
    assert not failures, "\n".join(failures)
