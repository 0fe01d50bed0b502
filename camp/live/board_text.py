"""What a question on the board may say, and how it is tidied before it is stored. Pure code.

A post is plain text (templates escape it; it is never HTML) of 1 to POST_MAX characters
once tidied: NFC, line endings made "\\n", runs of spaces and tabs squashed to one space, at
most one blank line in a row, trimmed. Control and invisible formatting characters are
refused rather than dropped: they could hide text from the organisers or turn it right to
left on the projector. The joiners are let through, since emoji sequences and several
scripts need them.
"""

from __future__ import annotations

import re
import unicodedata

from flask_babel import lazy_gettext as _l  # type: ignore[import-untyped]

from camp.live.board_models import POST_MAX
from camp.live.errors import PostRefused

# Joiners are formatting characters that emoji sequences and several scripts need.
_ALLOWED_FORMATTING = frozenset("\u200c\u200d")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_post(raw: object) -> str:
    """The text of a post as stored, or PostRefused saying why (see the module docstring)."""
    if not isinstance(raw, str):
        raise PostRefused(_l("Write your question first."))
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    if any(_refused(char) for char in text):
        raise PostRefused(
            _l("Remove the control or invisible formatting characters from your question.")
        )
    lines = (" ".join(line.split()) for line in text.split("\n"))
    text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    if not text:
        raise PostRefused(_l("Write your question first."))
    if len(text) > POST_MAX:
        raise PostRefused(_l("A question has at most %(count)s characters.", count=POST_MAX))
    return text


def _refused(char: str) -> bool:
    if char in "\n\t":
        return False
    return unicodedata.category(char).startswith("C") and char not in _ALLOWED_FORMATTING
