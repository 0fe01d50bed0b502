"""Sessions end when they should: a copied cookie dies with logout, a password change or
reset, a deactivation or "Log out everywhere", and the CSRF token changes at login."""

from __future__ import annotations

import re

import pytest

from camp.accounts.models import Role
from tests.accounts.test_views import csrf_token, post_login
from tests.factories import PASSWORD


def _copy_session(source, target):
    cookie = source.get_cookie("session")
    assert cookie is not None, "the source browser has no session cookie"
    target.set_cookie("session", cookie.value)
    return target


@pytest.fixture
def second_browser(app):
    return app.test_client()


def _logged_in(client) -> bool:
    return client.get("/progress").status_code == 200


def test_a_cookie_copied_before_logout_is_refused_after_it(client, second_browser, make):
    student = make.user()
    post_login(client, student.email, PASSWORD)
    stolen = _copy_session(client, second_browser)
    assert _logged_in(stolen)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/logout")})
    assert not _logged_in(client)
    response = stolen.get("/progress")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_a_password_change_logs_out_other_browsers_but_not_this_one(client, second_browser, make):
    student = make.user()
    post_login(client, student.email, PASSWORD)
    post_login(second_browser, student.email, PASSWORD)
    token = csrf_token(client, "/account")
    response = client.post(
        "/account",
        data={
            "current_password": PASSWORD,
            "new_password": "mulberry lantern quietly",
            "confirm_password": "mulberry lantern quietly",
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    assert _logged_in(client)
    assert not _logged_in(second_browser)


def test_a_reset_by_the_organiser_ends_the_students_sessions(client, second_browser, make):
    organiser = make.user(Role.ORGANISER)
    cohort = make.cohort("Mine", organiser=organiser)
    student = make.user()
    make.member(cohort, student)
    post_login(second_browser, student.email, PASSWORD)
    assert _logged_in(second_browser)
    post_login(client, organiser.email, PASSWORD)
    token = csrf_token(client, f"/organiser/cohorts/{cohort.id}")
    page = client.post(
        f"/organiser/cohorts/{cohort.id}/members/{student.id}/reset-password",
        data={"csrf_token": token},
    ).get_data(as_text=True)
    assert re.search(r"<code>[A-Z0-9-]{14}</code>", page)
    assert not _logged_in(second_browser)


def test_deactivation_ends_sessions_and_reactivation_does_not_revive_them(
    client, second_browser, make
):
    admin = make.user(Role.ADMIN)
    student = make.user()
    post_login(second_browser, student.email, PASSWORD)
    cookie_before = second_browser.get_cookie("session").value
    post_login(client, admin.email, PASSWORD)
    token = csrf_token(client, "/admin/users")
    client.post(f"/admin/users/{student.id}/active", data={"csrf_token": token})
    client.post(f"/admin/users/{student.id}/active", data={"csrf_token": token})  # back on
    second_browser.set_cookie("session", cookie_before)
    assert not _logged_in(second_browser)


def test_log_out_everywhere_ends_every_session(client, second_browser, make):
    student = make.user()
    post_login(client, student.email, PASSWORD)
    post_login(second_browser, student.email, PASSWORD)
    page = client.get("/account").get_data(as_text=True)
    assert "Log out everywhere" in page
    token = csrf_token(client, "/account")
    response = client.post("/account/logout-everywhere", data={"csrf_token": token})
    assert response.status_code == 302 and response.location.startswith("/login")
    assert not _logged_in(client)
    assert not _logged_in(second_browser)
    # Logging in again works as usual.
    post_login(second_browser, student.email, PASSWORD)
    assert _logged_in(second_browser)


def test_the_csrf_token_changes_at_login_and_the_old_one_stops_working(client, make):
    student = make.user()
    before = csrf_token(client, "/login")
    response = client.post(
        "/login", data={"email": student.email, "password": PASSWORD, "csrf_token": before}
    )
    assert response.status_code == 302
    after = csrf_token(client, "/account")
    assert after != before
    stale = client.post("/logout", data={"csrf_token": before})
    assert stale.status_code == 400
    assert _logged_in(client)
