"""Account and cohort operations shared by the views, the CLI and the demo loader.

Functions take model objects and validated data, raise ``AccountError`` subclasses,
``flush()`` when they need ids, and never commit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask_babel import LazyString  # type: ignore[import-untyped]
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from camp.accounts.errors import (
    AccountError,
    DuplicateCohort,
    DuplicateEmail,
    InvalidRosterLine,
    JoinRefused,
    UnknownCohort,
    UnknownJoinCode,
    WeakPassword,
)
from camp.accounts.identity import CampUser
from camp.accounts.models import Cohort, MemberRole, Membership, Role, User
from camp.accounts.passwords import (
    generate_code,
    hash_password,
    one_time_password,
    password_problem,
    stand_in_hash,
    verify_password,
)
from camp.audit import services as audit
from camp.extensions import db

JOIN_CODE_LENGTH = 6
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_ROSTER_LINES = 1000


def normalise_email(email: str) -> str:
    return email.strip().lower()


def email_problem(email: str) -> LazyString | None:
    if len(email) > 254 or not EMAIL_RE.match(email):
        return _l("Enter an email address like name@example.org.")
    return None


def normalise_join_code(code: str) -> str:
    """Codes are read aloud: ignore case, spaces and hyphens."""
    return re.sub(r"[\s-]", "", code).upper()


def format_join_code(code: str) -> str:
    return f"{code[:3]}-{code[3:]}" if len(code) == JOIN_CODE_LENGTH else code


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(
    *,
    email: str,
    display_name: str,
    password: str,
    role: str = Role.STUDENT,
    must_change_password: bool = False,
    password_hash: str | None = None,
) -> User:
    """A new account; `password_hash`, when given, is `password` hashed beforehand (so a
    caller can hash outside a write lock)."""
    email = normalise_email(email)
    if problem := email_problem(email):
        raise AccountError(problem)
    display_name = " ".join(display_name.split())
    if not display_name:
        raise AccountError(_l("Enter a name."))
    if len(display_name) > 120:
        raise AccountError(_l("Use at most %(num)d characters for the name.", num=120))
    if role not in tuple(Role):
        raise AccountError(f"Unknown role {role!r}: use student, organiser or admin.")
    if problem := password_problem(password, email=email, words=[display_name]):
        raise WeakPassword(problem)
    if find_user_by_email(email) is not None:
        raise DuplicateEmail(_l("An account with the email %(email)s already exists.", email=email))
    user = User(
        email=email,
        display_name=display_name,
        password_hash=password_hash or hash_password(password),
        role=role,
        active=True,
        must_change_password=must_change_password,
    )
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None (no hint which part was wrong).

    A password is checked whether or not the email has an account, against a stand-in
    hash of the same method and cost when it has none (or is deactivated), so that the
    time a failure takes tells nobody which emails have accounts."""
    user = find_user_by_email(email)
    usable = user is not None and user.active
    checked = user.password_hash if user is not None and usable else stand_in_hash()
    if not verify_password(checked, password) or not usable:
        return None
    return user


def new_password_hash(user: User, current: str, new: str) -> str:
    """Check the current password and the new one; return the new one's hash, changing
    nothing. Slow on purpose (two scrypt runs): callers keep it out of write locks."""
    if not verify_password(user.password_hash, current):
        raise AccountError(_l("Your current password is not right."))
    if problem := password_problem(new, email=user.email, words=[user.display_name]):
        raise WeakPassword(problem)
    return hash_password(new)


def store_password_hash(user: User, password_hash: str) -> None:
    """The user's own new password: no change is forced any more, and every session ends
    (the caller logs this browser in again)."""
    user.password_hash = password_hash
    user.must_change_password = False
    end_sessions(user)


