"""Nobody learns from Camp whether someone else has an account: /join answers an existing
email without saying so, and passwords that a guesser would try first are refused."""

from __future__ import annotations

import pytest

from camp.accounts import services
from camp.accounts.errors import WeakPassword
from camp.accounts.models import Role
from tests.accounts.test_views import csrf_token
from tests.factories import PASSWORD


def _join(client, code, email, password="mulberry lantern quietly"):
    token = csrf_token(client, "/join")
    return client.post(
        "/join",
        data={
            "join_code": code,
            "display_name": "Someone",
            "email": email,
            "password": password,
            "csrf_token": token,
        },
    )


@pytest.mark.parametrize("role", [Role.STUDENT, Role.ORGANISER, Role.ADMIN])
def test_join_does_not_say_that_an_email_has_an_account(client, make, role):
    cohort = make.cohort("Open")
    existing = make.user(role)
    response = _join(client, cohort.join_code, existing.email)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "already exists" not in page
    assert "An account with the email" not in page
    assert services.find_membership(cohort, existing) is None
    assert services.authenticate(existing.email, PASSWORD) is not None  # untouched
    assert client.get("/progress").status_code == 302  # nobody logged in


def test_an_existing_student_joins_a_second_cohort_with_their_own_password(client, make):
    cohort = make.cohort("Second camp")
    student = make.user()
    response = _join(client, cohort.join_code, student.email, password=PASSWORD)
    assert response.status_code == 302
    assert services.find_membership(cohort, student) is not None
    assert client.get("/progress").status_code == 200


def test_an_organiser_cannot_join_a_cohort_as_a_student(client, make):
    cohort = make.cohort("Open")
    organiser = make.user(Role.ORGANISER)
    response = _join(client, cohort.join_code, organiser.email, password=PASSWORD)
    assert response.status_code == 200
    assert services.find_membership(cohort, organiser) is None


@pytest.mark.parametrize(
    "password", ["qwertyuiop", "password123", "iloveyou1", "abcdefgh1", "1q2w3e4r5t"]
)
def test_common_and_guessable_passwords_are_refused_with_a_reason(app, password):
    with pytest.raises(WeakPassword) as refused:
        services.create_user(email="new@example.org", display_name="New", password=password)
    assert "guess" in str(refused.value)


def test_a_password_made_of_ones_own_name_or_email_is_refused(app):
    with pytest.raises(WeakPassword):
        services.create_user(
            email="zhang.wei@example.org", display_name="Zhang Wei", password="zhangwei1990"
        )


@pytest.mark.parametrize("password", ["correct horse battery", "mulberry lantern quietly"])
def test_memorable_passphrases_are_accepted(app, password):
    user = services.create_user(email="ok@example.org", display_name="Ok", password=password)
    assert user.id
