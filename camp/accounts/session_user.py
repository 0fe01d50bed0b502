"""The logged-in user of a hot request, read as one Core row instead of an ORM object.

Why: Flask-Login loads the user on every request; through the ORM that was ~15% of a
question page or a save. The views of a quiz attempt use the user only for its id and
the header (name, role), so there a frozen row does. Everywhere else the ORM `User` is
loaded, because services change it and relationships are followed from it. Nothing is
cached across requests: the row is read each time, so a deactivation or a role change
applies at the user's next request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields

from sqlalchemy import bindparam, select

from camp.accounts.models import User, UserIdentity
from camp.snapshot_reads import SnapshotRead

# Views (and their templates) that read current_user's id, name and role, nothing else.
# A live session's phones poll their state every second (camp.live.poll); a student's
# review page is read as often as a question page.
ROW_USER_ENDPOINTS = frozenset(
    {
        "quizzes.attempt_page",
        "quizzes.autosave",
        "quizzes.start",
        "live.phone.state",
        "review.student.review",
    }
)

# An area may read the user together with what its view reads next, in one statement
# (the attempt pages read the attempt too): endpoint -> reader of a user id.
_readers: dict[str, Callable[[int], RowUser | None]] = {}


def read_user_with(endpoint: str, reader: Callable[[int], RowUser | None]) -> None:
    """Let `reader` load the session's user for `endpoint` (one of ROW_USER_ENDPOINTS)."""
    assert endpoint in ROW_USER_ENDPOINTS, endpoint
    _readers[endpoint] = reader


@dataclass(frozen=True)
class RowUser(UserIdentity):
    """What Flask-Login and the header need from an active user, and no more: a `CampUser`
    (accounts.identity), as the ORM `User` is."""

    id: int
    email: str
    display_name: str
    role: str
    active: bool
    must_change_password: bool
    session_generation: int
    locale: str | None


_users = User.__table__
# The columns of a RowUser, named by its fields and in their order: a row is read into it by
# position (on SQLite rows are plain tuples, see camp.snapshot_reads).
ROW_USER_COLUMNS = tuple(_users.c[f.name] for f in fields(RowUser))
# Built once and read as one statement outside the session (camp.snapshot_reads).
_ROW_USER = SnapshotRead(select(*ROW_USER_COLUMNS).where(_users.c.id == bindparam("user_id")))


def load_row_user(user_id: int, endpoint: str | None = None) -> RowUser | None:
    """The user as a row, through the reader registered for `endpoint` if there is one."""
    reader = _readers.get(endpoint or "")
    if reader is not None:
        return reader(user_id)
    rows = _ROW_USER.rows({"user_id": user_id})
    return RowUser(*rows[0]) if rows else None
