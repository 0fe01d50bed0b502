"""Choice questions: single choice (radio), multiple choice (checkboxes) and true/false.

Spec of the two choice types: {"options": [{"text", "weight" (percent), "feedback"}]}.
True/false: {"answer": bool, "feedback_true": str, "feedback_false": str}, where
`feedback_true` is shown to a student who picks True and `feedback_false` to one who picks
False, whichever of the two is right.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from camp.bank.types.base import (
    InvalidResponse,
    QuestionType,
    check_items,
    check_keys,
    check_order,
    check_text,
    check_weight,
    listing,
    response_field,
    show_number,
    summary,
)

_UNREADABLE = "This answer could not be read. Please answer again."


class _Choice(QuestionType):
    widget: ClassVar[str]

    def check(self, spec: dict[str, Any]) -> list[str]:
        problems: list[str] = []
        check_keys(spec, ("options",), problems)
        options = check_items(spec, "options", "option", problems)
        raw = spec.get("options")
        if isinstance(raw, list) and len(raw) < 2:
            problems.append("Give at least two options.")
        weights = []
        for position, option in enumerate(options, 1):
            what = f"Option {position}"
            check_text(option.get("text"), what, problems, required=True)
            check_text(option.get("feedback"), f"{what}: the feedback", problems, required=False)
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

    def _index(self, spec: dict[str, Any], value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidResponse(_UNREADABLE)
        if not 0 <= value < len(spec["options"]):
            raise InvalidResponse("That option does not exist. Please answer again.")
        return value


class SingleChoice(_Choice):
    name = "single_choice"
    label = "Single choice"
    widget = "radio"

    def check_weights(self, weights: list[float], problems: list[str]) -> None:
        for position, weight in enumerate(weights, 1):
            if -100 <= weight < 0:
                problems.append(
                    "In a single choice question weights must be between 0 and 100 "
                    f"(option {position} has {show_number(weight)})."
                )
        if not any(weight == 100 for weight in weights):
            problems.append("Give at least one answer with 100% weight.")

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
        return listing("The correct answer is:", "Each of these is correct:", right)


class MultipleChoice(_Choice):
    name = "multiple_choice"
    label = "Multiple choice"
    widget = "checkbox"

    def check_weights(self, weights: list[float], problems: list[str]) -> None:
        total = sum(weight for weight in weights if weight > 0)
        if abs(total - 100) > 0.5:
            problems.append(
                "The positive weights must add up to 100% "
                f"(they add up to {show_number(round(total, 4))}%)."
            )

    def normalise_response(self, spec: dict[str, Any], raw: Any) -> dict:
        selected = response_field(raw, "selected")
        if selected is None:
            return {"selected": []}
        if not isinstance(selected, list):
            raise InvalidResponse(_UNREADABLE)
        return {"selected": sorted({self._index(spec, value) for value in selected})}

    def score(self, spec: dict[str, Any], response: dict) -> float:
        options = spec["options"]
        return sum(options[i]["weight"] for i in response["selected"]) / 100

    def triggered(self, spec: dict[str, Any], response: dict) -> list[str]:
        return [spec["options"][i].get("feedback") or "" for i in response["selected"]]

    def correct_answer_text(self, spec: dict[str, Any]) -> str:
        right = [o["text"] for o in spec["options"] if o["weight"] > 0]
        return listing("The correct answer is:", "The correct answers are:", right)


class TrueFalse(QuestionType):
    name = "true_false"
    label = "True/false"

    def check(self, spec: dict[str, Any]) -> list[str]:
        problems: list[str] = []
        check_keys(spec, ("answer", "feedback_true", "feedback_false"), problems)
        if not isinstance(spec.get("answer"), bool):
            problems.append("Say whether the statement is true or false (answer: true or false).")
        for key in ("feedback_true", "feedback_false"):
            check_text(spec.get(key), f"The feedback for {key[9:]}", problems, required=False)
        return problems

    def student_view(self, spec: dict[str, Any], order: Sequence[int] | None = None) -> dict:
        check_order(order, 0)
        return {"widget": "true_false"}

    def normalise_response(self, spec: dict[str, Any], raw: Any) -> dict:
        value = response_field(raw, "value")
        if value is not None and not isinstance(value, bool):
            raise InvalidResponse(_UNREADABLE)
        return {"value": value}

    def score(self, spec: dict[str, Any], response: dict) -> float:
        return 1.0 if response["value"] is spec["answer"] else 0.0

    def triggered(self, spec: dict[str, Any], response: dict) -> list[str]:
        if response["value"] is None:
            return []
        return [spec.get("feedback_true" if response["value"] else "feedback_false") or ""]

    def correct_answer_text(self, spec: dict[str, Any]) -> str:
        return f"The correct answer is '{'True' if spec['answer'] else 'False'}'."

    def answers_summary(self, spec: dict[str, Any]) -> list[dict]:
        right = spec["answer"]
        return [
            summary("true", 100 if right else 0, spec.get("feedback_true")),
            summary("false", 0 if right else 100, spec.get("feedback_false")),
        ]
