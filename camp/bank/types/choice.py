"""Choice questions: single choice (radio) and multiple choice (checkboxes).

Spec: {"options": [{"text", "weight" (percent), "feedback"}]}. Response: {"selected": int} or
{"selected": [int]}, option indices in spec order; the page shows options in the attempt's
shuffled order under opaque values. In GIFT: `{=right ~wrong ~%50%partly}`; a block with no
`=` is multiple choice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from flask_babel import gettext as _  # type: ignore[import-untyped]
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from camp.bank.types.base import (
    UNREADABLE,
    BreakdownItem,
    InvalidResponse,
    Posted,
    QuestionType,
    Rendering,
    check_order,
    listing,
    response_field,
    show_number,
    summary,
)
from camp.bank.types.checks import check_items, check_keys, check_text, check_weight
from camp.bank.types.fields import (
    OptionRow,
    TypeFields,
)
from camp.formats.gift_blocks import (
    WEIGHTISH,
    GiftBlock,
    GiftFail,
    answer_pieces,
    feedback_text,
    guarded,
    read_weight,
    weight_text,
)
from camp.formats.gift_lexer import Src


class _OptionFields(TypeFields):
    rows_name, row = "options", OptionRow
    rows_heading, row_legend = _l("Options"), _l("Option %(number)s")


class SingleChoiceFields(_OptionFields):
    rows_help = _l(
        "Students pick one option. Weight is the share of the mark in percent: 100 for the "
        "right answer, 0 for a wrong one, anything between for a partly right one. "
        "Blank rows are ignored."
    )


class MultipleChoiceFields(_OptionFields):
    rows_help = _l(
        "Students tick every option they think is right. The weights of the right options add "
        "up to 100; give wrong options 0 or a negative weight. Blank rows are ignored."
    )


class _Choice(QuestionType):
    widget: ClassVar[str]
    template = "questions/choice.html"
    has_breakdown = True

    def check(self, spec: dict[str, Any]) -> list[str]:
        problems: list[str] = []
        check_keys(spec, ("options",), problems)
        options = check_items(
            spec,
            "options",
            problems,
            _("Give the options as a list."),
            _("Option %(number)s must be an object."),
        )
        raw = spec.get("options")
        if isinstance(raw, list) and len(raw) < 2:
            problems.append(_("Give at least two options."))
        weights = []
        for position, option in enumerate(options, 1):
            what = _("Option %(number)s", number=position)
            feedback = _("Option %(number)s: the feedback", number=position)
            check_text(option.get("text"), what, problems, required=True)
            check_text(option.get("feedback"), feedback, problems, required=False)
            weights.append(check_weight(option.get("weight"), what, problems))
        if isinstance(raw, list) and len(options) == len(raw):
            self.check_weights(weights, problems)
        return problems

    def check_weights(self, weights: list[float], problems: list[str]) -> None:
        raise NotImplementedError

    def student_view(self, spec: dict[str, Any], order: Sequence[int] | None = None) -> dict:
        options = spec["options"]
        shown = check_order(order, len(options))
        return {
            "widget": self.widget,
            "options": [{"index": i, "text": options[i]["text"]} for i in shown],
        }

    def shufflable_count(self, spec: dict[str, Any]) -> int:
        return len(spec["options"])

    def answers_summary(self, spec: dict[str, Any]) -> list[dict]:
        return [
            summary(option["text"], option["weight"], option.get("feedback"))
            for option in spec["options"]
        ]

    def answer_html(self, text: str, rendering: Rendering) -> Markup:
        return rendering.inline(text)

    def view(self, spec: dict[str, Any], rendering: Rendering) -> dict[str, Any]:
        chosen = rendering.saved("selected")
        picked = set(chosen) if isinstance(chosen, list) else {chosen}
        shown = self.student_view(spec, rendering.order)["options"]
        return {
            "input_type": "checkbox" if self.widget == "checkbox" else "radio",
            "options": [
                {
                    "id": f"{rendering.prefix}-option-{position}",
                    "value": rendering.value_for(option["index"]),
                    "html": rendering.inline(option["text"]),
                    "checked": option["index"] in picked,
                }
                for position, option in enumerate(shown, 1)
            ],
        }

    def breakdown(self, spec: dict[str, Any]) -> list[BreakdownItem]:
        return [
            BreakdownItem(str(o["text"]), float(o["weight"]), self.is_right(float(o["weight"])))
            for o in spec["options"]
        ]

    def is_right(self, weight: float) -> bool:
        return weight >= 100

    def picked(self, spec: dict[str, Any], response: dict) -> list[int]:
        selected = response.get("selected")
        chosen = selected if isinstance(selected, list) else [selected]
        return [i for i in chosen if isinstance(i, int) and not isinstance(i, bool)]

    def read_gift(self, block: Src, fmt: str) -> tuple[str, dict]:
        """A choice block: one with an `=` answer is single choice, otherwise multiple."""
        single = "=" in block.s
        options = []
        for piece in answer_pieces(block, "~=", keep="="):
            if piece.s.startswith("="):
                piece, weight = piece.cut(1).strip(), 100.0
                if WEIGHTISH.match(piece.s):
                    raise GiftFail(
                        piece.line(), _l("= already means 100%; write ~%50%answer for a part mark")
                    )
            else:
                weight, piece = read_weight(piece, 0.0)
            text, feedback = piece.answer(fmt)
            options.append({"text": text, "weight": weight, "feedback": feedback})
        return ("single_choice" if single else "multiple_choice"), {"options": options}

    def write_gift(self, spec: dict[str, Any], fmt: str) -> GiftBlock:
        lines, marked = [], self.name == "multiple_choice"
        for option in spec["options"]:
            weight = float(option["weight"])
            if weight == 100 and not marked:
                mark, marked = "=", True
            else:
                mark = "~" if weight == 0 else f"~%{weight_text(weight)}%"
            text = guarded(option["text"], fmt)
            lines.append(mark + text + feedback_text(option.get("feedback") or "", fmt))
        return GiftBlock(lines=tuple(lines))

    def _index(self, spec: dict[str, Any], value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidResponse(UNREADABLE)
        if not 0 <= value < len(spec["options"]):
            raise InvalidResponse(_("That option does not exist. Please answer again."))
        return value


class SingleChoice(_Choice):
    name = "single_choice"
    label = _l("Single choice")
    widget = "radio"
    fields = SingleChoiceFields

    def read_form(self, spec: dict[str, Any], posted: Posted) -> dict:
        value = posted.get()
        return {"selected": posted.index_of(value) if value else None}

    def describe(self, spec: dict[str, Any], response: dict) -> str:
        selected = response.get("selected")
        return "" if selected is None else str(spec["options"][selected]["text"])

    def check_weights(self, weights: list[float], problems: list[str]) -> None:
        for position, weight in enumerate(weights, 1):
            if -100 <= weight < 0:
                problems.append(
                    _(
                        "In a single choice question weights must be between 0 and 100 "
                        "(option %(number)s has %(weight)s).",
                        number=position,
                        weight=show_number(weight),
                    )
                )
        if not any(weight == 100 for weight in weights):
            problems.append(_("Give at least one answer with 100% weight."))

    def normalise_response(self, spec: dict[str, Any], raw: Any) -> dict:
        selected = response_field(raw, "selected")
        return {"selected": None if selected is None else self._index(spec, selected)}

    def score(self, spec: dict[str, Any], response: dict) -> float:
        if response["selected"] is None:
            return 0.0
        return spec["options"][response["selected"]]["weight"] / 100

    def triggered(self, spec: dict[str, Any], response: dict) -> list[str]:
        if response["selected"] is None:
            return []
        return [spec["options"][response["selected"]].get("feedback") or ""]

    def correct_answer_text(self, spec: dict[str, Any]) -> str:
        right = [o["text"] for o in spec["options"] if o["weight"] == 100]
        return listing(
            _("The correct answer is: %(answers)s"),
            _("Each of these is correct: %(answers)s"),
            right,
        )


class MultipleChoice(_Choice):
    name = "multiple_choice"
    label = _l("Multiple choice")
    widget = "checkbox"
    fields = MultipleChoiceFields

    def is_right(self, weight: float) -> bool:
        return weight > 0

    def read_form(self, spec: dict[str, Any], posted: Posted) -> dict:
        picked = [posted.index_of(value) for value in posted.getlist()]
        return {"selected": sorted(set(picked))}

    def describe(self, spec: dict[str, Any], response: dict) -> str:
        return "; ".join(spec["options"][i]["text"] for i in response.get("selected") or [])

    def check_weights(self, weights: list[float], problems: list[str]) -> None:
        total = sum(weight for weight in weights if weight > 0)
        if abs(total - 100) > 0.5:
            problems.append(
                _(
                    "The positive weights must add up to 100%% (they add up to %(total)s%%).",
                    total=show_number(round(total, 4)),
                )
            )

    def normalise_response(self, spec: dict[str, Any], raw: Any) -> dict:
        selected = response_field(raw, "selected")
        if selected is None:
            return {"selected": []}
        if not isinstance(selected, list):
            raise InvalidResponse(UNREADABLE)
        return {"selected": sorted({self._index(spec, value) for value in selected})}

    def score(self, spec: dict[str, Any], response: dict) -> float:
        options = spec["options"]
        return sum(options[i]["weight"] for i in response["selected"]) / 100

    def triggered(self, spec: dict[str, Any], response: dict) -> list[str]:
        return [spec["options"][i].get("feedback") or "" for i in response["selected"]]

    def correct_answer_text(self, spec: dict[str, Any]) -> str:
        right = [o["text"] for o in spec["options"] if o["weight"] > 0]
        return listing(
            _("The correct answer is: %(answers)s"),
            _("The correct answers are: %(answers)s"),
            right,
        )
