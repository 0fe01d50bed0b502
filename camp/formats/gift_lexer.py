"""GIFT's lexical layer: escapes, text that remembers its lines, and records.

`encode` replaces each escaped character (`\\~ \\= \\# \\{ \\} \\: \\n \\\\`) with a private-use
placeholder, so the parser can split on the special characters without ever seeing an
escaped one; `decode` turns placeholders back into text. `Src` is a slice of a record that
knows the file line of every character, so every error can name its line.
"""

from __future__ import annotations

from collections.abc import Iterator

from camp.formats.gift_question import FORMATS

WS = " \t\n\r\0\x0b"  # what Moodle's trim() removes
_ESCAPES = ":#={}~n"
_PLAIN = ":#={}~\n"
_PH, _LIT = 0xE000, "\ue00f"  # private-use placeholders for escaped characters


class Src:
    """A slice of a record's text with escapes replaced, remembering each character's line."""

    __slots__ = ("lines", "s", "start")

    def __init__(self, s: str, lines: list[int], start: int = 0) -> None:
        self.s, self.lines, self.start = s, lines, start

    def line(self, i: int = 0) -> int:
        return self.lines[min(max(self.start + i, 0), len(self.lines) - 1)]

    def cut(self, a: int, b: int | None = None) -> Src:
        b = len(self.s) if b is None else b
        return Src(self.s[a:b], self.lines, self.start + a)

    def strip(self) -> Src:
        left = len(self.s) - len(self.s.lstrip(WS))
        return self.cut(left, left + len(self.s.strip(WS)))

    def split(self, marks: str, keep: str = "", limit: int = -1) -> list[Src]:
        """Pieces between `marks`; a mark in `keep` stays at the start of its piece."""
        pieces: list[Src] = []
        begin = 0
        for i, char in enumerate(self.s):
            if char in marks and len(pieces) != limit:
                pieces.append(self.cut(begin, i))
                begin = i if char in keep else i + 1
        return [*pieces, self.cut(begin)]

    def text(self, fmt: str | None = None) -> str:
        """The decoded, trimmed text; given a format, a leading `[format]` is dropped too."""
        return formatted(self, fmt)[1] if fmt else decode(self.s).strip(WS)

    def answer(self, fmt: str) -> tuple[str, str]:
        """An answer's text and the feedback after its first `#`."""
        text, *feedback = self.split("#", limit=1)
        return text.text(fmt), feedback[0].text(fmt) if feedback else ""


def encode(body: list[tuple[int, str]]) -> Src:
    chars: list[str] = []
    lines: list[int] = []
    for number, text in body:
        if chars:
            chars.append("\n")
            lines.append(number)
        i = 0
        while i < len(text):
            char, nxt = text[i], text[i + 1 : i + 2]
            if char == "\\" and nxt and (nxt == "\\" or nxt in _ESCAPES):
                chars.append("\\" if nxt == "\\" else chr(_PH + _ESCAPES.index(nxt)))
                i += 2
            else:
                if "\ue000" <= char <= _LIT:
                    chars.append(_LIT)
                    lines.append(number)
                chars.append(char)
                i += 1
            lines.append(number)
    return Src("".join(chars), lines or [body[0][0]])


def decode(s: str) -> str:
    if not any("\ue000" <= c <= _LIT for c in s):
        return s
    out, literal = [], False
    for char in s:
        if literal:
            out.append(char)
            literal = False
        elif char == _LIT:
            literal = True
        elif "\ue000" <= char < chr(_PH + len(_PLAIN)):
            out.append(_PLAIN[ord(char) - _PH])
        else:
            out.append(char)
    return "".join(out)


def formatted(src: Src, default: str) -> tuple[str, str]:
    s = src.strip().s
    end = s.find("]")
    if s.startswith("[") and end > 0 and s[1:end] in FORMATS:
        return s[1:end], decode(s[end + 1 :]).strip(WS)
    return default, decode(s).strip(WS)


def records(text: str) -> Iterator[list[tuple[int, str]]]:
    record: list[tuple[int, str]] = []
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip(WS)
        if line:
            record.append((number, line))
        elif record:
            yield record
            record = []
    if record:
        yield record
