"""Guest nicknames: what is accepted, and the key two nicknames are compared by. Pure code.

A nickname is shown on the projector, so it is 2 to 24 characters once trimmed, holds a
letter or digit, and has no control or formatting characters (which could hide text or turn
it right to left). Two nicknames are the same when they read the same: the key is the
NFKC form (full-width letters read as plain ones), case-folded, with spaces squashed.

The block list is modest on purpose: it stops the obvious, the organiser still watches the
room. Whole words are compared (after undoing common digit-for-letter swaps), so "Cassandra"
is not refused for what it contains; a few fragments that are never innocent are refused
anywhere in the name. Operators add words with CAMP_LIVE_BLOCKED_WORDS (camp.config).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from flask_babel import lazy_gettext as _l  # type: ignore[import-untyped]

from camp.live.errors import NicknameRefused
from camp.live.models import NICKNAME_MAX

NICKNAME_MIN = 2

BLOCKED_WORDS = frozenset(
    {
        "arsehole",
        "asshole",
        "bastard",
        "bitch",
        "bullshit",
        "cunt",
        "faggot",
        "hitler",
        "nazi",
        "nigga",
        "porn",
        "retard",
        "shit",
        "slut",
        "twat",
        "wanker",
        "whore",
    }
)
BLOCKED_FRAGMENTS = ("fuck", "nigger", "傻逼", "操你妈", "他妈的")

_LEET = str.maketrans("013457@$", "oieastas")
_SEPARATORS = re.compile(r"[\W_]+")


def nickname_key(nickname: str) -> str:
    """What two nicknames are compared by (unique per session)."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", nickname).casefold())
    return " ".join(folded.split())


def clean_nickname(raw: object, blocked: Iterable[str] = ()) -> tuple[str, str]:
    """(the nickname as shown, its key), or NicknameRefused saying why. `blocked` adds
    whole words to `BLOCKED_WORDS`."""
    if not isinstance(raw, str):
        raise NicknameRefused(_l("Choose a nickname."))
    text = raw.strip()
    if any(unicodedata.category(char).startswith("C") for char in text):
        raise NicknameRefused(_l("Use letters, digits, spaces and punctuation only."))
    nickname = " ".join(text.split())
    if not NICKNAME_MIN <= len(nickname) <= NICKNAME_MAX:
        raise NicknameRefused(
            _l(
                "A nickname has %(low)s to %(high)s characters.",
                low=NICKNAME_MIN,
                high=NICKNAME_MAX,
            )
        )
    if not any(unicodedata.category(char)[0] in "LN" for char in nickname):
        raise NicknameRefused(_l("A nickname needs at least one letter or digit."))
    key = nickname_key(nickname)
    if is_blocked(key, blocked):
        raise NicknameRefused(_l("That nickname is not allowed here. Choose another one."))
    return nickname, key


def is_blocked(key: str, extra: Iterable[str] = ()) -> bool:
    """Whether a nickname key holds a blocked word (or fragment)."""
    plain = key.translate(_LEET)
    words = [word for word in _SEPARATORS.split(plain) if word]
    squashed = "".join(words)
    blocked = BLOCKED_WORDS | {nickname_key(word) for word in extra if word.strip()}
    if any(word in blocked for word in words) or squashed in blocked:
        return True
    return any(fragment in squashed for fragment in BLOCKED_FRAGMENTS)
