"""Typed-answer questions: short answer (auto graded), essay (hand graded) and description.

Short answer spec: {"answers": [{"text", "weight" (0..100), "feedback"}]}. A response matches an
answer ignoring case and surrounding or repeated whitespace; `*` in an answer stands for any
run of characters and everything else is literal. The best matching weight wins.
Essay spec: {} or {"response_lines": int}. Description spec: {} (text only, never graded).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from camp import caches
from camp.bank.types.base import (
    ESSAY_LIMIT,
    QuestionType,
    check_items,
    check_keys,
    check_order,
    check_text,
    check_weight,
    listing,
    response_text,
    squash,
    summary,
)

DEFAULT_RESPONSE_LINES = 15


@lru_cache(maxsize=4096)
def _pattern(answer: str) -> re.Pattern[str]:
    parts = squash(answer).casefold().split("*")
    return re.compile(".*".join(re.escape(part) for part in parts), re.DOTALL)


def matches(answer: str, response: str) -> bool:
    """Whether `response` matches the accepted `answer` (case, spacing and `*` rules)."""
    return _pattern(answer).fullmatch(squash(response).casefold()) is not None


class ShortAnswer(QuestionType):
    name = "short_answer"
    label = "Short answer"

    def check(self, spec: dict[str, Any]) -> list[str]:
        problems: list[str] = []
        check_keys(spec, ("answers",), problems)
        answers = check_items(spec, "answers", "answer", problems)
        raw = spec.get("answers")
        if isinstance(raw, list) and not raw:
            problems.append("Give at least one accepted answer.")
        weights = []
        for position, answer in enumerate(answers, 1):
            what = f"Answer {position}"
            check_text(answer.get("text"), what, problems, required=True)
            check_text(answer.get("feedback"), f"{what}: the feedback", problems, required=False)
            weights.append(check_weight(answer.get("weight"), what, problems, low=0))
        if isinstance(raw, list) and raw and len(answers) == len(raw) and 100 not in weights:
            problems.append("Give at least one answer with 100% weight.")
        return problems

    def student_view(self, spec: dict[str, Any], order: Sequence[int] | None = None) -> dict:
        check_order(order, 0)
        return {"widget": "text"}

    def normalise_response(self, spec: dict[str, Any], raw: Any) -> dict:
        return {"text": response_text(raw).strip()}

    def _best(self, spec: dict[str, Any], text: str) -> dict | None:
        if not text.strip():
            return None
        best = None
        for answer in spec["answers"]:
            if not matches(answer["text"], text):
                continue
            if best is None or answer["weight"] > best["weight"]:
                best = answer
        return best

    def score(self, spec: dict[str, Any], response: dict) -> float:
        best = self._best(spec, response["text"])
        return 0.0 if best is None else best["weight"] / 100

    def triggered(self, spec: dict[str, Any], response: dict) -> list[str]:
        best = self._best(spec, response["text"])
        return [] if best is None else [best.get("feedback") or ""]

    def correct_answer_text(self, spec: dict[str, Any]) -> str:
        right = [a["text"] for a in spec["answers"] if a["weight"] == 100]
        return listing("The correct answer is:", "Accepted answers:", right)

    def answers_summary(self, spec: dict[str, Any]) -> list[dict]:
        return [summary(a["text"], a["weight"], a.get("feedback")) for a in spec["answers"]]


class Essay(QuestionType):
    name = "essay"
    label = "Essay"
    auto_graded = False

    def check(self, spec: dict[str, Any]) -> list[str]:
        problems: list[str] = []
        check_keys(spec, ("response_lines",), problems)
        lines = spec.get("response_lines", DEFAULT_RESPONSE_LINES)
        if isinstance(lines, bool) or not isinstance(lines, int) or not 1 <= lines <= 100:
            problems.append(
                "The answer box height (response_lines) must be a whole number from 1 to 100."
            )
        return problems

    def student_view(self, spec: dict[str, Any], order: Sequence[int] | None = None) -> dict:
        check_order(order, 0)
        return {"widget": "textarea", "lines": spec.get("response_lines", DEFAULT_RESPONSE_LINES)}

    def normalise_response(self, spec: dict[str, Any], raw: Any) -> dict:
        text = response_text(raw, ESSAY_LIMIT).replace("\r\n", "\n").replace("\r", "\n")
        return {"text": text if text.strip() else ""}


class Description(QuestionType):
    name = "description"
    label = "Description"
    auto_graded = False
    gradable = False

    def check(self, spec: dict[str, Any]) -> list[str]:
        problems: list[str] = []
        check_keys(spec, (), problems)
        return problems

    def student_view(self, spec: dict[str, Any], order: Sequence[int] | None = None) -> dict:
        check_order(order, 0)
        return {"widget": "none"}

    def normalise_response(self, spec: dict[str, Any], raw: Any) -> dict:
        return {}


caches.register_function("short-answer patterns", _pattern)
