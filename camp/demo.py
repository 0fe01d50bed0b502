"""Demo data for a fresh installation: an admin, an organiser, a cohort and three students."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from camp.accounts import services
from camp.accounts.models import Role, User
from camp.accounts.passwords import one_time_password
from camp.extensions import db

DEMO_COHORT = "Demo cohort"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    name: str
    email: str
    password: str


_PEOPLE = [
    (Role.ADMIN, "Camp Admin", "admin@example.org"),
    (Role.ORGANISER, "Olga Organiser", "organiser@example.org"),
    (Role.STUDENT, "Li Wei", "student1@example.org"),
    (Role.STUDENT, "Amina Diallo", "student2@example.org"),
    (Role.STUDENT, "Carlos Mendes", "student3@example.org"),
]


def database_has_users() -> bool:
    return bool(db.session.scalar(select(func.count(User.id))))


def create_demo_data() -> tuple[list[DemoLogin], str]:
    """Create the demo people and cohort; return their logins and the join code."""
    logins: list[DemoLogin] = []
    users: dict[str, User] = {}
    for role, name, email in _PEOPLE:
        password = one_time_password()
        users[email] = services.create_user(
            email=email, display_name=name, password=password, role=role
        )
        logins.append(DemoLogin(role=role, name=name, email=email, password=password))
    cohort = services.create_cohort(DEMO_COHORT, organiser=users["organiser@example.org"])
    for login in logins:
        if login.role == Role.STUDENT:
            services.add_member(cohort, users[login.email])
    return logins, services.format_join_code(cohort.join_code)
