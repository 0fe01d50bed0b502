"""Account and cohort services, without requests."""

from __future__ import annotations

import pytest

from camp.accounts import services
from camp.accounts.errors import AccountError, DuplicateEmail, UnknownJoinCode, WeakPassword
from camp.accounts.models import MemberRole, Role
from camp.accounts.passwords import UNAMBIGUOUS, hash_password
from camp.extensions import db


def test_email_is_unique_whatever_its_case(app, make):
    make.user(email="Ada@Example.org")
    with pytest.raises(DuplicateEmail):
        services.create_user(email="ADA@example.ORG", display_name="Ada", password="a-long-pass")
    assert services.find_user_by_email("  ada@EXAMPLE.org ").email == "ada@example.org"


@pytest.mark.parametrize("password", ["short", "password", "aaaaaaaaaa", "ada@example.org"])
def test_weak_passwords_are_refused_with_a_reason(app, password):
    with pytest.raises(WeakPassword) as error:
        services.create_user(email="ada@example.org", display_name="Ada", password=password)
    assert str(error.value)


def test_passwords_are_hashed_with_scrypt_by_default(app):
    app.config["PASSWORD_HASH_METHOD"] = "scrypt"
    hashed = hash_password("a-long-pass")
    assert hashed.startswith("scrypt:32768:8:1$")
    assert "a-long-pass" not in hashed


def test_join_code_is_short_unambiguous_and_regenerable(app, make):
    cohort = make.cohort("Summer camp")
    code = cohort.join_code
    assert len(code) == 6 and set(code) <= set(UNAMBIGUOUS)
    assert not set(code) & set("0O1IL5S2Z8B")
    new = services.regenerate_join_code(cohort)
    assert new != code
    with pytest.raises(UnknownJoinCode):
        services.join_with_code(
            code=code, email="x@example.org", display_name="X", password="a-long-pass"
        )


def test_join_code_is_forgiving_about_case_spaces_and_hyphens(app, make):
    cohort = make.cohort("Summer camp")
    spoken = f" {cohort.join_code[:3].lower()} - {cohort.join_code[3:]} "
    user = services.join_with_code(
        code=spoken, email="li@example.org", display_name="Li", password="a-long-pass"
    )
    assert [m.cohort.name for m in user.memberships] == ["Summer camp"]
    assert user.role == Role.STUDENT


def test_creating_a_cohort_makes_its_organiser_a_member(app, make):
    organiser = make.user(Role.ORGANISER)
    cohort = make.cohort("Autumn", organiser=organiser)
    membership = services.find_membership(cohort, organiser)
    assert membership is not None and membership.role == MemberRole.ORGANISER


def test_cohort_names_are_unique_ignoring_case(app, make):
    make.cohort("Autumn")
    with pytest.raises(AccountError):
        services.create_cohort("autumn")


def test_roster_parsing_reports_every_bad_line_with_its_number():
    with pytest.raises(AccountError) as error:
        services.parse_roster(
            "Ada, ada@example.org\nno comma here\n, x@example.org\nBob, bob@\n"
            "Ada2, ADA@example.org\n"
        )
    message = str(error.value)
    assert "line 2:" in message and "line 3:" in message and "line 4:" in message
    assert "line 5: ada@example.org appears twice" in message
    assert "line 1" not in message


def test_roster_accepts_commas_in_names_blank_lines_and_comments():
    entries = services.parse_roster(
        '# from the sign-up sheet\n\n"Lovelace, Ada", ada@example.org\n'
    )
    assert [(e.line, e.display_name, e.email) for e in entries] == [
        (3, "Lovelace, Ada", "ada@example.org")
    ]


def test_adding_a_roster_creates_accounts_with_one_time_passwords(app, make):
    cohort = make.cohort("Autumn")
    existing = make.user(email="old@example.org")
    entries = services.parse_roster("New One, new@example.org\nOld, old@example.org\n")
    result = services.add_roster(cohort, entries)
    db.session.commit()
    [(new_user, password)] = result.created
    assert new_user.must_change_password
    assert services.authenticate("new@example.org", password) == new_user
    assert result.added_existing == [existing]
    again = services.add_roster(cohort, entries)
    assert again.created == [] and {u.email for u in again.already_members} == {
        "new@example.org",
        "old@example.org",
    }


def test_removing_a_member_keeps_the_account(app, make):
    cohort = make.cohort()
    student = make.user()
    make.member(cohort, student)
    assert services.remove_member(cohort, student)
    db.session.commit()
    assert services.find_user_by_email(student.email) is not None
    assert services.find_membership(cohort, student) is None


def test_deactivated_users_cannot_authenticate(app, make):
    user = make.user(password="a-long-pass")
    services.set_active(user, False)
    assert services.authenticate(user.email, "a-long-pass") is None


def test_cohort_names_compare_without_case_in_any_script(app, make):
    make.cohort("Équipe Ä")
    assert services.find_cohort_by_name("équipe ä").name == "Équipe Ä"
    with pytest.raises(AccountError):
        services.create_cohort("ÉQUIPE Ä")
