"""Password hashing (scrypt, memory-hard), strength rules and one-time passwords."""

from __future__ import annotations

import secrets

from flask import current_app, has_app_context
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 8
MAX_LENGTH = 256
# Letters and digits that cannot be mistaken for one another when read aloud or
# copied from a projector: no 0/O, 1/I/L, 5/S, 2/Z, 8/B, 6/G, U/V.
UNAMBIGUOUS = "ACDEFHJKMNPQRTWXY3479"

_COMMON = frozenset(
    {
        "password",
        "password1",
        "12345678",
        "123456789",
        "1234567890",
        "qwertyui",
        "qwerty123",
        "iloveyou",
        "11111111",
        "abcdefgh",
        "letmein1",
        "welcome1",
        "passw0rd",
    }
)


def hash_password(password: str) -> str:
    method = "scrypt"
    if has_app_context():
        method = current_app.config.get("PASSWORD_HASH_METHOD", method)
    return generate_password_hash(password, method=method)


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)


def password_problem(password: str, *, email: str = "") -> str | None:
    """Why a password is too weak, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    if "\x00" in password:
        return "The password contains a character that cannot be used."
    lowered = password.lower()
    if lowered in _COMMON or len(set(password)) < 4:
        return "That password is too easy to guess; choose a less common one."
    if email and lowered == email.lower():
        return "Do not use your email address as your password."
    return None


def generate_code(length: int) -> str:
    return "".join(secrets.choice(UNAMBIGUOUS) for _ in range(length))


def one_time_password() -> str:
    """A password an organiser can read out or copy: 3 groups of 4 unambiguous characters."""
    return "-".join(generate_code(4) for _ in range(3))
