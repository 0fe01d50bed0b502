"""Password hashing (scrypt, memory-hard), strength rules (zxcvbn) and one-time passwords."""

from __future__ import annotations

import functools
import re
import secrets
import threading
from collections.abc import Sequence

from flask import current_app, has_app_context
from flask_babel import LazyString, gettext  # type: ignore[import-untyped]
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from camp import caches

MIN_LENGTH = 8
MAX_LENGTH = 256
# Letters and digits that cannot be mistaken for one another when read aloud or
# copied from a projector: no 0/O, 1/I/L, 5/S, 2/Z, 8/B, 6/G, U/V.
UNAMBIGUOUS = "ACDEFHJKMNPQRTWXY3479"

# zxcvbn's score (0-4): 2 and up resists an online guesser; Camp throttles those.
MIN_STRENGTH = 2
_ZXCVBN_MAX_LENGTH = 72  # the package refuses longer input; a longer prefix is plenty
# zxcvbn keeps the user's own words in a module-level dictionary while it scores.
_zxcvbn_lock = threading.Lock()
# zxcvbn's feedback is in English only: its sentences, marked here so that the catalogue
# holds them, are translated by their English text when a password is refused (one this
# list lacks stays English).
_ZXCVBN_FEEDBACK = (
    _l("Use a few words, avoid common phrases."),
    _l("No need for symbols, digits, or uppercase letters."),
    _l("Add another word or two. Uncommon words are better."),
    _l("Straight rows of keys are easy to guess."),
    _l("Short keyboard patterns are easy to guess."),
    _l("Use a longer keyboard pattern with more turns."),
    _l('Repeats like "aaa" are easy to guess.'),
    _l('Repeats like "abcabcabc" are only slightly harder to guess than "abc".'),
    _l("Avoid repeated words and characters."),
    _l('Sequences like "abc" or "6543" are easy to guess.'),
    _l("Avoid sequences."),
    _l("Recent years are easy to guess."),
    _l("Avoid recent years."),
    _l("Avoid years that are associated with you."),
    _l("Dates are often easy to guess."),
    _l("Avoid dates and years that are associated with you."),
    _l("This is a top-10 common password."),
    _l("This is a top-100 common password."),
    _l("This is a very common password."),
    _l("This is similar to a commonly used password."),
    _l("A word by itself is easy to guess."),
    _l("Names and surnames by themselves are easy to guess."),
    _l("Common names and surnames are easy to guess."),
    _l("Capitalization doesn't help very much."),
    _l("All-uppercase is almost as easy to guess as all-lowercase."),
    _l("Reversed words aren't much harder to guess."),
    _l("Predictable substitutions like '@' instead of 'a' don't help very much."),
)


def _method() -> str:
    if has_app_context():
        return str(current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))
    return "scrypt"


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=_method())


@functools.cache
def _stand_in_hash(method: str) -> str:
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def stand_in_hash() -> str:
    """A hash of a random password, with the configured method and cost: checking a
    password against it costs what checking a real account's does."""
    return _stand_in_hash(_method())


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)


def password_problem(
    password: str, *, email: str = "", words: Sequence[str] = ()
) -> LazyString | None:
    """Why a password is too weak (translated when shown), or None when it is acceptable.
    `words` are the user's own (their name): a password built from them is easy to guess
    too."""
    if len(password) < MIN_LENGTH:
        return _l("Use at least %(num)d characters.", num=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _l("Use at most %(num)d characters.", num=MAX_LENGTH)
    if "\x00" in password:
        return _l("The password contains a character that cannot be used.")
    if email and password.lower() == email.lower():
        return _l("Do not use your email address as your password.")
    own = [email, *re.split(r"[@._+-]", email)]
    for word in words:
        own += [word, *word.split(), "".join(word.split())]
    return _guessable(password, own)


def _guessable(password: str, own_words: list[str]) -> LazyString | None:
    """Why zxcvbn (the maintained port of Dropbox's estimator, with its lists of common
    passwords, names and patterns) finds the password easy to guess, or None."""
    with _zxcvbn_lock:
        result = zxcvbn(password[:_ZXCVBN_MAX_LENGTH], user_inputs=[w for w in own_words if w])
    if result["score"] >= MIN_STRENGTH:
        return None
    feedback = result["feedback"]
    texts = [feedback["warning"]] if feedback["warning"] else list(feedback["suggestions"])
    if not texts:
        return _l("That password is too easy to guess; add a few uncommon words.")
    hint = LazyString(_feedback, texts)
    return _l("That password is too easy to guess: %(hint)s", hint=hint)


def _feedback(texts: list[str]) -> str:
    """zxcvbn's sentences, in the interface's language, one after the other."""
    return " ".join(gettext(text) for text in texts)


def generate_code(length: int) -> str:
    return "".join(secrets.choice(UNAMBIGUOUS) for _ in range(length))


def one_time_password() -> str:
    """A password an organiser can read out or copy: 3 groups of 4 unambiguous characters."""
    return "-".join(generate_code(4) for _ in range(3))


caches.register_function("stand-in password hashes", _stand_in_hash)
