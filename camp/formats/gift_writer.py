"""Writing `GiftQuestion`s as GIFT text that `parse_gift` (and Moodle) read back unchanged.

This module owns the output layout: a `$CATEGORY: $course$/path` record whenever the category
changes (an empty path when it goes back to none), one `// [id:...] [tag:...]` comment line,
`::title::`, a `[format]` prefix when needed, every GIFT control character escaped, one answer
per line, and general feedback inside the braces. A few things GIFT cannot say raise
`GiftWriteError`: a matching stem or any short answer text containing `->` (it would read back
as a matching question), general feedback on a description, control characters in an id or a
tag, and specs the registry rejects. An essay's `response_lines` has no GIFT form and is not
written.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from camp.bank.question_types import UnknownQuestionType, get_type
from camp.formats.gift_question import FORMATS, GiftQuestion

_RISKY_STARTS = ("[", "%", "//", "\ufeff")  # a format, a weight, a comment, a BOM


class GiftWriteError(ValueError):
    """A question that GIFT cannot express."""


def _escape(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\\", "\\\\")
    for char in "~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def _guarded(text: str, fmt: str, *, explicit: bool = False) -> str:
    """Escaped text, behind a `[format]` prefix when the format or the text's start need it."""
    escaped = _escape(text)
    if explicit or escaped.startswith(_RISKY_STARTS):
        return f"[{fmt}]{escaped}"
    return escaped


def _meta(value: str, what: str) -> str:
    bad = any(ord(c) < 32 or ord(c) == 127 for c in value) or value.endswith("\\")
    bad = bad or "[id:" in value or "[tag:" in value
    if bad or (what == "tag" and ("<" in value or ">" in value)):
        raise GiftWriteError(f"the {what} {value!r} cannot be written in a GIFT comment")
    return value.replace("]", "\\]")


def _weight(value: float) -> str:
    text = format(Decimal(repr(float(value))), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _number(value: float) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _feedback(text: str, fmt: str) -> str:
    return "#" + _guarded(text, fmt) if text else ""


def _no_arrow(text: str, what: str) -> None:
    if "->" in text:
        raise GiftWriteError(f"GIFT cannot write {what} containing '->': {text!r}")


def _choice_lines(q: GiftQuestion, fmt: str) -> list[str]:
    lines, marked = [], q.type == "multiple_choice"
    for option in q.spec["options"]:
        weight = float(option["weight"])
        if weight == 100 and not marked:
            mark, marked = "=", True
        else:
            mark = "~" if weight == 0 else f"~%{_weight(weight)}%"
        text = _guarded(option["text"], fmt)
        lines.append(mark + text + _feedback(option.get("feedback") or "", fmt))
    return lines


def _short_lines(q: GiftQuestion, fmt: str) -> list[str]:
    lines = []
    for answer in q.spec["answers"]:
        feedback = answer.get("feedback") or ""
        _no_arrow(answer["text"], "a short answer")
        _no_arrow(feedback, "short answer feedback")
        text = _guarded(answer["text"], fmt)
        lines.append(f"=%{_weight(answer['weight'])}%{text}{_feedback(feedback, fmt)}")
    return lines


def _numerical_lines(q: GiftQuestion, fmt: str) -> list[str]:
    lines = []
    for answer in q.spec["answers"]:
        kind = answer["kind"]
        if kind == "tolerance":
            value = f"{_number(answer['value'])}:{_number(answer['tolerance'])}"
        elif kind == "range":
            value = f"{_number(answer['min'])}..{_number(answer['max'])}"
        elif kind == "exact":
            value = _number(answer["value"])
        else:
            value = "*"
        feedback = _feedback(answer.get("feedback") or "", fmt)
        lines.append(f"=%{_weight(answer['weight'])}%{value}{feedback}")
    return lines


def _matching_lines(q: GiftQuestion, fmt: str) -> list[str]:
    lines = []
    for pair in q.spec["pairs"]:
        left = pair.get("left") or ""
        _no_arrow(left, "a matching question")
        lines.append(f"={_guarded(left, fmt) if left else ''} -> {_escape(pair['right'])}")
    return lines


def _true_false(q: GiftQuestion, fmt: str) -> str:
    answer = bool(q.spec["answer"])
    picked_true = q.spec.get("feedback_true") or ""
    picked_false = q.spec.get("feedback_false") or ""
    right, wrong = (picked_true, picked_false) if answer else (picked_false, picked_true)
    out = "TRUE" if answer else "FALSE"
    if wrong or right:
        out += "#" + (_guarded(wrong, fmt) if wrong else "")
    if right:
        out += "#" + _guarded(right, fmt)
    return out


_BLOCKS = {
    "single_choice": _choice_lines,
    "multiple_choice": _choice_lines,
    "short_answer": _short_lines,
    "numerical": _numerical_lines,
    "matching": _matching_lines,
}


def _question(q: GiftQuestion) -> str:
    try:
        problems = get_type(q.type).validate(q.spec)
    except UnknownQuestionType:
        problems = [f"GIFT cannot write questions of type {q.type!r}"]
    if problems:
        raise GiftWriteError(f"question {q.id or q.title or q.text[:40]!r}: {problems[0]}")
    fmt = q.text_format if q.text_format in FORMATS else "moodle"
    out = []
    meta = [f"[id:{_meta(q.id, 'id')}]"] if q.id is not None else []
    meta += [f"[tag:{_meta(tag, 'tag')}]" for tag in q.tags]
    if meta:
        out.append("// " + " ".join(meta))
    head = f"::{_escape(q.title)}::" if q.title else ""
    head += _guarded(q.text, fmt, explicit=fmt != "moodle")
    general = "####" + _guarded(q.general_feedback, fmt) if q.general_feedback else ""
    if q.type == "description":
        if general:
            raise GiftWriteError("GIFT cannot write general feedback on a description")
        out.append(head)
    elif q.type == "essay":
        out.append(head + "{" + general + "}")
    elif q.type == "true_false":
        out.append(head + "{" + _true_false(q, fmt) + general + "}")
    else:
        out.append(head + ("{#" if q.type == "numerical" else "{"))
        out += ["\t" + line for line in _BLOCKS[q.type](q, fmt)]
        if general:
            out.append("\t" + general)
        out.append("}")
    return "\n".join(out) + "\n"


def write_gift(questions: Iterable[GiftQuestion]) -> str:
    """GIFT text for `questions`, in order; `GiftWriteError` if one cannot be expressed."""
    records = []
    current: str | None = None
    for q in questions:
        if q.category != current:
            path = (q.category or "").replace("\r\n", "\n").replace("\r", "\n")
            path = path.replace("\\", "\\\\").replace("\n", "\\n")
            records.append(f"$CATEGORY: $course$/{path}\n")
            current = q.category
        records.append(_question(q))
    return "\n".join(records)
