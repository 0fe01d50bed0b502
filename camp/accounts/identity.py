"""`CampUser`: the one user interface of views, services and templates.

Two classes implement it: the ORM `User` (accounts.models), loaded on most requests, and
the frozen `RowUser` (accounts.session_user), read as one row on the hot attempt views.
A function that only reads who the user is (id, name, role, the role rules) takes a
`CampUser`, so it serves both. A function that changes a user, or follows a relationship
(`memberships`) or the password hash, takes `User`: the type checker (mypy, see the
README) then refuses a `RowUser`, or the logged-in user of `camp.accounts.current`, there.
"""

from __future__ import annotations

from typing import Protocol


class CampUser(Protocol):
    """Who is logged in, read-only: the columns a RowUser holds and the rules of
    `accounts.models.UserIdentity` (Flask-Login's protocol and the role checks)."""

    @property
    def id(self) -> int: ...
    @property
    def email(self) -> str: ...
    @property
    def display_name(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def active(self) -> bool: ...
    @property
    def must_change_password(self) -> bool: ...
    @property
    def session_generation(self) -> int: ...
    @property
    def locale(self) -> str | None: ...

    @property
    def is_active(self) -> bool: ...
    @property
    def is_authenticated(self) -> bool: ...
    @property
    def is_anonymous(self) -> bool: ...
    def get_id(self) -> str: ...

    @property
    def is_admin(self) -> bool: ...
    @property
    def is_organiser(self) -> bool: ...
    @property
    def is_student(self) -> bool: ...
