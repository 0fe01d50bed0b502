"""An organiser must never reach another account's credentials: the roster adds only
student accounts, and a password reset needs every cohort of the student to be theirs."""

from __future__ import annotations

import re

import pytest

from camp.accounts import services
from camp.accounts.models import MemberRole, Role
from camp.extensions import db
from tests.accounts.test_views import csrf_token
from tests.factories import PASSWORD


@pytest.fixture
def camp_world(make):
    organiser = make.user(Role.ORGANISER)
    other = make.user(Role.ORGANISER)
    admin = make.user(Role.ADMIN, email="admin@example.org")
    mine = make.cohort("Mine", organiser=organiser)
    theirs = make.cohort("Theirs", organiser=other)
    return {"organiser": organiser, "other": other, "admin": admin, "mine": mine, "theirs": theirs}


def _paste(client, cohort, roster):
    token = csrf_token(client, f"/organiser/cohorts/{cohort.id}")
    return client.post(
        f"/organiser/cohorts/{cohort.id}/students",
        data={"roster": roster, "csrf_token": token},
    )


def _reset(client, cohort, user):
    token = csrf_token(client, f"/organiser/cohorts/{cohort.id}")
    return client.post(
        f"/organiser/cohorts/{cohort.id}/members/{user.id}/reset-password",
        data={"csrf_token": token},
    )


@pytest.mark.parametrize("target", ["admin", "other"])
def test_an_organiser_cannot_add_an_admin_or_organiser_account_by_email(
    client, login, camp_world, target
):
    victim = camp_world[target]
    login(camp_world["organiser"])
    response = _paste(client, camp_world["mine"], f"Ada, ada@example.org\nX, {victim.email}")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f"line 2: {victim.email} is not a student account" in page
    assert services.find_membership(camp_world["mine"], victim) is None
    assert services.find_user_by_email("ada@example.org") is None  # all or nothing


def test_the_takeover_chain_fails_at_every_step(client, login, camp_world):
    """The reported attack: paste the admin's email, reset, log in as the admin."""
    admin = camp_world["admin"]
    login(camp_world["organiser"])
    _paste(client, camp_world["mine"], f"X, {admin.email}")
    response = _reset(client, camp_world["mine"], admin)
    assert response.status_code in (403, 404)
    assert services.authenticate(admin.email, PASSWORD) is not None
    assert "<code>" not in response.get_data(as_text=True)


def test_a_student_of_another_cohort_can_be_added_but_not_reset(client, login, make, camp_world):
    student = make.user()
    make.member(camp_world["theirs"], student)
    login(camp_world["organiser"])
    response = _paste(client, camp_world["mine"], f"Stu, {student.email}")
    assert response.status_code == 200
    assert services.find_membership(camp_world["mine"], student) is not None

    cohort_page = client.get(f"/organiser/cohorts/{camp_world['mine'].id}").get_data(as_text=True)
    assert f"Reset the password of {student.display_name}" not in cohort_page
    assert "an admin can reset" in cohort_page

    response = _reset(client, camp_world["mine"], student)
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "an admin must reset it" in page
    assert services.authenticate(student.email, PASSWORD) is not None


def test_an_organiser_resets_a_student_whose_every_cohort_they_run(client, login, make):
    organiser = make.user(Role.ORGANISER)
    first = make.cohort("First", organiser=organiser)
    second = make.cohort("Second", organiser=organiser)
    student = make.user()
    make.member(first, student)
    make.member(second, student)
    login(organiser)
    page = _reset(client, first, student).get_data(as_text=True)
    password = re.search(r"<code>([A-Z0-9-]{14})</code>", page).group(1)
    assert services.authenticate(student.email, password) is not None


def test_a_co_organiser_cannot_reset_the_other_organiser(client, login, make, camp_world):
    cohort = camp_world["mine"]
    make.member(cohort, camp_world["other"], role=MemberRole.ORGANISER)
    login(camp_world["organiser"])
    response = _reset(client, cohort, camp_world["other"])
    assert response.status_code in (403, 404)
    assert services.authenticate(camp_world["other"].email, PASSWORD) is not None


def test_an_organiser_cannot_remove_a_co_organiser(client, login, make, camp_world):
    cohort = camp_world["mine"]
    make.member(cohort, camp_world["other"], role=MemberRole.ORGANISER)
    login(camp_world["organiser"])
    token = csrf_token(client, f"/organiser/cohorts/{cohort.id}")
    response = client.post(
        f"/organiser/cohorts/{cohort.id}/members/{camp_world['other'].id}/remove",
        data={"csrf_token": token},
        follow_redirects=True,
    )
    assert "Only an admin can remove an organiser" in response.get_data(as_text=True)
    assert services.find_membership(cohort, camp_world["other"]) is not None


def test_an_admin_resets_a_student_of_several_organisers(client, login, make, camp_world):
    student = make.user()
    make.member(camp_world["mine"], student)
    make.member(camp_world["theirs"], student)
    login(camp_world["admin"])
    page = _reset(client, camp_world["mine"], student).get_data(as_text=True)
    assert re.search(r"<code>([A-Z0-9-]{14})</code>", page)


def test_an_admin_resets_an_organisers_password_from_the_users_page(client, login, camp_world):
    login(camp_world["admin"])
    token = csrf_token(client, "/admin/users")
    organiser = camp_world["organiser"]
    page = client.post(
        f"/admin/users/{organiser.id}/reset-password", data={"csrf_token": token}
    ).get_data(as_text=True)
    password = re.search(r"<code>([A-Z0-9-]{14})</code>", page).group(1)
    db.session.expire_all()
    assert services.authenticate(organiser.email, password).must_change_password
