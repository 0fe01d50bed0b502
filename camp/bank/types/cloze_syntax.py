"""Moodle's embedded-answers (cloze) syntax: a question text with gaps such as
`{2:SHORTANSWER:=Paris#Right!~%50%Lyon#Close~*#No}` read into the text Camp stores, where each
gap is a placeholder `{#1}`, `{#2}`, ... numbered in order of appearance (as Moodle stores
them), and the gaps' specs; and written back for the author to edit.

A gap is `{mark:TYPE:answers}`: the mark a whole number (empty: 1), TYPE one of Moodle's names
(case-sensitive; `MULTIRESPONSE` and its forms are refused), answers separated by `~`, each
with an optional weight (`=` is 100%, `%50%` a part mark, none 0%), its text and `#feedback`.
In an answer or its feedback `\\}`, `\\~`, `\\#`, `\\&` and `\\\\` stand for the character
itself, and a `#` that starts an HTML character reference (`&#39;`) belongs to the answer.
Any other `{` is text. A numerical answer is `3.14`, `3.14:0.01` (a tolerance), `*` (any
number) or, Camp's addition, `1..2` (a range).

`split_html` cuts the rendered, sanitised text at its placeholders, so that a page can put an
input where each gap was. Pure code: no request, no database (problems are translated with
Flask-Babel, in English outside a request).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _  # type: ignore[import-untyped]
from markupsafe import Markup

from camp.bank.types.base import parse_number, show_number
from camp.bank.types.numerical import notation

MAX_MARK = 1000
PLACEHOLDER = re.compile(r"\{#(\d{1,4})\}")
BLANK = "_____"  # a gap in a title or any other plain words
_START = re.compile(r"\{(\d*):([A-Za-z_]+):")
_WEIGHT = re.compile(r"%([^%]*)%")
_CHARACTER_REFERENCE = re.compile(r"&#(?:\d+|[xX][0-9a-fA-F]+);")
_ESCAPABLE = "\\}~#&"
# A tag of sanitised HTML: attribute values are always double-quoted, and `"` inside them is
# written as `&quot;`, so a `>` inside a value does not end the tag.
_TAG = re.compile(r'(<[^>"]*(?:"[^"]*"[^>"]*)*>)')
_GROUPS: tuple[tuple[str, str | None, tuple[str, ...]], ...] = (
    ("short_answer", None, ("SHORTANSWER", "SA", "MW")),
    ("short_answer_case", None, ("SHORTANSWER_C", "SAC", "MWC")),
    ("numerical", None, ("NUMERICAL", "NM")),
    ("choice", "dropdown", ("MULTICHOICE", "MC", "MULTICHOICE_S", "MCS")),
    ("choice", "vertical", ("MULTICHOICE_V", "MCV", "MULTICHOICE_VS", "MCVS")),
    ("choice", "horizontal", ("MULTICHOICE_H", "MCH", "MULTICHOICE_HS", "MCHS")),
)
TYPES = {word: (kind, display) for kind, display, words in _GROUPS for word in words}
_WRITTEN = {(kind, display): words[0] for kind, display, words in _GROUPS}
_REFUSED: tuple[str, ...] = ("MULTIRESPONSE", "MR", "MULTIRESPONSE_H", "MRH")
_REFUSED += ("MULTIRESPONSE_S", "MRS", "MULTIRESPONSE_HS", "MRHS")


def placeholder(number: int) -> str:
    return f"{{#{number}}}"


@dataclass(frozen=True)
class Gap:
    """One gap as read: its spec, or None and the problems that kept it from being read."""

    spec: dict[str, Any] | None
    problems: tuple[str, ...] = ()


Chars = list[tuple[str, bool]]  # each character, and whether a backslash escaped it


def _chars(raw: str) -> Chars:
    chars, i = [], 0
    while i < len(raw):
        if raw[i] == "\\" and i + 1 < len(raw) and raw[i + 1] in _ESCAPABLE:
            chars.append((raw[i + 1], True))
            i += 2
        else:
            chars.append((raw[i], False))
            i += 1
    return chars


def _text(chars: Chars) -> str:
    return "".join(char for char, _ in chars)


def _split(chars: Chars) -> list[Chars]:
    """The answers of a gap: `chars` split at each `~` not escaped."""
    pieces: list[Chars] = [[]]
    for char, escaped in chars:
        if char == "~" and not escaped:
            pieces.append([])
        else:
            pieces[-1].append((char, escaped))
    return pieces


def _feedback_at(chars: Chars) -> int:
    """Where the feedback's `#` is: the first not escaped, nor part of `&#39;`; or -1."""
    text = _text(chars)
    for index, (char, escaped) in enumerate(chars):
        if char != "#" or escaped:
            continue
        after_amp = index > 0 and chars[index - 1] == ("&", False)
        if not (after_amp and _CHARACTER_REFERENCE.match(text, index - 1)):
            return index
    return -1


