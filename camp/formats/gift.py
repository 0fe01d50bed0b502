"""Reading Moodle's GIFT question format into `GiftQuestion`s (writing: `gift_writer`).

Owns the grammar as Camp reads it, following Moodle's importer (question/format/gift/format.php):
blank lines separate records, whole-line `//` comments carry `[id:...]` and `[tag:...]`, then
`::title::`, a `[format]`, escapes `\\~ \\= \\# \\{ \\} \\: \\n \\\\`, and Moodle's order
of type detection.
Where Moodle is silent or lax:
- `$CATEGORY:` drops a leading context (`$course$/`, `$system$/`...) and keeps the rest verbatim:
  `$course$/top/Unit 1` and `top/Unit 1` both give "top/Unit 1"; an empty path returns to the
  `category` given to `parse_gift`.
- `{T#one#two}`: Moodle shows `one` to a wrong answer and `two` to a right one; the spec keeps
  them by the answer picked (`feedback_true`: picked True, `feedback_false`: picked False).
- `[format]` prefixes on answers and feedback are dropped (read in the question's format);
  `}####...` after the block is general feedback too (Moodle only reads it inside).
- What Moodle lets through silently is an error here: unclosed titles and braces, a second
  block, `{true}`, `=%50%` in a choice question, non-numeric weights or numbers, an `[id:]`
  separated from its question by a blank line, a repeated id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from camp.bank.question_types import get_type
from camp.formats.gift_lexer import WS, Src, decode, encode, formatted, records
from camp.formats.gift_question import GiftQuestion
from camp.formats.gift_writer import GiftWriteError, write_gift

__all__ = [
    "GiftIssue",
    "GiftQuestion",
    "GiftSyntaxError",
    "GiftWriteError",
    "parse_gift",
    "question_to_json",
    "write_gift",
]

_WEIGHT = re.compile(r"%(-?\d+(?:\.\d*)?)%")
_WEIGHTISH = re.compile(r"%[^%\s]*%")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_ID = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f\x7f])+)\]")
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]<>\x00-\x1f\x7f])+)\]")
_CONTEXT = re.compile(r"\$[A-Za-z]*\$(?:/|$)")
_TF = {"T": True, "TRUE": True, "F": False, "FALSE": False}


@dataclass(frozen=True)
class GiftIssue:
    """One problem in a GIFT file, at a 1-based line."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class GiftSyntaxError(Exception):
    """Every problem found in a GIFT file; `.errors` lists them in file order."""

    def __init__(self, errors: list[GiftIssue]) -> None:
        self.errors = sorted(errors, key=lambda issue: issue.line)
        super().__init__("\n".join(str(issue) for issue in self.errors))


class _Fail(Exception):
    def __init__(self, line: int, message: str) -> None:
        self.issue = GiftIssue(line, message)


def _weight(piece: Src, default: float) -> tuple[float, Src]:
    match = _WEIGHT.match(piece.s)
    if match:
        return float(match.group(1)), piece.cut(match.end())
    bad = _WEIGHTISH.match(piece.s)
    if bad:
        raise _Fail(
            piece.line(),
            f"the weight {decode(bad.group())} is not a number (write %50% or %-33.3%)",
        )
    return default, piece


def _answers(block: Src, marks: str, keep: str = "") -> list[Src]:
    pieces = [piece.strip() for piece in block.split(marks, keep)]
    return pieces[1:] if not pieces[0].s else pieces


def _choice(block: Src, fmt: str) -> tuple[str, dict]:
    single = "=" in block.s
    options = []
    for piece in _answers(block, "~=", keep="="):
        if piece.s.startswith("="):
            piece, weight = piece.cut(1).strip(), 100.0
            if _WEIGHTISH.match(piece.s):
                raise _Fail(piece.line(), "= already means 100%; write ~%50%answer for a part mark")
        else:
            weight, piece = _weight(piece, 0.0)
        text, feedback = piece.answer(fmt)
        options.append({"text": text, "weight": weight, "feedback": feedback})
    return ("single_choice" if single else "multiple_choice"), {"options": options}


def _matching(block: Src, fmt: str) -> dict:
    pairs = []
    for piece in _answers(block, "="):
        arrow = piece.s.find("->")
        if arrow < 0:
            raise _Fail(
                piece.line(), "each pair of a matching question is written =question -> answer"
            )
        pairs.append({"left": piece.cut(0, arrow).text(fmt), "right": piece.cut(arrow + 2).text()})
    return {"pairs": pairs}


