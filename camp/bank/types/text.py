"""Typed-answer questions: short answer (auto graded), essay (hand graded) and description.

Short answer spec: {"answers": [{"text", "weight" (0..100), "feedback"}]}, and
"case_sensitive": true when case matters (Moodle's `usecase`; GIFT cannot say it). A response
matches an answer ignoring case (unless the spec or the type is case-sensitive, as a cloze gap
may be) and surrounding or repeated whitespace; `*` in an answer stands for any run of
characters and everything else is literal. The best matching weight wins (`AcceptedAnswers`,
which numerical questions share).
Essay spec: {} or {"response_lines": int}. Description spec: {} (text only, never graded).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, ClassVar

from flask_babel import gettext as _  # type: ignore[import-untyped]
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField
from wtforms.validators import NumberRange, Optional

from camp import caches
from camp.bank.types.base import (
    ESSAY_LIMIT,
    QuestionType,
    Rendering,
    TypedAnswer,
    check_order,
    listing,
    response_text,
    squash,
    summary,
)
from camp.bank.types.checks import check_items, check_keys, check_text, check_weight
from camp.bank.types.fields import (
    AnswerRow,
    TypeFields,
)
from camp.formats.gift_blocks import (
    GiftBlock,
    GiftWriteError,
    answer_pieces,
    feedback_text,
    guarded,
    read_weight,
    refuse_arrow,
    weight_text,
)
from camp.formats.gift_lexer import Src

DEFAULT_RESPONSE_LINES = 15


class ShortAnswerFields(TypeFields):
    rows_name, row = "answers", AnswerRow
    rows_heading, row_legend = _l("Answers"), _l("Answer %(number)s")
    rows_help = _l(
        "Every answer you accept, with its weight in percent (at least one at 100). "
        "Blank rows are ignored."
    )
    extra_fields = ("case_sensitive",)
    case_sensitive = BooleanField(
        _l("Case matters"), description=_l("Accept an answer only in the case written here.")
    )

    def spec(self) -> dict[str, Any]:
        spec = super().spec()
        return {**spec, "case_sensitive": True} if self.case_sensitive.data else spec

    @classmethod
    def load_spec(cls, spec: dict[str, Any]) -> dict[str, Any]:
        return {**super().load_spec(spec), "case_sensitive": spec.get("case_sensitive") is True}

    @staticmethod
    def new_data() -> dict[str, Any]:
        return {"answers": [{"weight": "100"}]}


class EssayFields(TypeFields):
    extra_fields = ("response_lines",)
    response_lines = IntegerField(
        _l("Answer box height (lines)"),
        [Optional(), NumberRange(1, 100, _l("Use a whole number from 1 to 100."))],
        description=_l("Leave empty for the usual height."),
    )

    def spec(self) -> dict[str, Any]:
        lines = self.response_lines.data
        return {} if lines is None else {"response_lines": lines}

    @classmethod
    def load_spec(cls, spec: dict[str, Any]) -> dict[str, Any]:
        return {"response_lines": spec.get("response_lines")}


def _folded(text: str, case_sensitive: bool) -> str:
    text = squash(text)
    return text if case_sensitive else text.casefold()


@lru_cache(maxsize=4096)
def _pattern(answer: str, case_sensitive: bool = False) -> re.Pattern[str]:
    parts = _folded(answer, case_sensitive).split("*")
    return re.compile(".*".join(re.escape(part) for part in parts), re.DOTALL)


def matches(answer: str, response: str, *, case_sensitive: bool = False) -> bool:
    """Whether `response` matches the accepted `answer` (case, spacing and `*` rules)."""
    pattern = _pattern(answer, case_sensitive)
    return pattern.fullmatch(_folded(response, case_sensitive)) is not None


class AcceptedAnswers(TypedAnswer):
    """A typed answer graded against {"answers": [{..., "weight", "feedback"}]}: of the
    answers that accept the response, the best weight counts (and its feedback shows)."""

    def reading(self, text: str) -> Any:
        """The response as answers are compared with it; None matches no answer."""
        raise NotImplementedError

    def fits(self, spec: dict[str, Any], answer: dict[str, Any], reading: Any) -> bool:
        """Whether `answer` (of `spec`) accepts a response read as `reading`."""
        raise NotImplementedError

    def best(self, spec: dict[str, Any], text: str) -> int | None:
        """The index of the answer `text` earns (the first of equal weights), or None."""
        reading = self.reading(text)
        if reading is None:
            return None
        answers, best = spec["answers"], None
        for index, answer in enumerate(answers):
            if self.fits(spec, answer, reading) and (
                best is None or answer["weight"] > answers[best]["weight"]
            ):
                best = index
        return best

    def score(self, spec: dict[str, Any], response: dict) -> float:
        best = self.best(spec, response["text"])
        return 0.0 if best is None else spec["answers"][best]["weight"] / 100

    def triggered(self, spec: dict[str, Any], response: dict) -> list[str]:
        best = self.best(spec, response["text"])
        return [] if best is None else [spec["answers"][best].get("feedback") or ""]


class ShortAnswer(AcceptedAnswers):
    name = "short_answer"
    label = _l("Short answer")
    template = "questions/text.html"
    fields = ShortAnswerFields
    case_sensitive: ClassVar[bool] = False

    def check(self, spec: dict[str, Any]) -> list[str]:
        problems: list[str] = []
        check_keys(spec, ("answers", "case_sensitive"), problems)
        answers = check_items(
            spec,
            "answers",
            problems,
            _("Give the answers as a list."),
            _("Answer %(number)s must be an object."),
        )
        raw = spec.get("answers")
        if isinstance(raw, list) and not raw:
            problems.append(_("Give at least one accepted answer."))
        if spec.get("case_sensitive", True) is not True:
            problems.append(_("Say that case matters with case_sensitive: true, or leave it out."))
        weights = []
        for position, answer in enumerate(answers, 1):
            what = _("Answer %(number)s", number=position)
            feedback = _("Answer %(number)s: the feedback", number=position)
            check_text(answer.get("text"), what, problems, required=True)
            check_text(answer.get("feedback"), feedback, problems, required=False)
            weights.append(check_weight(answer.get("weight"), what, problems, low=0))
        if isinstance(raw, list) and raw and len(answers) == len(raw) and 100 not in weights:
            problems.append(_("Give at least one answer with 100% weight."))
        return problems

    def student_view(self, spec: dict[str, Any], order: Sequence[int] | None = None) -> dict:
        check_order(order, 0)
        return {"widget": "text"}

    def normalise_response(self, spec: dict[str, Any], raw: Any) -> dict:
        return {"text": response_text(raw).strip()}

    def reading(self, text: str) -> str | None:
        return text if text.strip() else None

    def fits(self, spec: dict[str, Any], answer: dict[str, Any], reading: str) -> bool:
        case_sensitive = self.case_sensitive or spec.get("case_sensitive") is True
        return matches(answer["text"], reading, case_sensitive=case_sensitive)

    def settings_lines(self, spec: dict[str, Any]) -> list[str]:
        return [_("Case matters")] if spec.get("case_sensitive") else []

    def correct_answer_text(self, spec: dict[str, Any]) -> str:
        right = [a["text"] for a in spec["answers"] if a["weight"] == 100]
        return listing(
            _("The correct answer is: %(answers)s"), _("Accepted answers: %(answers)s"), right
        )

    def answers_summary(self, spec: dict[str, Any]) -> list[dict]:
        return [summary(a["text"], a["weight"], a.get("feedback")) for a in spec["answers"]]

    def read_gift(self, block: Src, fmt: str) -> tuple[str, dict]:
        answers = []
        for piece in answer_pieces(block, "="):
            weight, piece = read_weight(piece, 100.0)
            text, feedback = piece.answer(fmt)
            answers.append({"text": text, "weight": weight, "feedback": feedback})
        return self.name, {"answers": answers}

    def write_gift(self, spec: dict[str, Any], fmt: str) -> GiftBlock:
        if spec.get("case_sensitive"):
            raise GiftWriteError(_("GIFT cannot say that case matters in a short answer"))
        lines = []
        for answer in spec["answers"]:
            feedback = answer.get("feedback") or ""
            refuse_arrow(
                answer["text"], _("GIFT cannot write a short answer containing '->': %(text)s")
            )
            refuse_arrow(
                feedback, _("GIFT cannot write short answer feedback containing '->': %(text)s")
            )
            text = guarded(answer["text"], fmt)
            lines.append(f"=%{weight_text(answer['weight'])}%{text}{feedback_text(feedback, fmt)}")
        return GiftBlock(lines=tuple(lines))


class Essay(TypedAnswer):
    name = "essay"
    label = _l("Essay")
    auto_graded = False
    template = "questions/essay.html"
    fields = EssayFields

    def check(self, spec: dict[str, Any]) -> list[str]:
        problems: list[str] = []
        check_keys(spec, ("response_lines",), problems)
        lines = spec.get("response_lines", DEFAULT_RESPONSE_LINES)
        if isinstance(lines, bool) or not isinstance(lines, int) or not 1 <= lines <= 100:
            problems.append(
                _("The answer box height (response_lines) must be a whole number from 1 to 100.")
            )
        return problems

    def student_view(self, spec: dict[str, Any], order: Sequence[int] | None = None) -> dict:
        check_order(order, 0)
        return {"widget": "textarea", "lines": spec.get("response_lines", DEFAULT_RESPONSE_LINES)}

    def normalise_response(self, spec: dict[str, Any], raw: Any) -> dict:
        text = response_text(raw, ESSAY_LIMIT).replace("\r\n", "\n").replace("\r", "\n")
        return {"text": text if text.strip() else ""}

    def view(self, spec: dict[str, Any], rendering: Rendering) -> dict[str, Any]:
        lines = spec.get("response_lines", DEFAULT_RESPONSE_LINES)
        return {**super().view(spec, rendering), "lines": lines}

    def settings_lines(self, spec: dict[str, Any]) -> list[str]:
        if "response_lines" not in spec:
            return []
        return [_("Answer box: %(lines)s lines", lines=spec["response_lines"])]

    def read_gift(self, block: Src, fmt: str) -> tuple[str, dict]:
        return self.name, {}

    def write_gift(self, spec: dict[str, Any], fmt: str) -> GiftBlock:
        """An empty block; the answer box height has no GIFT form and is not written."""
        return GiftBlock(inline="")


class Description(QuestionType):
    name = "description"
    label = _l("Description")
    auto_graded = False
    gradable = False
    needs_text = False
    fields = TypeFields

    def check(self, spec: dict[str, Any]) -> list[str]:
        problems: list[str] = []
        check_keys(spec, (), problems)
        return problems

    def student_view(self, spec: dict[str, Any], order: Sequence[int] | None = None) -> dict:
        check_order(order, 0)
        return {"widget": "none"}

    def normalise_response(self, spec: dict[str, Any], raw: Any) -> dict:
        return {}

    def write_gift(self, spec: dict[str, Any], fmt: str) -> GiftBlock | None:
        return None  # a description is its text alone, with no braces


caches.register_function("short-answer patterns", _pattern)
