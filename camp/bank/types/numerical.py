"""Numerical questions: the student types a number, graded against exact values,
tolerances and ranges.

Spec: {"answers": [answer, ...]} where each answer has "weight" (0..100) and "feedback" plus,
by "kind": "exact" {"value"}; "tolerance" {"value", "tolerance"} (accepts value ± tolerance);
"range" {"min", "max"}; "any" {} (every number: GIFT's `*` answer, which Moodle writes as
`~#feedback` for "any other answer"). Bounds are inclusive. The best matching weight wins;
a response that is not a number matches nothing. A decimal comma (`3,5`) is accepted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import gettext as _  # type: ignore[import-untyped]
from flask_babel import lazy_gettext as _l

from camp.bank.types.base import (
    check_order,
    listing,
    number,
    parse_number,
    response_text,
    show_number,
    summary,
)
from camp.bank.types.checks import check_items, check_keys, check_text, check_weight
from camp.bank.types.fields import NumberRow, TypeFields
from camp.bank.types.text import AcceptedAnswers
from camp.formats.gift_blocks import (
    GiftBlock,
    GiftFail,
    answer_pieces,
    feedback_text,
    read_number,
    read_weight,
    weight_text,
)
from camp.formats.gift_lexer import Src

KINDS = ("exact", "tolerance", "range", "any")
_FIELDS = {"exact": ("value",), "tolerance": ("value", "tolerance"), "range": ("min", "max")}
# A bound that is not a number, by its key in the spec.
_NOT_A_NUMBER = {
    "value": _l("%(what)s: the value must be a number."),
    "tolerance": _l("%(what)s: the tolerance must be a number."),
    "min": _l("%(what)s: the min must be a number."),
    "max": _l("%(what)s: the max must be a number."),
}


def _slack(*bounds: float) -> float:
    """Room for binary rounding, so that 3.14 ± 0.01 accepts 3.13 and 3.15."""
    return 1e-9 * max(1.0, *(abs(b) for b in bounds))


def accepts(answer: dict[str, Any], value: float) -> bool:
    kind = answer["kind"]
    if kind == "any":
        return True
    if kind == "range":
        low, high = answer["min"], answer["max"]
    else:
        tolerance = abs(answer["tolerance"]) if kind == "tolerance" else 0.0
        low, high = answer["value"] - tolerance, answer["value"] + tolerance
    slack = _slack(low, high)
    return low - slack <= value <= high + slack


def notation(answer: dict[str, Any]) -> str:
    """The answer in GIFT's notation: `3.14`, `3.14:0.01`, `1..2` or `*`."""
    kind = answer["kind"]
    if kind == "tolerance":
        return f"{show_number(answer['value'])}:{show_number(answer['tolerance'])}"
    if kind == "range":
        return f"{show_number(answer['min'])}..{show_number(answer['max'])}"
    if kind == "exact":
        return show_number(answer["value"])
    return "*"


def in_words(answer: dict[str, Any]) -> str:
    """The answer as the review states it: `3.14 (± 0.01)`, `any number from 1 to 2`."""
    kind = answer["kind"]
    if kind == "tolerance":
        return f"{show_number(answer['value'])} (± {show_number(answer['tolerance'])})"
    if kind == "range":
        low, high = show_number(answer["min"]), show_number(answer["max"])
        return _("any number from %(low)s to %(high)s", low=low, high=high)
    if kind == "exact":
        return show_number(answer["value"])
    return _("any number")


class NumericalFields(TypeFields):
    rows_name, row = "answers", NumberRow
    rows_heading, row_legend = _l("Answers"), _l("Answer %(number)s")
    rows_help = _l(
        "Each answer is an exact value, a value with a tolerance, or a range; the best "
        "matching weight counts (at least one at 100). Blank rows are ignored."
    )

    @staticmethod
    def new_data() -> dict[str, Any]:
        return {"answers": [{"weight": "100"}]}


def _read_answer(piece: Src, fmt: str) -> dict[str, Any]:
    weight, piece = read_weight(piece, 100.0)
    (value, feedback), line = piece.answer(fmt), piece.line()
    if value.find("..") > 0:
        low, high = (read_number(part, line) for part in value.split("..", 1))
        answer: dict[str, Any] = {"kind": "range", "min": low, "max": high}
    elif value.find(":") > 0:
        number_, tolerance = (read_number(part, line) for part in value.split(":", 1))
        answer = {"kind": "tolerance", "value": number_, "tolerance": tolerance}
    elif value == "*":
        answer = {"kind": "any"}
    else:
        answer = {"kind": "exact", "value": read_number(value, line)}
    return {**answer, "weight": weight, "feedback": feedback}


