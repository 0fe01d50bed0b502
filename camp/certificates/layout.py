"""Fitting text into a width: measuring, wrapping (Latin and Chinese), shrinking.

Latin text breaks at spaces; Chinese text between any two characters, except that closing
punctuation (，。）…) stays with the character before it and opening punctuation (（《…)
with the character after it. A word wider than the whole line (an address) breaks
between characters. Widths are ReportLab's, in points, for a registered font.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]

_CJK = (
    "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0002fa1f"
)
_CLOSING = "，。、；：！？）》」』】〉\u3015…\u2019”,.;:!?)]"
_OPENING = "（《「『【〈\u3014\u2018“(["
_TOKEN = re.compile(
    rf"\s+"
    rf"|[{re.escape(_OPENING)}]*[{_CJK}][{re.escape(_CLOSING)}]*"
    rf"|[^\s{_CJK}]+[{re.escape(_CLOSING)}]*"
)
ELLIPSIS = "…"


@dataclass(frozen=True)
class Fitted:
    """A text set in `size` points, as the lines to draw."""

    size: float
    lines: tuple[str, ...]


def width(text: str, font: str, size: float) -> float:
    return float(stringWidth(text, font, size))


def wrap(text: str, font: str, size: float, max_width: float) -> list[str]:
    """`text` in lines no wider than `max_width`, breaking where the script allows."""
    lines: list[str] = []
    current = ""
    for token in _tokens(text, font, size, max_width):
        candidate = current + token
        if current.strip() and width(candidate.rstrip(), font, size) > max_width:
            lines.append(current.rstrip())
            current = token.lstrip()
        else:
            current = candidate if current or not token.isspace() else ""
    if current.strip():
        lines.append(current.rstrip())
    return lines or [""]


def fit(
    text: str,
    font: str,
    *,
    max_size: float,
    min_size: float,
    max_width: float,
    max_lines: int = 1,
    step: float = 0.5,
) -> Fitted:
    """The largest size from `max_size` down to `min_size` at which `text` holds on one
    line, else (from 80 % of `max_size` down, so that a long text is not set in huge
    lines) on at most `max_lines` lines; past that, the last line ends in '…'."""
    natural = width(text, font, 1)
    if natural <= 0 or natural * max_size <= max_width:
        return Fitted(max_size, (text,))
    one_line = max_width / natural
    if one_line >= min_size:
        return Fitted(_floor(one_line, step), (text,))
    if max_lines > 1:
        size = _floor(max(min_size, max_size * 0.8), step)
        while size >= min_size:
            lines = wrap(text, font, size, max_width)
            if len(lines) <= max_lines:
                return Fitted(size, tuple(lines))
            size -= step
    lines = wrap(text, font, min_size, max_width)
    kept = [
        *lines[: max_lines - 1],
        truncate(" ".join(lines[max_lines - 1 :]), font, min_size, max_width),
    ]
    return Fitted(min_size, tuple(kept))


def truncate(text: str, font: str, size: float, max_width: float) -> str:
    """`text`, or as much of it as fits in `max_width` followed by '…'."""
    if width(text, font, size) <= max_width:
        return text
    kept = text
    while kept and width(kept.rstrip() + ELLIPSIS, font, size) > max_width:
        kept = kept[:-1]
    return kept.rstrip() + ELLIPSIS


def _tokens(text: str, font: str, size: float, max_width: float) -> list[str]:
    tokens: list[str] = []
    for token in _TOKEN.findall(" ".join(text.split())):
        if width(token, font, size) <= max_width:
            tokens.append(token)
        else:
            tokens.extend(token)  # wider than a line: one character at a time
    return tokens


def _floor(size: float, step: float) -> float:
    return int(size / step) * step
