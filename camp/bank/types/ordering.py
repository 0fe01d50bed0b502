"""Ordering questions: put 3 to 8 items in order (Moodle's "ordering" question).

Spec: {"items": [str, ...], "grading": "all_or_nothing" | "partial"}: the items in the right
order, first to last, distinct once case and spacing are ignored. "partial" gives each item in
its place an equal share of the mark; "all_or_nothing" gives the mark only for the whole order.

Items are indexed in their canonical order, alphabetical (case-folded), as matching indexes its
choices: an index says nothing about an item's place, and an author who fixes the order of the
items (the usual reason to regrade) keeps every stored answer meaning the same items. `order`
in `student_view` permutes these indices for display; no order (a preview) and an order that
would show the right one (a shuffle that happens to give it) show `unshuffled_order` instead.
That fixed order is a shuffle seeded by the set of item texts, so what it shows says nothing
about the key, and it is neither the right order nor its reverse.

Page: beside each item a <select> of places 1..n ("Choose…" first), named "<field>-<row>" (row:
1-based line on the page) with values "<item's opaque value>:<place>".

Response: {"positions": {"<item index>": <place, 1-based>}}, an item missing when it has no
place yet. Two items may share a place (work in progress is saved, and the page points the
clash out); each item is judged on its own, so a shared place never earns more than a proper
order. No item-statistics breakdown (see `has_breakdown`). GIFT cannot write it.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from typing import Any

from flask_babel import gettext as _  # type: ignore[import-untyped]
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import Field, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from camp.bank.types.base import (
    NOT_AN_OPTION,
    TEXT_LIMIT,
    UNREADABLE,
    InvalidResponse,
    Posted,
    QuestionType,
    Rendering,
    check_order,
    response_map,
    squash,
    summary,
)
from camp.bank.types.checks import check_keys, check_text
from camp.bank.types.fields import TEXT, RadioGroup, Row, TypeFields

FEWEST, MOST = 3, 8
GRADINGS = ("all_or_nothing", "partial")


class ItemRow(Row):
    """One item: the spec's items are bare strings, not objects."""

    text = StringField(_l("Text"), [Length(max=TEXT_LIMIT)], filters=TEXT)

    def item(self) -> str:
        return self.text.data or ""

    @staticmethod
    def data(item: Any) -> dict[str, Any]:
        return {"text": item}

    def validate_text(self, field: Field) -> None:
        self.require(field, _("Write the item, or clear the whole row."))


class OrderingFields(TypeFields):
    rows_name, row, most_rows = "items", ItemRow, MOST
    rows_heading, row_legend = _l("Items"), _l("Item %(number)s")
    rows_help = _l(
        "Write the items in the right order, first to last: %(fewest)s to %(most)s of them. "
        "Students see them shuffled and give each its place. Blank rows are ignored.",
        fewest=FEWEST,
        most=MOST,
    )
    extra_fields = ("grading",)
    grading = RadioField(
        _l("Grading"),
        choices=[
            SelectChoice(
                "partial", _l("Partial credit: a share of the mark for each item in its place")
            ),
            SelectChoice("all_or_nothing", _l("All or nothing: the mark only for the whole order")),
        ],
        default="partial",
        widget=RadioGroup(),
    )

    def spec(self) -> dict[str, Any]:
        return {**super().spec(), "grading": self.grading.data}

    @classmethod
    def load_spec(cls, spec: dict[str, Any]) -> dict[str, Any]:
        return {**super().load_spec(spec), "grading": spec["grading"]}


def _number(value: object, error: str) -> int:
    """An int, or a few ASCII digits (an index or a place); `InvalidResponse(error)` if not."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 3:
        return int(value)
    raise InvalidResponse(error)


def canonical(spec: dict[str, Any]) -> list[str]:
    """The items in their canonical (alphabetical) order: an item's index is its rank here."""
    return sorted(spec["items"], key=lambda text: (text.casefold(), text))


def right_places(spec: dict[str, Any]) -> list[int]:
    """Each item's right place (1-based), by index."""
    place = {item: number for number, item in enumerate(spec["items"], 1)}
    return [place[item] for item in canonical(spec)]


def key_order(spec: dict[str, Any]) -> list[int]:
    """The item indices in the right order: the display that would give the key away."""
    places = right_places(spec)
    return sorted(range(len(places)), key=places.__getitem__)


