"""Login, join, account and cohort pages through the test client."""

from __future__ import annotations

import re

import pytest

from camp.accounts import services
from camp.accounts.models import Role
from camp.extensions import db
from tests.factories import PASSWORD


def csrf_token(client, url):
    page = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def post_login(client, email, password):
    token = csrf_token(client, "/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


def test_login_page_has_labelled_email_and_password_fields(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<label for="email">Email</label>' in page
    assert 'name="email"' in page and 'name="password"' in page


def test_good_login_opens_a_session_and_goes_home(client, make):
    user = make.user(Role.ORGANISER)
    response = post_login(client, user.email.upper(), PASSWORD)
    assert response.status_code == 302 and response.location == "/organiser/cohorts"
    assert client.get("/organiser/cohorts").status_code == 200


def test_wrong_password_rerenders_with_an_error_and_no_session(client, make):
    user = make.user()
    response = post_login(client, user.email, "not the password")
    assert response.status_code == 200
    assert "do not match an active account" in response.get_data(as_text=True)
    assert client.get("/account").status_code == 302


def test_post_without_csrf_token_gets_400(client, make):
    user = make.user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "Reload the page" in response.get_data(as_text=True)


def test_eleventh_failed_login_in_a_minute_gets_429(client, make):
    user = make.user()
    statuses = [post_login(client, user.email, f"wrong-{i}").status_code for i in range(11)]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
    # Even the right password is refused until the minute is over.
    assert post_login(client, user.email, PASSWORD).status_code == 429


def test_successful_logins_do_not_count_towards_the_limit(client, make):
    user = make.user()
    for _ in range(12):
        assert post_login(client, user.email, PASSWORD).status_code == 302
        client.post("/logout", data={"csrf_token": csrf_token(client, "/logout")})


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/account", "/account"),
        ("https://evil.example/", "/modules"),
        ("//evil.example/", "/modules"),
        ("/\\evil.example", "/modules"),
        ("javascript:alert(1)", "/modules"),
    ],
)
def test_only_local_next_targets_are_followed(client, make, next_url, expected):
    user = make.user()
    token = csrf_token(client, "/login")
    response = client.post(
        "/login",
        query_string={"next": next_url},
        data={"email": user.email, "password": PASSWORD, "csrf_token": token},
    )
    assert response.location == expected


def test_anonymous_users_are_sent_to_login_with_next(client):
    response = client.get("/account")
    assert response.status_code == 302
    assert response.location == "/login?next=%2Faccount"


def test_deactivated_user_cannot_log_in(client, make):
    user = make.user()
    services.set_active(user, False)
    db.session.commit()
    assert "do not match" in post_login(client, user.email, PASSWORD).get_data(as_text=True)


