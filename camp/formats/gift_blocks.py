"""The pieces a question type uses to read and write its GIFT answer block: weights, answer
lists, numbers, escaping, and the errors that name a line.

`camp.formats.gift` owns the record grammar (titles, formats, braces, type detection) and
`gift_writer` the file layout; each type in `camp.bank.types` reads and writes what is between
its braces with these helpers. Nothing here knows a question type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l  # type: ignore[import-untyped]

from camp.formats.gift_lexer import WS, Src, decode

_WEIGHT = re.compile(r"%(-?\d+(?:\.\d*)?)%")
WEIGHTISH = re.compile(r"%[^%\s]*%")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}  # a true/false block's answer
_RISKY_STARTS = ("[", "%", "//", "\ufeff")  # a format, a weight, a comment, a BOM


@dataclass(frozen=True)
class GiftIssue:
    """One problem in a GIFT file, at a 1-based line."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class GiftFail(Exception):
    """One problem found while reading a record; the reader collects them into a report."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.issue = GiftIssue(line, message)


class GiftWriteError(ValueError):
    """A question that GIFT cannot express."""


@dataclass(frozen=True)
class GiftBlock:
    """A question's answer block as written: `opening` (`{` or `{#`), then either `inline`
    text on the same line (true/false, essay) or `lines`, one answer per line."""

    opening: str = "{"
    lines: tuple[str, ...] = ()
    inline: str | None = None


# -- reading ---------------------------------------------------------------------------------


def read_weight(piece: Src, default: float) -> tuple[float, Src]:
    """A leading `%50%` weight (or `default`) and the rest of the answer."""
    match = _WEIGHT.match(piece.s)
    if match:
        return float(match.group(1)), piece.cut(match.end())
    bad = WEIGHTISH.match(piece.s)
    if bad:
        raise GiftFail(
            piece.line(),
            _l(
                "the weight %(weight)s is not a number (write %%50%% or %%-33.3%%)",
                weight=decode(bad.group()),
            ),
        )
    return default, piece


def answer_pieces(block: Src, marks: str, keep: str = "") -> list[Src]:
    """The answers of a block, split at `marks` (a mark in `keep` stays on its answer)."""
    pieces = [piece.strip() for piece in block.split(marks, keep)]
    return pieces[1:] if not pieces[0].s else pieces


def read_number(text: str, line: int) -> float:
    text = text.strip(WS)
    value = float(text) if _NUMBER.fullmatch(text) else float("nan")
    if value != value or abs(value) == float("inf"):
        raise GiftFail(line, _l("%(text)s is not a number", text=repr(text)))
    return value


# -- writing ---------------------------------------------------------------------------------


def escape(text: str) -> str:
    """`text` with every GIFT control character escaped and newlines as `\\n`."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\\", "\\\\")
    for char in "~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def guarded(text: str, fmt: str, *, explicit: bool = False) -> str:
    """Escaped text, behind a `[format]` prefix when the format or the text's start need it."""
    escaped = escape(text)
    if explicit or escaped.startswith(_RISKY_STARTS):
        return f"[{fmt}]{escaped}"
    return escaped


def weight_text(value: float) -> str:
    text = format(Decimal(repr(float(value))), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def feedback_text(text: str, fmt: str) -> str:
    """`#feedback`, or nothing when there is none."""
    return "#" + guarded(text, fmt) if text else ""


def refuse_arrow(text: str, message: str) -> None:
    """GIFT reads `->` in an answer block as a matching pair: `message` (translated) says what
    cannot be written, with the text as `%(text)s`."""
    if "->" in text:
        raise GiftWriteError(message % {"text": repr(text)})