def _true_false(block: Src, fmt: str) -> dict:
    answer, *rest = block.split("#", limit=2)
    wrong_fb, right_fb = [piece.text(fmt) for piece in rest] + [""] * (2 - len(rest))
    if _TF[answer.strip().s]:
        return {"answer": True, "feedback_true": right_fb, "feedback_false": wrong_fb}
    return {"answer": False, "feedback_true": wrong_fb, "feedback_false": right_fb}


def _short_answer(block: Src, fmt: str) -> dict:
    answers = []
    for piece in _answers(block, "="):
        weight, piece = _weight(piece, 100.0)
        text, feedback = piece.answer(fmt)
        answers.append({"text": text, "weight": weight, "feedback": feedback})
    return {"answers": answers}


def _number(text: str, line: int) -> float:
    text = text.strip(WS)
    value = float(text) if _NUMBER.fullmatch(text) else float("nan")
    if value != value or abs(value) == float("inf"):
        raise _Fail(line, f"{text!r} is not a number")
    return value


def _numerical(block: Src, fmt: str) -> dict:
    block = block.cut(1)
    tilde = block.s.find("~")
    other = block.cut(tilde) if tilde >= 0 else None
    block = block.cut(0, tilde) if tilde >= 0 else block
    pieces = _answers(block, "=")
    if not pieces:
        raise _Fail(block.line(), "a numerical question needs an answer, as in {#3.14:0.01}")
    answers = []
    for piece in pieces:
        weight, piece = _weight(piece, 100.0)
        (value, feedback), line = piece.answer(fmt), piece.line()
        if value.find("..") > 0:
            low, high = (_number(part, line) for part in value.split("..", 1))
            answer: dict = {"kind": "range", "min": low, "max": high}
        elif value.find(":") > 0:
            number, tolerance = (_number(part, line) for part in value.split(":", 1))
            answer = {"kind": "tolerance", "value": number, "tolerance": tolerance}
        else:
            answer = (
                {"kind": "any"}
                if value == "*"
                else {"kind": "exact", "value": _number(value, line)}
            )
        answers.append({**answer, "weight": weight, "feedback": feedback})
    if other is not None:
        answers.append({"kind": "any", "weight": 0.0, "feedback": other.answer(fmt)[1]})
    return {"answers": answers}


def _kind(block: Src | None) -> str:
    if block is None:
        return "description"
    s = block.s
    if not s:
        return "essay"
    if s[0] == "#":
        return "numerical"
    if "~" in s:
        return "choice"
    if "=" in s and "->" in s:
        return "matching"
    check = s[: s.find("#")].strip(WS) if s.find("#") > 0 else s
    if check in _TF:
        return "true_false"
    if check.upper() in _TF:
        raise _Fail(block.line(), "a true/false answer must be T, TRUE, F or FALSE (in capitals)")
    return "short_answer"


def _brace_block(t: Src) -> tuple[Src, Src | None, str]:
    """The question text (with `_____` for a missing word), the answer block and the
    general feedback written after the block."""
    opening, closing = t.s.find("{"), t.s.find("}")
    if opening < 0 and closing < 0:
        return t, None, ""
    if closing >= 0 and (opening < 0 or closing < opening):
        raise _Fail(t.line(closing), "found } without an opening {; write \\} for a literal brace")
    if closing < 0:
        raise _Fail(t.line(opening), "the answer block opened with { is never closed")
    inner = t.s.find("{", opening + 1)
    if 0 <= inner < closing:
        raise _Fail(t.line(inner), "a { inside the answer block; write \\{ for a literal brace")
    after = t.cut(closing + 1)
    extra = min((i for i in (after.s.find("{"), after.s.find("}")) if i >= 0), default=-1)
    if extra >= 0:
        raise _Fail(
            after.line(extra),
            "a question has only one answer block { }; write \\{ and \\} for literal braces",
        )
    block, tail, trailing_gf = t.cut(opening + 1, closing), after.strip(), ""
    if tail.s.startswith("####"):
        trailing_gf, tail = tail.cut(4).text("moodle"), tail.cut(0, 0)
    text = t.s[:opening] + ("_____" + after.s if tail.s else "")
    return Src(text, t.lines, t.start), block.strip(), trailing_gf