def end_sessions(user: User) -> None:
    """Every session of the user ends: cookies signed before this are refused."""
    db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(session_generation=User.session_generation + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(user, ["session_generation"])


def set_password(user: User, new: str, *, must_change: bool = False) -> None:
    if problem := password_problem(new, email=user.email, words=[user.display_name]):
        raise WeakPassword(problem)
    user.password_hash = hash_password(new)
    user.must_change_password = must_change


def reset_password(user: User, *, by: CampUser, **context: Any) -> str:
    """Give the user a one-time password they must change at next login, end their
    sessions, and record who did it in the audit log (`context`: e.g. the cohort id);
    return the password."""
    password = one_time_password()
    set_password(user, password, must_change=True)
    end_sessions(user)
    audit.record(
        by,
        "account.password_reset",
        f"Reset the password of {user.email}",
        user_id=user.id,
        **context,
    )
    return password


def set_active(user: User, active: bool) -> None:
    user.active = active
    if not active:
        end_sessions(user)


def _unused_join_code() -> str:
    while True:
        code = generate_code(JOIN_CODE_LENGTH)
        if db.session.scalar(select(Cohort.id).where(Cohort.join_code == code)) is None:
            return code


def create_cohort(name: str, organiser: CampUser | None = None) -> Cohort:
    name = " ".join(name.split())
    if not name:
        raise AccountError(_l("Enter a cohort name."))
    if len(name) > 120:
        raise AccountError(_l("Use at most %(num)d characters for the cohort name.", num=120))
    if find_cohort_by_name(name) is not None:
        raise DuplicateCohort(_l("A cohort called %(name)s already exists.", name=repr(name)))
    cohort = Cohort(name=name, join_code=_unused_join_code())
    db.session.add(cohort)
    db.session.flush()
    if organiser is not None and organiser.role == Role.ORGANISER:
        add_member(cohort, organiser, role=MemberRole.ORGANISER)
    return cohort


def find_cohort_by_name(name: str) -> Cohort | None:
    """The cohort with this name, ignoring case in any script ("Cohorte Ä" = "cohorte ä").

    Compared in Python: SQLite's lower() folds only ASCII letters, and cohorts are few.
    """
    key = " ".join(name.split()).casefold()
    exact = db.session.scalar(select(Cohort).where(Cohort.name == " ".join(name.split())))
    if exact is not None:
        return exact
    return next((c for c in db.session.scalars(select(Cohort)) if c.name.casefold() == key), None)


def get_cohort_by_name(name: str) -> Cohort:
    cohort = find_cohort_by_name(name)
    if cohort is None:
        raise UnknownCohort(f"There is no cohort called {name!r}.")
    return cohort


def regenerate_join_code(cohort: Cohort) -> str:
    cohort.join_code = _unused_join_code()
    return cohort.join_code


def find_membership(cohort: Cohort, user: CampUser) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(Membership.cohort_id == cohort.id, Membership.user_id == user.id)
    )


def add_member(cohort: Cohort, user: CampUser, role: str = MemberRole.STUDENT) -> Membership:
    """Add the user to the cohort; adding someone already there changes nothing."""
    existing = find_membership(cohort, user)
    if existing is not None:
        return existing
    membership = Membership(cohort_id=cohort.id, user_id=user.id, role=role)
    db.session.add(membership)
    db.session.flush()
    return membership


def remove_member(cohort: Cohort, user: CampUser) -> bool:
    """Remove the membership only: the user's account and work stay."""
    membership = find_membership(cohort, user)
    if membership is None:
        return False
    db.session.delete(membership)
    db.session.flush()
    return True


def cohort_with_code(code: str) -> Cohort | None:
    return db.session.scalar(select(Cohort).where(Cohort.join_code == normalise_join_code(code)))


def join_with_code(*, code: str, email: str, display_name: str, password: str) -> User:
    """A student signs up with a cohort's join code and lands in that cohort.

    An email that has an account joins with that account when the password is its own
    (a student of an earlier camp). Otherwise the refusal does not say that the account
    exists, and the work done is the same as for a new email (one scrypt run), so that
    /join tells nobody who has an account."""
    cohort = cohort_with_code(code)
    if cohort is None:
        raise UnknownJoinCode(_l("That join code is not right; check it with your organiser."))
    if find_user_by_email(email) is not None:
        user = authenticate(email, password)
        if user is None or not user.is_student:
            raise JoinRefused()
        add_member(cohort, user)
        return user
    user = create_user(email=email, display_name=display_name, password=password)
    add_member(cohort, user)
    return user


