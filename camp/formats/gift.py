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
from typing import Any

from flask_babel import lazy_gettext as _l  # type: ignore[import-untyped]

from camp.bank.question_types import get_type
from camp.formats.gift_blocks import TRUE_FALSE, GiftFail, GiftIssue, GiftWriteError
from camp.formats.gift_lexer import WS, Src, decode, encode, formatted, records
from camp.formats.gift_question import GiftQuestion
from camp.formats.gift_writer import write_gift
from camp.formats.moodle_xml_question import MoodleQuestion

__all__ = [
    "GiftIssue",
    "GiftQuestion",
    "GiftSyntaxError",
    "GiftWriteError",
    "parse_gift",
    "question_to_json",
    "write_gift",
]

_ID = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f\x7f])+)\]")
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]<>\x00-\x1f\x7f])+)\]")
_CONTEXT = re.compile(r"\$[A-Za-z]*\$(?:/|$)")


class GiftSyntaxError(Exception):
    """Every problem found in a GIFT file; `.errors` lists them in file order."""

    def __init__(self, errors: list[GiftIssue]) -> None:
        self.errors = sorted(errors, key=lambda issue: issue.line)
        super().__init__("\n".join(str(issue) for issue in self.errors))


def _kind(block: Src | None) -> str:
    """The registry name of the type whose reader reads `block`, in Moodle's order of detection
    (the choice reader tells single from multiple choice)."""
    if block is None:
        return "description"
    s = block.s
    if not s:
        return "essay"
    if s[0] == "#":
        return "numerical"
    if "~" in s:
        return "single_choice"
    if "=" in s and "->" in s:
        return "matching"
    check = s[: s.find("#")].strip(WS) if s.find("#") > 0 else s
    if check in TRUE_FALSE:
        return "true_false"
    if check.upper() in TRUE_FALSE:
        raise GiftFail(
            block.line(), _l("a true/false answer must be T, TRUE, F or FALSE (in capitals)")
        )
    return "short_answer"


def _brace_block(t: Src) -> tuple[Src, Src | None, str]:
    """The question text (with `_____` for a missing word), the answer block and the
    general feedback written after the block."""
    opening, closing = t.s.find("{"), t.s.find("}")
    if opening < 0 and closing < 0:
        return t, None, ""
    if closing >= 0 and (opening < 0 or closing < opening):
        raise GiftFail(
            t.line(closing), _l("found } without an opening {; write \\} for a literal brace")
        )
    if closing < 0:
        raise GiftFail(t.line(opening), _l("the answer block opened with { is never closed"))
    inner = t.s.find("{", opening + 1)
    if 0 <= inner < closing:
        raise GiftFail(
            t.line(inner), _l("a { inside the answer block; write \\{ for a literal brace")
        )
    after = t.cut(closing + 1)
    extra = min((i for i in (after.s.find("{"), after.s.find("}")) if i >= 0), default=-1)
    if extra >= 0:
        raise GiftFail(
            after.line(extra),
            _l("a question has only one answer block { }; write \\{ and \\} for literal braces"),
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
            raise GiftFail(t.line(), _l("the title started with :: is never closed with ::"))
        title, t = t.cut(2, end).text(), t.cut(end + 2).strip()
    text_src, block, general = _brace_block(t)
    if block is not None:
        gf_at = block.s.rfind("####")
        if gf_at >= 0:
            if general:
                raise GiftFail(block.line(gf_at), _l("the general feedback (####) is given twice"))
            general, block = block.cut(gf_at + 4).text("moodle"), block.cut(0, gf_at).strip()
    fmt, text = formatted(text_src, "moodle")
    if not text:
        raise GiftFail(src.line(), _l("the question has no text"))
    kind = _kind(block)
    spec: dict[str, Any] = {}
    if block is not None:
        kind, spec = get_type(kind).read_gift(block, fmt)
    return GiftQuestion(src.line(), kind, text, fmt, title, spec=spec, general_feedback=general)


def _metadata(comments: list[tuple[int, str]]) -> tuple[str | None, list[str]]:
    text = "\n".join(line for _, line in comments)
    ids = [m.group(1).replace("\\]", "]").strip(WS) for m in _ID.finditer(text)]
    if len(ids) > 1:
        raise GiftFail(comments[0][0], _l("a question can have only one [id:...]"))
    tags: list[str] = []
    for match in _TAG.finditer(text):
        tag = match.group(1).replace("\\]", "]").strip(WS)
        if tag and tag not in tags:
            tags.append(tag)
    return (ids[0] or None) if ids else None, tags


def _source_text(source: str | bytes) -> str:
    if isinstance(source, bytes | bytearray):
        raw = bytes(source)
        try:
            source = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            head = raw[: error.start]
            line = head.count(b"\n") + head.replace(b"\r\n", b"\n").count(b"\r") + 1
            raise GiftSyntaxError(
                [GiftIssue(line, _l("the file is not UTF-8 text; save it as UTF-8"))]
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
                    raise GiftFail(
                        comments[0][0],
                        _l(
                            "put [id:...] and [tag:...] comments directly above their question, "
                            "with no blank line between"
                        ),
                    )
                continue
            src = encode(body)
            if src.s.startswith("$CATEGORY:"):
                if "\n" in src.s:
                    raise GiftFail(body[1][0], _l("leave a blank line after a $CATEGORY: line"))
                path = _CONTEXT.sub("", decode(src.s[10:]).strip(WS), count=1).strip(WS)
                current = path or category
                continue
            question = _question(src)
        except GiftFail as fail:
            issues.append(fail.issue)
            continue
        question.id, question.tags, question.category = ident, tags, current
        if ident is not None and ident in seen:
            issues.append(
                GiftIssue(
                    question.line,
                    _l(
                        "the id %(id)s is already used on line %(line)s",
                        id=repr(ident),
                        line=seen[ident],
                    ),
                )
            )
        elif ident is not None:
            seen[ident] = question.line
        for message in get_type(question.type).validate(question.spec):
            issues.append(GiftIssue(question.line, message))
        questions.append(question)
    if issues:
        raise GiftSyntaxError(issues)
    return questions


def question_to_json(q: GiftQuestion | MoodleQuestion) -> dict:
    """The JSON shape the importer prints for one question (`camp bank import --json`);
    a Moodle XML question's adds its own fields (camp.formats.moodle_xml)."""
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