def _question(src: Src) -> GiftQuestion:
    t, title = src.strip(), ""
    if t.s.startswith("::"):
        end = t.s.find("::", 2)
        if end < 0:
            raise _Fail(t.line(), "the title started with :: is never closed with ::")
        title, t = t.cut(2, end).text(), t.cut(end + 2).strip()
    text_src, block, general = _brace_block(t)
    if block is not None:
        gf_at = block.s.rfind("####")
        if gf_at >= 0:
            if general:
                raise _Fail(block.line(gf_at), "the general feedback (####) is given twice")
            general, block = block.cut(gf_at + 4).text("moodle"), block.cut(0, gf_at).strip()
    fmt, text = formatted(text_src, "moodle")
    if not text:
        raise _Fail(src.line(), "the question has no text")
    kind = _kind(block)
    spec: dict = {}
    if block is not None and kind == "choice":
        kind, spec = _choice(block, fmt)
    elif block is not None and kind != "essay":
        reader = {"matching": _matching, "true_false": _true_false, "numerical": _numerical}
        spec = reader.get(kind, _short_answer)(block, fmt)
    return GiftQuestion(src.line(), kind, text, fmt, title, spec=spec, general_feedback=general)


def _metadata(comments: list[tuple[int, str]]) -> tuple[str | None, list[str]]:
    text = "\n".join(line for _, line in comments)
    ids = [m.group(1).replace("\\]", "]").strip(WS) for m in _ID.finditer(text)]
    if len(ids) > 1:
        raise _Fail(comments[0][0], "a question can have only one [id:...]")
    tags: list[str] = []
    for match in _TAG.finditer(text):
        tag = match.group(1).replace("\\]", "]").strip(WS)
        if tag and tag not in tags:
            tags.append(tag)
    return (ids[0] or None) if ids else None, tags


def _source_text(source: str | bytes) -> str:
    if isinstance(source, bytes | bytearray):
        try:
            source = bytes(source).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            head = source[: error.start]
            line = head.count(b"\n") + head.replace(b"\r\n", b"\n").count(b"\r") + 1
            raise GiftSyntaxError(
                [GiftIssue(line, "the file is not UTF-8 text; save it as UTF-8")]
            ) from None
    return source.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def parse_gift(source: str | bytes, *, category: str | None = None) -> list[GiftQuestion]:
    """Every question in a GIFT file, or `GiftSyntaxError` listing all the file's problems.

    `category` is the category of questions before any `$CATEGORY:` line.
    """
    text = _source_text(source)
    questions: list[GiftQuestion] = []
    issues: list[GiftIssue] = []
    seen: dict[str, int] = {}
    current = category
    for record in records(text):
        comments = [(n, line) for n, line in record if line.startswith("//")]
        body = [(n, line) for n, line in record if not line.startswith("//")]
        try:
            ident, tags = _metadata(comments) if comments else (None, [])
            if not body:
                if ident is not None or tags:
                    raise _Fail(
                        comments[0][0],
                        "put [id:...] and [tag:...] comments directly above their question, "
                        "with no blank line between",
                    )
                continue
            src = encode(body)
            if src.s.startswith("$CATEGORY:"):
                if "\n" in src.s:
                    raise _Fail(body[1][0], "leave a blank line after a $CATEGORY: line")
                path = _CONTEXT.sub("", decode(src.s[10:]).strip(WS), count=1).strip(WS)
                current = path or category
                continue
            question = _question(src)
        except _Fail as fail:
            issues.append(fail.issue)
            continue
        question.id, question.tags, question.category = ident, tags, current
        if ident is not None and ident in seen:
            issues.append(
                GiftIssue(question.line, f"the id {ident!r} is already used on line {seen[ident]}")
            )
        elif ident is not None:
            seen[ident] = question.line
        for message in get_type(question.type).validate(question.spec):
            issues.append(GiftIssue(question.line, message))
        questions.append(question)
    if issues:
        raise GiftSyntaxError(issues)
    return questions


def question_to_json(q: GiftQuestion) -> dict:
    """The JSON shape the importer prints for one question (`camp bank import --json`)."""
    return {
        "line": q.line,
        "id": q.id,
        "type": q.type,
        "title": q.title,
        "text": q.text,
        "answers": get_type(q.type).answers_summary(q.spec),
        "general_feedback": q.general_feedback,
        "tags": list(q.tags),
        "category": q.category,
    }