class Numerical(AcceptedAnswers):
    name = "numerical"
    label = _l("Numerical")
    template = "questions/number.html"
    fields = NumericalFields

    def check(self, spec: dict[str, Any]) -> list[str]:
        problems: list[str] = []
        check_keys(spec, ("answers",), problems)
        answers = check_items(
            spec,
            "answers",
            problems,
            _("Give the answers as a list."),
            _("Answer %(number)s must be an object."),
        )
        raw = spec.get("answers")
        if isinstance(raw, list) and not raw:
            problems.append(_("Give at least one numerical answer."))
        weights = []
        for position, answer in enumerate(answers, 1):
            what = _("Answer %(number)s", number=position)
            feedback = _("Answer %(number)s: the feedback", number=position)
            check_text(answer.get("feedback"), feedback, problems, required=False)
            weights.append(check_weight(answer.get("weight"), what, problems, low=0))
            kind = answer.get("kind")
            if not isinstance(kind, str) or kind not in KINDS:
                problems.append(
                    _("%(what)s: the kind must be exact, tolerance, range or any.", what=what)
                )
                continue
            values = {}
            for field in _FIELDS.get(kind, ()):
                values[field] = number(answer.get(field))
                if values[field] is None:
                    problems.append(_NOT_A_NUMBER[field] % {"what": what})
            if (values.get("tolerance") or 0) < 0:
                problems.append(_("%(what)s: the tolerance cannot be negative.", what=what))
            low, high = values.get("min"), values.get("max")
            if low is not None and high is not None and low > high:
                problems.append(
                    _(
                        "%(what)s: the minimum (%(low)s) is greater than the maximum (%(high)s).",
                        what=what,
                        low=show_number(low),
                        high=show_number(high),
                    )
                )
        if isinstance(raw, list) and raw and len(answers) == len(raw) and 100 not in weights:
            problems.append(_("Give at least one answer with 100% weight."))
        return problems

    def student_view(self, spec: dict[str, Any], order: Sequence[int] | None = None) -> dict:
        check_order(order, 0)
        return {"widget": "number"}

    def normalise_response(self, spec: dict[str, Any], raw: Any) -> dict:
        return {"text": response_text(raw).strip()}

    def read_gift(self, block: Src, fmt: str) -> tuple[str, dict]:
        block = block.cut(1)  # the leading '#'
        tilde = block.s.find("~")
        other = block.cut(tilde) if tilde >= 0 else None
        block = block.cut(0, tilde) if tilde >= 0 else block
        pieces = answer_pieces(block, "=")
        if not pieces:
            raise GiftFail(
                block.line(), _l("a numerical question needs an answer, as in {#3.14:0.01}")
            )
        answers = [_read_answer(piece, fmt) for piece in pieces]
        if other is not None:
            answers.append({"kind": "any", "weight": 0.0, "feedback": other.answer(fmt)[1]})
        return self.name, {"answers": answers}

    def write_gift(self, spec: dict[str, Any], fmt: str) -> GiftBlock:
        lines = [
            f"=%{weight_text(a['weight'])}%{notation(a)}"
            + feedback_text(a.get("feedback") or "", fmt)
            for a in spec["answers"]
        ]
        return GiftBlock(opening="{#", lines=tuple(lines))

    def reading(self, text: str) -> float | None:
        return parse_number(text)

    def fits(self, spec: dict[str, Any], answer: dict[str, Any], reading: float) -> bool:
        return accepts(answer, reading)

    def correct_answer_text(self, spec: dict[str, Any]) -> str:
        right = [in_words(a) for a in spec["answers"] if a["weight"] == 100]
        return listing(
            _("The correct answer is: %(answers)s"),
            _("Each of these is correct: %(answers)s"),
            right,
        )

    def answers_summary(self, spec: dict[str, Any]) -> list[dict]:
        return [summary(notation(a), a["weight"], a.get("feedback")) for a in spec["answers"]]
