"""Writing `GiftQuestion`s as GIFT text that `parse_gift` (and Moodle) read back unchanged.

This module owns the output layout: a `$CATEGORY: $course$/path` record whenever the category
changes (an empty path when it goes back to none), one `// [id:...] [tag:...]` comment line,
`::title::`, a `[format]` prefix when needed, every GIFT control character escaped, one answer
per line, and general feedback inside the braces. Each question type writes what goes between
its braces (`QuestionType.write_gift`). What GIFT cannot say raises `GiftWriteError`: a type
with no GIFT form (ordering, embedded answers), a matching stem or any short answer text
containing `->` (it would read back as a matching question), general feedback on a
description, control characters in an id or a tag, and specs the registry rejects; the
message names the question. An essay's `response_lines` has no GIFT form and is not written.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l  # type: ignore[import-untyped]

from camp.bank.question_types import UnknownQuestionType, get_type
from camp.formats.gift_blocks import GiftWriteError, escape, guarded
from camp.formats.gift_question import FORMATS, GiftQuestion

__all__ = ["GiftWriteError", "write_gift"]


# What cannot be written in a GIFT comment, by what it is.
_META = {
    "id": _l("the id %(value)s cannot be written in a GIFT comment"),
    "tag": _l("the tag %(value)s cannot be written in a GIFT comment"),
}


def _meta(value: str, what: str) -> str:
    bad = any(ord(c) < 32 or ord(c) == 127 for c in value) or value.endswith("\\")
    bad = bad or "[id:" in value or "[tag:" in value
    if bad or (what == "tag" and ("<" in value or ">" in value)):
        raise GiftWriteError(_META[what] % {"value": repr(value)})
    return value.replace("]", "\\]")


def _question(q: GiftQuestion) -> str:
    try:
        problems = get_type(q.type).validate(q.spec)
    except UnknownQuestionType:
        problems = [_l("GIFT cannot write questions of type %(type)s", type=repr(q.type))]
    which = repr(q.id or q.title or q.text[:40])
    if problems:
        raise GiftWriteError(
            _l("question %(which)s: %(problem)s", which=which, problem=problems[0])
        )
    fmt = q.text_format if q.text_format in FORMATS else "moodle"
    out = []
    meta = [f"[id:{_meta(q.id, 'id')}]"] if q.id is not None else []
    meta += [f"[tag:{_meta(tag, 'tag')}]" for tag in q.tags]
    if meta:
        out.append("// " + " ".join(meta))
    head = f"::{escape(q.title)}::" if q.title else ""
    head += guarded(q.text, fmt, explicit=fmt != "moodle")
    general = "####" + guarded(q.general_feedback, fmt) if q.general_feedback else ""
    kind = get_type(q.type)
    try:
        block = kind.write_gift(q.spec, fmt)
    except GiftWriteError as error:
        raise GiftWriteError(
            _l("question %(which)s: %(problem)s", which=which, problem=error)
        ) from None
    if block is None:
        if general:
            raise GiftWriteError(
                _l(
                    "question %(which)s: GIFT cannot write general feedback on a %(type)s",
                    which=which,
                    type=kind.label.lower(),
                )
            )
        out.append(head)
    elif block.inline is not None:
        out.append(head + block.opening + block.inline + general + "}")
    else:
        out.append(head + block.opening)
        out += ["\t" + line for line in block.lines]
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
