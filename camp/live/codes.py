"""The codes people type and the tokens phones keep: a session's six-character code (read
off a projector, so from an alphabet without look-alikes, and typed in any case, with spaces
or hyphens, like cohort join codes), and a guest's rejoin token (only its hash is stored).
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from camp.accounts.passwords import generate_code
from camp.accounts.services import format_join_code, normalise_join_code
from camp.extensions import db
from camp.live.models import CODE_LENGTH, LiveSession

# How often a freshly drawn code may collide before giving up (21**6 codes: never in practice).
_ATTEMPTS = 20


def normalise_code(code: str) -> str:
    """A typed code as stored: case, spaces and hyphens ignored."""
    return normalise_join_code(code)


def format_code(code: str) -> str:
    """A code as shown, in two halves ("K7M-XQ4") that are easier to read out."""
    return format_join_code(code)


def find_session(code: str) -> LiveSession | None:
    """The session with this code, as a person typed it; None when there is none."""
    code = normalise_code(code)
    if len(code) != CODE_LENGTH:
        return None
    return db.session.scalar(select(LiveSession).where(LiveSession.code == code))


def _taken(code: str) -> bool:
    return db.session.scalar(select(LiveSession.id).where(LiveSession.code == code)) is not None


def assign_code(session: LiveSession) -> str:
    """Give a new session an unused code (from the alphabet of join codes) and insert it,
    flushed. A code drawn by two sessions at once is caught by the unique constraint and
    drawn again."""
    for _ in range(_ATTEMPTS):
        code = generate_code(CODE_LENGTH)
        if _taken(code):
            continue
        session.code = code
        try:
            with db.session.begin_nested():
                db.session.add(session)
        except IntegrityError:
            if _taken(code):  # another session took it meanwhile
                continue
            raise
        return code
    raise RuntimeError("no unused live session code found")


def new_guest_token() -> str:
    """A guest's rejoin token: random, for a cookie; the database keeps only its hash."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """The stored form of a guest token. A plain SHA-256 suffices: the token is 256 random
    bits, so there is nothing to guess from the hash."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