def test_student_joins_with_a_code_and_lands_in_the_cohort(client, make):
    cohort = make.cohort("Beijing 2024")
    token = csrf_token(client, "/join")
    response = client.post(
        "/join",
        data={
            "join_code": cohort.join_code.lower(),
            "display_name": "Wang Fang",
            "email": "wang@example.org",
            "password": "a-long-pass",
            "csrf_token": token,
        },
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Welcome, Wang Fang" in page and "Beijing 2024" in page


def test_join_with_a_wrong_code_keeps_what_was_typed(client, make):
    make.cohort()
    token = csrf_token(client, "/join")
    response = client.post(
        "/join",
        data={
            "join_code": "XXX-XXX",
            "display_name": "Wang Fang",
            "email": "wang@example.org",
            "password": "a-long-pass",
            "csrf_token": token,
        },
    )
    page = response.get_data(as_text=True)
    assert "That join code is not right" in page
    assert 'value="Wang Fang"' in page and 'value="wang@example.org"' in page
    assert services.find_user_by_email("wang@example.org") is None


def test_one_time_password_forces_a_change_before_anything_else(client, make):
    user = make.user(password="TEMP-PASS-1234", must_change_password=True)
    response = post_login(client, user.email, "TEMP-PASS-1234")
    assert client.get(response.location).location == "/account"
    token = csrf_token(client, "/account")
    response = client.post(
        "/account",
        data={
            "current_password": "TEMP-PASS-1234",
            "new_password": "my own secret",
            "confirm_password": "my own secret",
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    assert client.get("/home").status_code == 200
    assert services.authenticate(user.email, "my own secret") is not None


def test_change_password_mismatch_shows_the_message_by_the_field(client, make, login):
    user = make.user()
    login(user)
    token = csrf_token(client, "/account")
    page = client.post(
        "/account",
        data={
            "current_password": PASSWORD,
            "new_password": "new secret 1",
            "confirm_password": "new secret 2",
            "csrf_token": token,
        },
    ).get_data(as_text=True)
    assert "The two do not match." in page
    assert 'aria-describedby="confirm_password-error"' in page


def test_organiser_pastes_a_roster_and_sees_one_time_passwords_once(client, make, login):
    organiser = make.user(Role.ORGANISER)
    cohort = make.cohort("Autumn", organiser=organiser)
    login(organiser)
    url = f"/organiser/cohorts/{cohort.id}"
    token = csrf_token(client, url)
    response = client.post(
        f"{url}/students",
        data={
            "roster": "Ada Lovelace, ada@example.org\nAlan Turing, alan@example.org",
            "csrf_token": token,
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "shown <strong>only once</strong>" in page
    passwords = re.findall(r"<code>([A-Z0-9-]{14})</code>", page)
    assert len(passwords) == 2
    assert services.authenticate("ada@example.org", passwords[0]) is not None
    assert not any(p in client.get(url).get_data(as_text=True) for p in passwords)


def test_a_bad_roster_line_adds_nobody_and_keeps_the_text(client, make, login):
    organiser = make.user(Role.ORGANISER)
    cohort = make.cohort("Autumn", organiser=organiser)
    login(organiser)
    url = f"/organiser/cohorts/{cohort.id}"
    token = csrf_token(client, url)
    response = client.post(
        f"{url}/students",
        data={
            "roster": "Ada Lovelace, ada@example.org\nAlan Turing alan@example.org",
            "csrf_token": token,
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "line 2: write the name, a comma, then the email" in page
    assert "Ada Lovelace, ada@example.org" in page
    assert services.find_user_by_email("ada@example.org") is None


def test_organiser_sees_only_the_cohorts_they_run(client, make, login):
    mine = make.user(Role.ORGANISER)
    other = make.user(Role.ORGANISER)
    make.cohort("Mine", organiser=mine)
    theirs = make.cohort("Theirs", organiser=other)
    login(mine)
    page = client.get("/organiser/cohorts").get_data(as_text=True)
    assert "Mine" in page and "Theirs" not in page
    assert client.get(f"/organiser/cohorts/{theirs.id}").status_code == 403


def test_admin_creates_an_organiser_and_deactivates_a_user(client, make, login):
    admin = make.user(Role.ADMIN)
    student = make.user()
    login(admin)
    token = csrf_token(client, "/admin/users")
    page = client.post(
        "/admin/users",
        data={
            "display_name": "New Org",
            "email": "neworg@example.org",
            "role": "organiser",
            "csrf_token": token,
        },
    ).get_data(as_text=True)
    password = re.search(r"<code>([A-Z0-9-]{14})</code>", page).group(1)
    assert services.authenticate("neworg@example.org", password).role == Role.ORGANISER
    client.post(f"/admin/users/{student.id}/active", data={"csrf_token": token})
    db.session.refresh(student)
    assert not student.active
    assert services.find_user_by_email(student.email) is not None


@pytest.mark.parametrize(
    ("path", "html"),
    [("/login", True), ("/", False), ("/static/camp.css", False), ("/no-such-page", True)],
)
def test_every_kind_of_response_carries_each_security_header_once(client, path, html):
    response = client.get(path)
    response.close()  # a static file's handle
    for name in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"):
        assert len(response.headers.getlist(name)) == 1, (path, name)
    assert response.headers.getlist("X-Frame-Options") == ["DENY"]
    cache = response.headers.getlist("Cache-Control")
    assert len(cache) <= 1
    if html:
        assert cache == ["no-store"]
    if path.startswith("/static/"):
        assert cache != ["no-store"]  # a static file keeps its own caching


def test_pages_carry_security_headers_and_a_strict_cookie(client, make):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    user = make.user()
    cookie = post_login(client, user.email, PASSWORD).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_organiser_resets_a_students_password_and_it_is_audited(client, make, login):
    organiser = make.user(Role.ORGANISER)
    admin = make.user(Role.ADMIN)
    cohort = make.cohort("Autumn", organiser=organiser)
    student = make.user()
    make.member(cohort, student)
    login(organiser)
    token = csrf_token(client, f"/organiser/cohorts/{cohort.id}")
    page = client.post(
        f"/organiser/cohorts/{cohort.id}/members/{student.id}/reset-password",
        data={"csrf_token": token},
    ).get_data(as_text=True)
    password = re.search(r"<code>([A-Z0-9-]{14})</code>", page).group(1)
    assert services.authenticate(student.email, PASSWORD) is None
    assert services.authenticate(student.email, password).must_change_password
    login(admin)
    log = client.get("/admin/audit").get_data(as_text=True)
    assert f"Reset the password of {student.email}" in log and organiser.email in log


def test_organiser_cannot_reset_a_password_outside_their_cohorts(client, make, login):
    organiser = make.user(Role.ORGANISER)
    make.cohort("Mine", organiser=organiser)
    theirs = make.cohort("Theirs")
    student = make.user()
    make.member(theirs, student)
    login(organiser)
    token = csrf_token(client, "/organiser/cohorts")
    response = client.post(
        f"/organiser/cohorts/{theirs.id}/members/{student.id}/reset-password",
        data={"csrf_token": token},
    )
    assert response.status_code == 403
    assert services.authenticate(student.email, PASSWORD) is not None


def test_membership_and_role_changes_are_audited(client, make, login):
    admin = make.user(Role.ADMIN)
    login(admin)
    cohort = make.cohort("Autumn", organiser=admin)
    token = csrf_token(client, f"/organiser/cohorts/{cohort.id}")
    client.post(
        f"/organiser/cohorts/{cohort.id}/students",
        data={"roster": "Ada, ada@example.org", "csrf_token": token},
    )
    ada = services.find_user_by_email("ada@example.org")
    remove = f"/organiser/cohorts/{cohort.id}/members/{ada.id}/remove"
    client.post(remove, data={"csrf_token": token})
    client.post(
        "/admin/users",
        data={
            "display_name": "Org",
            "email": "org@example.org",
            "role": "organiser",
            "csrf_token": token,
        },
    )
    client.post(f"/admin/users/{ada.id}/active", data={"csrf_token": token})
    log = client.get("/admin/audit").get_data(as_text=True)
    for action in ["membership.add", "membership.remove", "role.grant", "account.deactivate"]:
        assert action in log, action
