"""The `camp` command's account and cohort sub-commands."""

from __future__ import annotations

import socket

from camp.accounts import services
from camp.accounts.models import MemberRole, Role


def test_users_create_and_duplicate_email(app, runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "Org@Example.org",
            "--name",
            "Org",
            "--role",
            "organiser",
            "--password",
            "a-long-pass",
        ]
    )
    assert result.exit_code == 0, result.output
    assert services.authenticate("org@example.org", "a-long-pass").role == Role.ORGANISER
    again = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "org@example.org",
            "--name",
            "Org",
            "--role",
            "student",
            "--password",
            "a-long-pass",
        ]
    )
    assert again.exit_code == 1
    assert again.output.strip().splitlines() == [
        "Error: An account with the email org@example.org already exists."
    ]


def test_users_create_prompts_for_the_password(app, runner):
    result = runner.invoke(
        args=["users", "create", "--email", "a@example.org", "--name", "A", "--role", "admin"],
        input="a-long-pass\na-long-pass\n",
    )
    assert result.exit_code == 0, result.output
    assert services.authenticate("a@example.org", "a-long-pass").is_admin


def test_users_create_refuses_a_weak_password(app, runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "a@example.org",
            "--name",
            "A",
            "--role",
            "student",
            "--password",
            "short",
        ]
    )
    assert result.exit_code == 1
    assert "at least 8 characters" in result.output
    assert services.find_user_by_email("a@example.org") is None


def test_cohorts_create_prints_the_join_code(app, runner):
    result = runner.invoke(args=["cohorts", "create", "Beijing 2024"])
    assert result.exit_code == 0
    cohort = services.get_cohort_by_name("Beijing 2024")
    assert services.format_join_code(cohort.join_code) in result.output
    assert runner.invoke(args=["cohorts", "create", "beijing 2024"]).exit_code == 1


def test_cohorts_add_existing_users(app, runner, make):
    cohort = make.cohort("Camp")
    student = make.user()
    organiser = make.user(Role.ORGANISER)
    result = runner.invoke(args=["cohorts", "add", "Camp", student.email, organiser.email])
    assert result.exit_code == 0, result.output
    assert services.find_membership(cohort, student).role == MemberRole.STUDENT
    assert services.find_membership(cohort, organiser).role == MemberRole.ORGANISER


def test_cohorts_add_with_bad_input_changes_nothing(app, runner, make):
    cohort = make.cohort("Camp")
    student = make.user()
    unknown_cohort = runner.invoke(args=["cohorts", "add", "Nope", student.email])
    assert unknown_cohort.exit_code == 1
    assert unknown_cohort.output.strip() == "Error: There is no cohort called 'Nope'."
    unknown_user = runner.invoke(args=["cohorts", "add", "Camp", student.email, "x@example.org"])
    assert unknown_user.exit_code == 1
    assert services.find_membership(cohort, student) is None


def test_up_refuses_more_threads_than_the_connection_pool_holds(app, runner):
    with socket.socket() as busy:  # were the check missing, serving would fail here, not hang
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = runner.invoke(args=["up", "--port", str(port), "--threads", "70"])

    assert result.exit_code == 2
    assert "--threads 70 needs CAMP_DB_POOL_SIZE of at least 72 (it is 64)" in result.output