@dataclass(frozen=True)
class RosterEntry:
    line: int
    display_name: str
    email: str


@dataclass(frozen=True)
class RosterResult:
    """What adding a pasted roster did: new accounts carry their one-time password."""

    created: list[tuple[User, str]]
    added_existing: list[User]
    already_members: list[User]


def parse_roster(text: str) -> list[RosterEntry]:
    """Parse pasted ``name,email`` lines; report every bad line at once."""
    entries: list[RosterEntry] = []
    problems: list[InvalidRosterLine] = []
    seen: set[str] = set()
    lines = text.splitlines()
    if len(lines) > MAX_ROSTER_LINES:
        raise AccountError(_l("Paste at most %(num)d lines at a time.", num=MAX_ROSTER_LINES))
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, email = line.rpartition(",")
        name = " ".join(name.strip().strip('"').split())
        email = normalise_email(email.strip().strip('"'))
        if not sep:
            problem = _l("write the name, a comma, then the email")
        elif not name:
            problem = _l("the name is missing")
        elif len(name) > 120:
            problem = _l("the name is longer than %(num)d characters", num=120)
        elif email_problem(email):
            problem = _l("%(email)s is not an email address", email=repr(email))
        elif email in seen:
            problem = _l("%(email)s appears twice", email=email)
        else:
            seen.add(email)
            entries.append(RosterEntry(number, name, email))
            continue
        problems.append(InvalidRosterLine(number, problem))
    if problems:
        raise AccountError("\n".join(str(p) for p in problems))
    if not entries:
        raise AccountError(_l("Paste at least one line such as: Ada Lovelace, ada@example.org"))
    return entries


def new_emails(entries: Iterable[RosterEntry]) -> list[str]:
    """The roster's emails that have no account yet."""
    emails = [e.email for e in entries]
    known = set(db.session.scalars(select(User.email).where(User.email.in_(emails))))
    return [email for email in emails if email not in known]


def one_time_credentials(count: int) -> list[tuple[str, str]]:
    """`count` one-time passwords with their hashes. Slow on purpose (scrypt each): call it
    before taking a write lock and hand the result to add_roster."""
    passwords = [one_time_password() for _ in range(count)]
    return [(password, hash_password(password)) for password in passwords]


def add_roster(
    cohort: Cohort,
    entries: Iterable[RosterEntry],
    credentials: Iterable[tuple[str, str]] = (),
) -> RosterResult:
    """Create accounts for new emails (one-time passwords, taken from `credentials` while
    they last) and add everyone to the cohort as a student.

    Only student accounts are added: an organiser's or admin's account pasted here is
    refused (all or nothing), because whoever runs a cohort can reset its students'
    passwords, and pasting someone's email must never hand over their account."""
    entries = list(entries)
    prepared = iter(credentials)
    emails = [e.email for e in entries]
    existing = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(emails)))}
    problems = [
        InvalidRosterLine(
            entry.line,
            _l(
                "%(email)s is not a student account: a roster adds students only",
                email=entry.email,
            ),
        )
        for entry in entries
        if entry.email in existing and existing[entry.email].role != Role.STUDENT
    ]
    if problems:
        raise AccountError("\n".join(str(p) for p in problems))
    member_ids = set(
        db.session.scalars(select(Membership.user_id).where(Membership.cohort_id == cohort.id))
    )
    created: list[tuple[User, str]] = []
    added: list[User] = []
    already: list[User] = []
    for entry in entries:
        user = existing.get(entry.email)
        if user is None:
            password, password_hash = next(prepared, (one_time_password(), None))
            user = create_user(
                email=entry.email,
                display_name=entry.display_name,
                password=password,
                must_change_password=True,
                password_hash=password_hash,
            )
            created.append((user, password))
        elif user.id in member_ids:
            already.append(user)
            continue
        else:
            added.append(user)
        add_member(cohort, user)
    return RosterResult(created=created, added_existing=added, already_members=already)