class Ordering(QuestionType):
    name = "ordering"
    label = _l("Ordering")
    template = "questions/ordering.html"
    fields = OrderingFields
    # No breakdown: "item X in place k" for every pair is n² rows, and one row per item in
    # its right place would count an answer with nothing in place as no answer (`picked`).
    has_breakdown = False

    def check(self, spec: dict[str, Any]) -> list[str]:
        problems: list[str] = []
        check_keys(spec, ("items", "grading"), problems)
        items = spec.get("items")
        if not isinstance(items, list):
            problems.append(_("Give the items as a list."))
            items = []
        seen: dict[str, int] = {}
        for position, item in enumerate(items, 1):
            what = _("Item %(number)s", number=position)
            text = squash(check_text(item, what, problems, required=True))
            if text and text.casefold() in seen:
                first = seen[text.casefold()]
                problems.append(
                    _(
                        'Items %(first)s and %(second)s are the same ("%(text)s"): '
                        "students could not tell them apart.",
                        first=first,
                        second=position,
                        text=squash(items[first - 1]),
                    )
                )
            seen.setdefault(text.casefold(), position)
        count = len(items)
        if isinstance(spec.get("items"), list) and count < FEWEST:
            problems.append(
                _("Give at least %(n)s items (there are %(count)s).", n=FEWEST, count=count)
            )
        if count > MOST:
            problems.append(
                _("Give at most %(n)s items (there are %(count)s).", n=MOST, count=count)
            )
        if spec.get("grading") not in GRADINGS:
            problems.append(
                _(
                    'Choose the grading: "all_or_nothing" (marks only for the whole order) or '
                    '"partial" (a share for each item in its place).'
                )
            )
        return problems

    # -- what the student sees ---------------------------------------------------------------

    def shufflable_count(self, spec: dict[str, Any]) -> int:
        return len(spec["items"])

    def unshuffled_order(self, spec: dict[str, Any]) -> list[int]:
        """A fixed order that shows the same for the same set of items, never the key or its
        reverse."""
        texts, key = canonical(spec), key_order(spec)
        order = list(range(len(texts)))
        rng = random.Random("\n".join(texts))
        for _attempt in range(100):
            rng.shuffle(order)
            if order not in (key, key[::-1]):
                return order
        return key[1:] + key[:1]  # (2/6)**100 for three items: a rotation, just in case

    def display_order(self, spec: dict[str, Any], order: Sequence[int] | None) -> list[int]:
        """`order`, unless it is missing (a preview) or would show the key."""
        shown = check_order(order, len(spec["items"]))
        if order is None or shown == key_order(spec):
            return self.unshuffled_order(spec)
        return shown

    def student_view(self, spec: dict[str, Any], order: Sequence[int] | None = None) -> dict:
        texts = canonical(spec)
        return {
            "widget": "ordering",
            "items": [{"text": texts[i]} for i in self.display_order(spec, order)],
            "places": len(texts),
        }

    def view(self, spec: dict[str, Any], rendering: Rendering) -> dict[str, Any]:
        texts, count = canonical(spec), len(spec["items"])
        saved = rendering.saved("positions")
        saved = saved if isinstance(saved, dict) else {}
        rows = []
        for row, index in enumerate(self.display_order(spec, rendering.order), 1):
            value, place = rendering.value_for(index), saved.get(str(index))
            rows.append(
                {
                    "id": f"{rendering.prefix}-item-{row}",
                    "field_name": f"{rendering.field_name}-{row}",
                    "html": rendering.inline(texts[index]),
                    "places": [
                        {"value": f"{value}:{p}", "text": str(p), "selected": place == p}
                        for p in range(1, count + 1)
                    ],
                }
            )
        counts = Counter(p for p in saved.values() if isinstance(p, int))
        return {
            "items": rows,
            "hint_id": f"{rendering.prefix}-hint",
            "shared_places": sorted(p for p, n in counts.items() if n > 1),
        }

    def read_form(self, spec: dict[str, Any], posted: Posted) -> dict:
        positions: dict[str, int] = {}
        for row in range(1, len(spec["items"]) + 1):
            value = posted.get(f"-{row}")
            if not value:
                continue
            token, _colon, place = value.rpartition(":")
            index = str(posted.index_of(token))
            if index in positions:
                raise InvalidResponse(NOT_AN_OPTION)
            positions[index] = _number(place, NOT_AN_OPTION)
        return {"positions": positions}

    # -- grading -----------------------------------------------------------------------------

    def normalise_response(self, spec: dict[str, Any], raw: Any) -> dict:
        given = response_map(raw, "positions")
        count = len(spec["items"])
        clean: dict[int, int] = {}
        for key, place in given.items():
            index = _number(key, UNREADABLE)
            if not 0 <= index < count:
                raise InvalidResponse(_("That item does not exist. Please answer again."))
            if place is None:
                continue
            if isinstance(place, bool) or not isinstance(place, int):
                raise InvalidResponse(UNREADABLE)
            if not 1 <= place <= count:
                raise InvalidResponse(
                    _("Places go from 1 to %(count)s. Please answer again.", count=count)
                )
            clean[index] = place
        return {"positions": {str(index): clean[index] for index in sorted(clean)}}

    def score(self, spec: dict[str, Any], response: dict) -> float:
        places, placed = right_places(spec), response["positions"]
        right = sum(1 for index, place in enumerate(places) if placed.get(str(index)) == place)
        if spec["grading"] == "all_or_nothing":
            return 1.0 if right == len(places) else 0.0
        return right / len(places)

    def correct_answer_text(self, spec: dict[str, Any]) -> str:
        steps = "; ".join(f"{place}. {item}" for place, item in enumerate(spec["items"], 1))
        return _("The correct order is: %(steps)s", steps=steps)

    def answers_summary(self, spec: dict[str, Any]) -> list[dict]:
        """The items in the right order; in partial grading each is worth its share, in all
        or nothing each is a required part of the one right answer (100, as in matching)."""
        items = spec["items"]
        weight = 100 / len(items) if spec["grading"] == "partial" else 100
        return [summary(item, weight, "") for item in items]

    def answer_html(self, text: str, rendering: Rendering) -> Markup:
        return rendering.inline(text)

    def settings_lines(self, spec: dict[str, Any]) -> list[str]:
        if spec["grading"] == "partial":
            return [_("Grading: partial credit")]
        return [_("Grading: all or nothing")]

    # -- in reports --------------------------------------------------------------------------

    def describe(self, spec: dict[str, Any], response: dict) -> str:
        """The student's order: "1. A; 2. C; 3. B", then any item without a place."""
        texts = canonical(spec)
        placed = {int(index): place for index, place in (response.get("positions") or {}).items()}
        if not placed:
            return ""
        words = [
            f"{place}. {texts[index]}"
            for index, place in sorted(placed.items(), key=lambda kv: (kv[1], kv[0]))
        ]
        words += [
            _("no place: %(item)s", item=text)
            for index, text in enumerate(texts)
            if index not in placed
        ]
        return "; ".join(words)
