"""A phone's answer to an item, read and graded. Pure code: no request, no database.

A phone posts form fields, with or without JavaScript: the item's field is `answer`, and a
choice is posted as the letter it is shown with (camp.live.plan.option_values), never its
index. A bank question's own type reads the fields (`read_form`), cleans the response and
grades it, as on quiz pages. The stored responses are canonical, in index terms:

    bank question   the type's canonical response (e.g. {"selected": 2})
    poll            {"selected": index} or, when several may be chosen, {"selected": [indices]}
    open question   {"text": the words, trimmed and spaces squashed, at most 280 characters}
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l  # type: ignore[import-untyped]
from werkzeug.datastructures import MultiDict

from camp.bank.question_types import InvalidResponse, get_type
from camp.bank.types.base import NOT_AN_OPTION, FormFields, Posted
from camp.bank.version_cache import VersionData
from camp.live.errors import BadAnswer
from camp.live.models import ItemKind, LiveItem
from camp.live.plan import option_values

FIELD = "answer"
OPEN_TEXT_MAX = 280
NO_ANSWER = _l("Choose or type an answer first.")


@dataclass(frozen=True)
class Graded:
    response: dict[str, Any]
    fraction: float | None  # None: not graded (polls, open questions)


def as_fields(raw: object) -> FormFields:
    """Posted form fields (a MultiDict), or a JSON object of them: a list is a field
    posted several times (checkboxes)."""
    if hasattr(raw, "getlist") and hasattr(raw, "get"):
        return raw  # a MultiDict or the like
    if not isinstance(raw, Mapping):
        raise BadAnswer()
    pairs: list[tuple[str, str]] = []
    for key, value in raw.items():
        values = value if isinstance(value, list | tuple) else [value]
        if not isinstance(key, str) or not all(isinstance(v, str) for v in values):
            raise BadAnswer()
        pairs.extend((key, v) for v in values)
    return MultiDict(pairs)


def read_answer(item: LiveItem, version: VersionData | None, raw: object) -> Graded:
    """The canonical response to `item` and its fraction; BadAnswer (with words for the
    student) when it cannot be read or is empty."""
    fields = as_fields(raw)
    if item.kind == ItemKind.QUESTION:
        assert version is not None
        return _bank_answer(item, version, fields)
    if item.kind == ItemKind.POLL:
        return Graded(_poll_answer(item, fields), None)
    return Graded(_open_answer(fields), None)


def _bank_answer(item: LiveItem, version: VersionData, fields: FormFields) -> Graded:
    kind, spec = get_type(version.type), version.spec
    values = option_values(item.option_order, kind.shufflable_count(spec))
    lookup = {value: index for index, value in values.items()}
    posted = Posted(fields, FIELD, functools.partial(_index, lookup))
    try:
        response = kind.normalise_response(spec, kind.read_form(spec, posted))
    except InvalidResponse as error:
        raise BadAnswer(str(error)) from None
    if is_empty(response):
        raise BadAnswer(NO_ANSWER)
    return Graded(response, kind.grade(spec, response))


def _index(lookup: dict[str, int], value: str) -> int:
    if value not in lookup:
        raise InvalidResponse(NOT_AN_OPTION)
    return lookup[value]


def _poll_answer(item: LiveItem, fields: FormFields) -> dict[str, Any]:
    options = item.options or []
    lookup = {value: index for index, value in option_values(None, len(options)).items()}
    posted = [value for value in fields.getlist(FIELD) if value]
    if not posted:
        raise BadAnswer(NO_ANSWER)
    if any(value not in lookup for value in posted):
        raise BadAnswer(NOT_AN_OPTION)
    chosen = sorted({lookup[value] for value in posted})
    if item.multiple:
        return {"selected": chosen}
    if len(chosen) != 1:
        raise BadAnswer(_l("Choose one option."))
    return {"selected": chosen[0]}


def _open_answer(fields: FormFields) -> dict[str, Any]:
    text = fields.get(FIELD)
    if not isinstance(text, str):
        raise BadAnswer(NO_ANSWER)
    text = " ".join(text.split())
    if not text:
        raise BadAnswer(NO_ANSWER)
    if len(text) > OPEN_TEXT_MAX:
        raise BadAnswer(_l("Your answer is too long (at most %(n)s characters).", n=OPEN_TEXT_MAX))
    return {"text": text}


def is_empty(response: dict[str, Any]) -> bool:
    """A canonical response that says nothing (no option, no text, no place)."""
    return all(value is None or value in ("", [], {}) for value in response.values())
