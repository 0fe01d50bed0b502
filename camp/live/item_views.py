"""How a live item looks on a phone (and the projector): its student view, never the key;
and, once revealed, its right answer.

The view has the keys of `camp.bank.presentation.student_question_view` (so the question
macro and the type partials under templates/questions/ show it without JavaScript), with
options posted as their letters (camp.live.plan). Polls look like choice questions, open
questions like short answers. A bank question's view depends only on immutable things (the
version, the item's fixed option order, its position, the language), so it is kept in
process by those; phones poll, and this is their hot path.
"""

from __future__ import annotations

from typing import Any

from markupsafe import escape

from camp import caches
from camp.bank.presentation import student_question_view
from camp.bank.question_types import get_type
from camp.bank.version_cache import VersionData
from camp.formats.markdown import strip_to_text
from camp.live.models import ItemKind, LiveItem
from camp.live.plan import option_values
from camp.live.responses import FIELD

MAX_VIEWS = 5000
# (version id, option order, position, locale) -> the view; shared: never change one.
_views: dict[tuple[int, tuple[int, ...], int, str], dict[str, Any]] = {}


def item_view(item: LiveItem, version: VersionData | None, locale: str) -> dict[str, Any]:
    """The student's view of `item` (read-only: it may be shared). `version` is the bank
    question's version in `locale` (None for polls and open questions)."""
    if item.kind == ItemKind.QUESTION:
        assert version is not None
        order = tuple(item.option_order or ())
        key = (version.id, order, item.position, locale)
        if key not in _views:
            if len(_views) >= MAX_VIEWS:
                _views.clear()
            _views[key] = _question_view(item, version)
        return _views[key]
    return _typed_in_view(item)


def _question_view(item: LiveItem, version: VersionData) -> dict[str, Any]:
    values = _values(item, version)
    return {
        "kind": ItemKind.QUESTION.value,
        **student_question_view(
            version,
            number=item.position,
            order=item.option_order,
            value_for=lambda index: values.get(index, ""),
            field_name=FIELD,
        ),
    }


def _typed_in_view(item: LiveItem) -> dict[str, Any]:
    prefix = f"q{item.position}"
    view: dict[str, Any] = {
        "kind": item.kind,
        "number": item.position,
        "id": prefix,
        "title": "",
        "text_html": escape(item.text or ""),
        "type": item.kind,
        "shows_text_itself": False,
        "field_name": FIELD,
    }
    if item.kind == ItemKind.OPEN:
        return {**view, "template": "questions/text.html", "current_text": ""}
    options = item.options or []
    values = option_values(None, len(options))
    return {
        **view,
        "template": "questions/choice.html",
        "input_type": "checkbox" if item.multiple else "radio",
        "options": [
            {
                "id": f"{prefix}-option-{place}",
                "value": values[index],
                "html": escape(text),
                "checked": False,
            }
            for place, (index, text) in enumerate(enumerate(options), 1)
        ],
    }


def right_answer(item: LiveItem, version: VersionData | None) -> dict[str, Any] | None:
    """What a reveal shows: {"text": the right answer in words, "values": the posted
    values of the right options}; None for polls and open questions (no right answer)."""
    if item.kind != ItemKind.QUESTION:
        return None
    assert version is not None
    kind, spec = get_type(version.type), version.spec
    text = strip_to_text(kind.correct_answer_text(spec), version.text_format)
    rows = kind.breakdown(spec)
    right = [index for index, row in enumerate(rows) if row.correct]
    if rows and len(rows) == kind.shufflable_count(spec):
        values = _values(item, version)  # options shown shuffled, posted as letters
        return {"text": text, "values": [values[index] for index in right]}
    options = _question_view(item, version).get("options") or [] if rows else []
    if len(options) == len(rows):  # options shown as listed (true/false)
        return {"text": text, "values": [options[index]["value"] for index in right]}
    return {"text": text, "values": []}


def _values(item: LiveItem, version: VersionData) -> dict[int, str]:
    count = get_type(version.type).shufflable_count(version.spec)
    return option_values(item.option_order, count)


def describe_answer(item: LiveItem, version: VersionData | None, response: dict[str, Any]) -> str:
    """A stored response in words, as the participant gave it ("Geneva", "2; 3")."""
    if item.kind == ItemKind.OPEN:
        return str(response.get("text") or "")
    if item.kind == ItemKind.POLL:
        options, selected = item.options or [], response.get("selected")
        chosen = selected if isinstance(selected, list) else [selected]
        return "; ".join(options[i] for i in chosen if isinstance(i, int) and i < len(options))
    assert version is not None
    try:
        words = get_type(version.type).describe(version.spec, response)
    except (KeyError, IndexError, TypeError, ValueError):
        return ""
    return strip_to_text(words, version.text_format)


caches.register_mapping("live item views", _views)
