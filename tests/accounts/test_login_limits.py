"""Throttles that stop guessing without locking out a classroom behind one address:
logins per account and address and per address, join codes, and the current password."""

from __future__ import annotations

import pytest

from camp.accounts import services
from camp.accounts.models import Role
from camp.extensions import db
from tests.accounts.test_views import csrf_token, post_login
from tests.factories import PASSWORD

VENUE = {"REMOTE_ADDR": "203.0.113.7"}  # a camp's one public address


def _browser(app, environ=VENUE):
    browser = app.test_client()
    browser.environ_base.update(environ)
    return browser


def _bulk_students(count: int) -> list[str]:
    """Student accounts made in one transaction (the factory commits each)."""
    emails = [f"room{n}@example.org" for n in range(count)]
    password_hash = services.hash_password(PASSWORD)
    for email in emails:
        services.create_user(
            email=email, display_name=email, password=PASSWORD, password_hash=password_hash
        )
    db.session.commit()
    return emails


def test_a_room_behind_one_address_all_gets_in_despite_typos(app):
    emails = _bulk_students(200)
    statuses = []
    for n, email in enumerate(emails):
        browser = _browser(app)
        if n % 5 == 0:  # 40 of the 200 mistype once first
            assert post_login(browser, email, "mistyped pass").status_code == 200
        statuses.append(post_login(browser, email, PASSWORD).status_code)
    assert statuses == [302] * 200


def test_one_address_hammering_one_account_is_stopped_after_ten_tries(app, make):
    student = make.user()
    browser = _browser(app)
    statuses = [post_login(browser, student.email, f"guess {n}").status_code for n in range(11)]
    assert statuses == [200] * 10 + [429]
    assert post_login(browser, student.email, PASSWORD).status_code == 429
    # The same account from another address, and another account from this one, still work.
    elsewhere = _browser(app, {"REMOTE_ADDR": "198.51.100.9"})
    assert post_login(elsewhere, student.email, PASSWORD).status_code == 302
    other = make.user()
    assert post_login(_browser(app), other.email, PASSWORD).status_code == 302


def test_one_address_spraying_many_accounts_is_stopped(app):
    browser = _browser(app)
    token = csrf_token(browser, "/login")
    statuses = []
    for n in range(500):
        response = browser.post(
            "/login",
            data={"email": f"nobody{n}@example.org", "password": "guess", "csrf_token": token},
        )
        statuses.append(response.status_code)
    assert 429 in statuses
    assert statuses.index(429) <= 300
    assert statuses[-1] == 429


def _join(browser, code, email="guesser@example.org"):
    token = csrf_token(browser, "/join")
    return browser.post(
        "/join",
        data={
            "join_code": code,
            "display_name": "Guesser",
            "email": email,
            "password": "mulberry lantern quietly",
            "csrf_token": token,
        },
    )


def test_join_codes_cannot_be_guessed_without_limit(app, make):
    make.cohort("Real")
    browser = _browser(app)
    statuses = [_join(browser, f"AAA{n:03d}").status_code for n in range(15)]
    assert 429 in statuses
    assert statuses.index(429) <= 10


def test_a_few_mistyped_join_codes_in_a_room_do_not_block_the_room(app, make):
    cohort = make.cohort("Real")
    for n in range(20):  # twenty students, each mistyping the code once
        browser = _browser(app)
        assert _join(browser, "WRONG1", email=f"s{n}@example.org").status_code == 200
        response = _join(browser, cohort.join_code, email=f"s{n}@example.org")
        assert response.status_code == 302, n


def guess_current_password(client, n: int) -> int:
    """One wrong guess at the current password on the account page; the status code."""
    return client.post(
        "/account",
        data={
            "current_password": f"guess {n}",
            "new_password": "mulberry lantern quietly",
            "confirm_password": "mulberry lantern quietly",
            "csrf_token": csrf_token(client, "/account"),
        },
    ).status_code


def test_the_current_password_on_the_account_page_cannot_be_guessed_without_limit(
    app, client, make, login
):
    student = make.user()
    login(student)
    statuses = [guess_current_password(client, n) for n in range(15)]
    assert 429 in statuses
    assert statuses.index(429) <= 10


@pytest.mark.parametrize("role", [Role.STUDENT, Role.ORGANISER])
def test_unknown_and_known_emails_cost_the_same_password_check(app, make, monkeypatch, role):
    """No timing in a test: the check itself is what makes the cost, so count it."""
    checked: list[str] = []
    real = services.verify_password

    def spy(password_hash: str, password: str) -> bool:
        checked.append(password_hash.split("$", 1)[0])
        return real(password_hash, password)

    monkeypatch.setattr(services, "verify_password", spy)
    user = make.user(role)
    assert services.authenticate(user.email, "wrong password") is None
    assert services.authenticate("nobody@example.org", "wrong password") is None
    services.set_active(user, False)
    assert services.authenticate(user.email, PASSWORD) is None
    assert len(checked) == 3
    assert len(set(checked)) == 1  # the same method and cost every time


def test_the_current_password_limit_follows_the_account_not_the_session(app, client, make):
    """Logging in again starts a new session generation; the count must not restart."""
    student = make.user()
    post_login(client, student.email, PASSWORD)

    assert [guess_current_password(client, n) for n in range(10)] == [200] * 10
    client.post("/account/logout-everywhere", data={"csrf_token": csrf_token(client, "/account")})
    post_login(client, student.email, PASSWORD)
    assert guess_current_password(client, 10) == 429