def _closing(text: str, start: int) -> int:
    """The index of the `}` that ends a gap whose answers start at `start`; -1 if none."""
    i = start
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text) and text[i + 1] in _ESCAPABLE:
            i += 2
        elif text[i] == "}":
            return i
        else:
            i += 1
    return -1


def _number_answer(value: str) -> dict[str, Any] | None:
    if value == "*":
        return {"kind": "any"}
    low, dots, high = value.partition("..")
    if dots and low:
        bounds = parse_number(low), parse_number(high)
        return None if None in bounds else {"kind": "range", "min": bounds[0], "max": bounds[1]}
    number, colon, tolerance = value.partition(":")
    if colon and number:
        pair = parse_number(number), parse_number(tolerance)
        return (
            None if None in pair else {"kind": "tolerance", "value": pair[0], "tolerance": pair[1]}
        )
    exact = parse_number(value)
    return None if exact is None else {"kind": "exact", "value": exact}


def _answer(chars: Chars, kind: str, what: str) -> tuple[dict[str, Any] | None, str]:
    """One answer of a gap, or None and the problem with it."""
    text = _text(chars)
    weight = 0.0
    if text.startswith("=") and not chars[0][1]:
        weight, chars = 100.0, chars[1:]
    elif (match := _WEIGHT.match(text)) is not None:
        value = parse_number(match[1].strip())
        if value is None:
            return None, _(
                "%(what)s: %(weight)s is not a weight such as %%50%%.", what=what, weight=match[0]
            )
        weight, chars = value, chars[match.end() :]
    cut = _feedback_at(chars)
    answer = _text(chars if cut < 0 else chars[:cut]).strip()
    feedback = "" if cut < 0 else _text(chars[cut + 1 :]).strip()
    if not answer:
        return None, _("%(what)s is empty.", what=what)
    if kind != "numerical":
        return {"text": answer, "weight": weight, "feedback": feedback}, ""
    number = _number_answer(answer)
    if number is None:
        return None, _(
            "%(what)s (%(answer)s) is not a number such as 3.14, 3.14:0.01 (with a tolerance) "
            "or * (any number).",
            what=what,
            answer=answer,
        )
    return {**number, "weight": weight, "feedback": feedback}, ""


def _gap(mark: str, word: str, body: str, number: int) -> Gap:
    what = _("Gap %(number)s", number=number)
    if word in _REFUSED:
        refused = _(
            "%(what)s: Camp has no %(word)s gaps (several answers ticked); use MULTICHOICE for "
            "one answer, or a multiple choice question.",
            what=what,
            word=word,
        )
        return Gap(None, (refused,))
    if word not in TYPES:
        if word.upper() in TYPES:
            unknown = _(
                "%(what)s: unknown gap type %(word)s; use SHORTANSWER (SA), SHORTANSWER_C (SAC), "
                "NUMERICAL (NM), MULTICHOICE (MC), MULTICHOICE_V (MCV) or MULTICHOICE_H (MCH) "
                "(in capitals).",
                what=what,
                word=word,
            )
        else:
            unknown = _(
                "%(what)s: unknown gap type %(word)s; use SHORTANSWER (SA), SHORTANSWER_C (SAC), "
                "NUMERICAL (NM), MULTICHOICE (MC), MULTICHOICE_V (MCV) or MULTICHOICE_H (MCH).",
                what=what,
                word=word,
            )
        return Gap(None, (unknown,))
    kind, display = TYPES[word]
    problems, answers = [], []
    value = int(mark) if mark and len(mark) <= 6 else (0 if mark else 1)
    if not 1 <= value <= MAX_MARK:
        problems.append(
            _("%(what)s: the mark must be a whole number from 1 to %(n)s.", what=what, n=MAX_MARK)
        )
    for position, chars in enumerate(_split(_chars(body)), 1):
        answer_name = _("Gap %(gap)s: answer %(number)s", gap=number, number=position)
        answer, problem = _answer(chars, kind, answer_name)
        if answer is None:
            problems.append(problem)
        answers.append(answer)
    if problems:
        return Gap(None, tuple(problems))
    spec: dict[str, Any] = {"kind": kind, "mark": value, "answers": answers}
    if display is not None:
        spec["display"] = display
    return Gap(spec)


