"""Matching questions: pair each stem (left) with one of the answers (right).

Spec: {"pairs": [{"left": str, "right": str}]}; a pair with an empty left side is a distractor
(an extra answer that matches no stem). Stems are indexed by their position in `pairs`. The
choices a student picks from are the distinct right-hand texts, indexed in alphabetical order
(case-insensitive), so that a quiz that does not shuffle never lists them in the pairs' order
(which would give the key away); `order` in `student_view` permutes that list for display. Response:
{"matches": {"<stem index>": <choice index>}}. A stem counts as right when the chosen text equals
its right-hand text, so two stems sharing an answer both accept it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import gettext as _  # type: ignore[import-untyped]
from flask_babel import lazy_gettext as _l

from camp.bank.types.base import (
    UNREADABLE,
    InvalidResponse,
    Posted,
    QuestionType,
    Rendering,
    check_order,
    listing,
    response_map,
    summary,
)
from camp.bank.types.checks import check_items, check_keys, check_text
from camp.bank.types.fields import PairRow, TypeFields
from camp.formats.gift_blocks import GiftBlock, GiftFail, answer_pieces, escape, guarded
from camp.formats.gift_blocks import refuse_arrow as _refuse_arrow
from camp.formats.gift_lexer import Src


def choices(spec: dict[str, Any]) -> list[str]:
    """The distinct right-hand texts in their canonical (alphabetical) order."""
    return sorted({pair["right"] for pair in spec["pairs"]}, key=lambda t: (t.casefold(), t))


def _left(pair: dict[str, Any]) -> str:
    return pair.get("left") or ""


def stems(spec: dict[str, Any]) -> list[int]:
    """Indices of the pairs that are stems (have a left-hand text)."""
    return [i for i, pair in enumerate(spec["pairs"]) if _left(pair).strip()]


def _index(value: object) -> int:
    if isinstance(value, bool):
        raise InvalidResponse(UNREADABLE)
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    raise InvalidResponse(UNREADABLE)


class MatchingFields(TypeFields):
    rows_name, row = "pairs", PairRow
    rows_heading, row_legend = _l("Pairs"), _l("Pair %(number)s")
    rows_help = _l(
        "Students match each question on the left with an answer on the right. At least two "
        "pairs need a left side. Blank rows are ignored."
    )


class Matching(QuestionType):
    name = "matching"
    label = _l("Matching")
    template = "questions/matching.html"
    fields = MatchingFields

    def check(self, spec: dict[str, Any]) -> list[str]:
        problems: list[str] = []
        check_keys(spec, ("pairs",), problems)
        pairs = check_items(
            spec,
            "pairs",
            problems,
            _("Give the pairs as a list."),
            _("Pair %(number)s must be an object."),
        )
        lefts = 0
        for position, pair in enumerate(pairs, 1):
            left_side = _("Pair %(number)s: the left side", number=position)
            right_side = _("Pair %(number)s: the right side", number=position)
            left = check_text(pair.get("left"), left_side, problems, required=False)
            check_text(pair.get("right"), right_side, problems, required=True)
            lefts += bool(left.strip())
        if lefts < 2:
            problems.append(
                _("A matching question needs at least two pairs with a question on the left.")
            )
        return problems

    def student_view(self, spec: dict[str, Any], order: Sequence[int] | None = None) -> dict:
        texts = choices(spec)
        shown = check_order(order, len(texts))
        return {
            "widget": "matching",
            "stems": [{"index": i, "text": _left(spec["pairs"][i])} for i in stems(spec)],
            "choices": [{"index": j, "text": texts[j]} for j in shown],
        }

    def shufflable_count(self, spec: dict[str, Any]) -> int:
        return len(choices(spec))

    def view(self, spec: dict[str, Any], rendering: Rendering) -> dict[str, Any]:
        shown = self.student_view(spec, rendering.order)
        matches = rendering.saved("matches")
        matches = matches if isinstance(matches, dict) else {}
        stems_ = []
        for position, stem in enumerate(shown["stems"], 1):
            choice = matches.get(str(stem["index"]))
            stems_.append(
                {
                    "id": f"{rendering.prefix}-stem-{position}",
                    "field_name": f"{rendering.field_name}-{stem['index']}",
                    "html": rendering.inline(stem["text"]),
                    "selected": rendering.value_for(choice) if isinstance(choice, int) else "",
                }
            )
        return {
            "stems": stems_,
            "choices": [
                {
                    "value": rendering.value_for(choice["index"]),
                    "text": rendering.plain(choice["text"]),
                }
                for choice in shown["choices"]
            ],
        }

    def read_form(self, spec: dict[str, Any], posted: Posted) -> dict:
        matches = {}
        for stem in stems(spec):
            value = posted.get(f"-{stem}")
            if value:
                matches[str(stem)] = posted.index_of(value)
        return {"matches": matches}

    def describe(self, spec: dict[str, Any], response: dict) -> str:
        pairs, texts = spec["pairs"], choices(spec)
        matches = response.get("matches") or {}
        return "; ".join(
            f"{pairs[int(stem)]['left']} → {texts[int(choice)]}"
            for stem, choice in sorted(matches.items(), key=lambda kv: int(kv[0]))
        )

    def read_gift(self, block: Src, fmt: str) -> tuple[str, dict]:
        pairs = []
        for piece in answer_pieces(block, "="):
            arrow = piece.s.find("->")
            if arrow < 0:
                raise GiftFail(
                    piece.line(),
                    _l("each pair of a matching question is written =question -> answer"),
                )
            pairs.append(
                {"left": piece.cut(0, arrow).text(fmt), "right": piece.cut(arrow + 2).text()}
            )
        return self.name, {"pairs": pairs}

    def write_gift(self, spec: dict[str, Any], fmt: str) -> GiftBlock:
        lines = []
        for pair in spec["pairs"]:
            left = pair.get("left") or ""
            _refuse_arrow(
                left, _("GIFT cannot write a matching question containing '->': %(text)s")
            )
            lines.append(f"={guarded(left, fmt) if left else ''} -> {escape(pair['right'])}")
        return GiftBlock(lines=tuple(lines))

    def normalise_response(self, spec: dict[str, Any], raw: Any) -> dict:
        given = response_map(raw, "matches")
        valid_stems, count = set(stems(spec)), len(choices(spec))
        clean: dict[int, int] = {}
        for key, value in given.items():
            stem = _index(key)
            if stem not in valid_stems:
                raise InvalidResponse(_("That question part does not exist. Please answer again."))
            if value is None:
                continue
            choice = _index(value)
            if not isinstance(value, int) or not 0 <= choice < count:
                raise InvalidResponse(_("That answer does not exist. Please answer again."))
            clean[stem] = choice
        return {"matches": {str(stem): clean[stem] for stem in sorted(clean)}}

    def score(self, spec: dict[str, Any], response: dict) -> float:
        texts, stem_list = choices(spec), stems(spec)
        right = sum(
            1
            for stem in stem_list
            if str(stem) in response["matches"]
            and texts[response["matches"][str(stem)]] == spec["pairs"][stem]["right"]
        )
        return right / len(stem_list)

    def correct_answer_text(self, spec: dict[str, Any]) -> str:
        pairs = [f"{_left(spec['pairs'][i])} → {spec['pairs'][i]['right']}" for i in stems(spec)]
        right = _("The correct answer is: %(answers)s")
        return listing(right, right, pairs)

    def answers_summary(self, spec: dict[str, Any]) -> list[dict]:
        rows = []
        for pair in spec["pairs"]:
            weight = 100 if _left(pair).strip() else 0
            rows.append(summary(f"{_left(pair)} -> {pair['right']}".strip(), weight, ""))
        return rows