def _no_placeholders(text: str, problems: list[str]) -> None:
    for match in PLACEHOLDER.finditer(text):
        problems.append(
            _(
                "The text contains %(placeholder)s, which Camp uses to mark where a gap goes: "
                "write each gap in Moodle's syntax, such as {1:SHORTANSWER:=Paris}.",
                placeholder=match[0],
            )
        )


def read(text: str) -> tuple[str, list[Gap], list[str]]:
    """The text to store (a placeholder for each gap), the gaps in order (a gap not closed
    is the last, unread), and the problems of the text around them (placeholders written
    by hand)."""
    out: list[str] = []
    gaps: list[Gap] = []
    problems: list[str] = []
    position = 0
    while (match := _START.search(text, position)) is not None:
        _no_placeholders(text[position : match.start()], problems)
        end = _closing(text, match.end())
        if end < 0:
            unclosed = _("Gap %(number)s is not closed: end it with }.", number=len(gaps) + 1)
            gaps.append(Gap(None, (unclosed,)))
            position = len(text)
            break
        out += [text[position : match.start()], placeholder(len(gaps) + 1)]
        gaps.append(_gap(match[1], match[2], text[match.end() : end], len(gaps) + 1))
        position = end + 1
    _no_placeholders(text[position:], problems)
    out.append(text[position:])
    return "".join(out), gaps, problems


def _escaped(text: str) -> str:
    out = []
    for index, char in enumerate(text):
        following = text[index + 1 : index + 2]
        if char == "\\" and (not following or following in _ESCAPABLE):
            out.append("\\\\")
        elif char in "}~#":
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def _answer_text(kind: str, answer: dict[str, Any]) -> str:
    text = notation(answer) if kind == "numerical" else _escaped(answer["text"])
    feedback = answer.get("feedback") or ""
    if feedback and text.endswith("&"):  # else `&#` and the feedback could read as `&#39;`
        text = text[:-1] + "\\&"
    weight = float(answer["weight"])
    if weight == 100:
        text = "=" + text
    elif weight or text.startswith(("%", "=")):
        text = f"%{show_number(weight)}%{text}"
    return f"{text}#{_escaped(feedback)}" if feedback else text


def gap_text(gap: dict[str, Any]) -> str:
    """A gap in Moodle's syntax, as `read` reads it back."""
    word = _WRITTEN[(gap["kind"], gap.get("display"))]
    answers = "~".join(_answer_text(gap["kind"], answer) for answer in gap["answers"])
    return f"{{{gap['mark']}:{word}:{answers}}}"


def write(text: str, gaps: list[dict[str, Any]]) -> str:
    """The stored `text` with each gap written back in place of its placeholder; a gap whose
    placeholder is missing is written at the end."""
    written: set[int] = set()

    def gap_for(match: re.Match[str]) -> str:
        number = int(match[1])
        if not 1 <= number <= len(gaps) or number in written:
            return match[0]
        written.add(number)
        return gap_text(gaps[number - 1])

    out = PLACEHOLDER.sub(gap_for, text)
    missing = [gap_text(gap) for number, gap in enumerate(gaps, 1) if number not in written]
    return "\n\n".join([out, *missing]) if missing else out


def blanked(text: str) -> str:
    """The stored `text` with a blank, `_____`, where each gap's placeholder is."""
    return PLACEHOLDER.sub(BLANK, text)


def split_html(html: str, count: int) -> list[Markup | int]:
    """Sanitised `html` cut at the first placeholder of each gap 1..`count` in its text (never
    inside a tag or an attribute): pieces of markup and gap numbers, in order. A gap whose
    placeholder did not survive the rendering comes at the end."""
    parts: list[Markup | int] = []
    current: list[str] = []
    placed: set[int] = set()
    for index, chunk in enumerate(_TAG.split(html)):
        if index % 2:  # a tag
            current.append(chunk)
            continue
        position = 0
        for match in PLACEHOLDER.finditer(chunk):
            number = int(match[1])
            if 1 <= number <= count and number not in placed:
                current.append(chunk[position : match.start()])
                parts += [Markup("".join(current)), number]  # noqa: S704 (sanitised pieces)
                current, position = [], match.end()
                placed.add(number)
        current.append(chunk[position:])
    parts.append(Markup("".join(current)))  # noqa: S704 (sanitised pieces)
    return parts + [number for number in range(1, count + 1) if number not in placed]
