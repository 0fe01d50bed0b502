"""True/false questions: a statement the student marks True or False.

Spec: {"answer": bool, "feedback_true": str, "feedback_false": str}, where `feedback_true` is
shown to a student who picks True and `feedback_false` to one who picks False, whichever of
the two is right. Response: {"value": bool | None}. In GIFT: `{TRUE#wrong#right}`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import gettext as _  # type: ignore[import-untyped]
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms import Field, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, StopValidation

from camp.bank.types.base import (
    MAX_TEXT,
    UNREADABLE,
    BreakdownItem,
    InvalidResponse,
    Posted,
    QuestionType,
    Rendering,
    check_order,
    response_field,
    summary,
)
from camp.bank.types.checks import check_keys, check_text
from camp.bank.types.fields import TEXT, RadioGroup, TypeFields
from camp.formats.gift_blocks import TRUE_FALSE, GiftBlock, guarded
from camp.formats.gift_lexer import Src


def _answered(_form: object, field: Field) -> None:
    # Not InputRequired: its `required` flag would land on the list around the radios.
    if field.data not in ("true", "false"):
        raise StopValidation(_l("Choose whether the statement is true or false."))


class TrueFalseFields(TypeFields):
    extra_fields = ("answer", "feedback_true", "feedback_false")
    answer = RadioField(
        _l("Correct answer"),
        choices=[SelectChoice("true", _l("True")), SelectChoice("false", _l("False"))],
        validators=[_answered],
        widget=RadioGroup(),
    )
    feedback_true = TextAreaField(
        _l("Feedback for a student who answers True"), [Length(max=MAX_TEXT)], filters=TEXT
    )
    feedback_false = TextAreaField(
        _l("Feedback for a student who answers False"), [Length(max=MAX_TEXT)], filters=TEXT
    )

    def spec(self) -> dict[str, Any]:
        return {
            "answer": self.answer.data == "true",
            "feedback_true": self.feedback_true.data or "",
            "feedback_false": self.feedback_false.data or "",
        }

    @classmethod
    def load_spec(cls, spec: dict[str, Any]) -> dict[str, Any]:
        return {
            "answer": "true" if spec["answer"] else "false",
            "feedback_true": spec.get("feedback_true") or "",
            "feedback_false": spec.get("feedback_false") or "",
        }


class TrueFalse(QuestionType):
    name = "true_false"
    label = _l("True/false")
    template = "questions/choice.html"
    has_breakdown = True
    fields = TrueFalseFields

    def check(self, spec: dict[str, Any]) -> list[str]:
        problems: list[str] = []
        check_keys(spec, ("answer", "feedback_true", "feedback_false"), problems)
        if not isinstance(spec.get("answer"), bool):
            problems.append(
                _("Say whether the statement is true or false (answer: true or false).")
            )
        check_text(spec.get("feedback_true"), _("The feedback for true"), problems, required=False)
        check_text(
            spec.get("feedback_false"), _("The feedback for false"), problems, required=False
        )
        return problems

    def student_view(self, spec: dict[str, Any], order: Sequence[int] | None = None) -> dict:
        check_order(order, 0)
        return {"widget": "true_false"}

    def view(self, spec: dict[str, Any], rendering: Rendering) -> dict[str, Any]:
        check_order(rendering.order, 0)
        value = rendering.saved("value")
        return {
            "input_type": "radio",
            "options": [
                {
                    "id": f"{rendering.prefix}-{word}",
                    "value": word,
                    "html": escape(_("True") if word == "true" else _("False")),
                    "checked": value is (word == "true"),
                }
                for word in ("true", "false")
            ],
        }

    def read_form(self, spec: dict[str, Any], posted: Posted) -> dict:
        value = posted.get()
        if value not in ("", "true", "false"):
            raise InvalidResponse(_("Choose True or False."))
        return {"value": None if not value else value == "true"}

    def describe(self, spec: dict[str, Any], response: dict) -> str:
        value = response.get("value")
        return "" if value is None else (_("True") if value else _("False"))

    def breakdown(self, spec: dict[str, Any]) -> list[BreakdownItem]:
        right = bool(spec.get("answer"))
        return [
            BreakdownItem(_("True"), 100.0 if right else 0.0, right),
            BreakdownItem(_("False"), 0.0 if right else 100.0, not right),
        ]

    def picked(self, spec: dict[str, Any], response: dict) -> list[int]:
        value = response.get("value")
        return [] if not isinstance(value, bool) else [0 if value else 1]

    def answer_html(self, text: str, rendering: Rendering) -> Markup:
        words = {"true": _("True"), "false": _("False")}
        return escape(words.get(text, text.capitalize()))

    def read_gift(self, block: Src, fmt: str) -> tuple[str, dict]:
        answer, *rest = block.split("#", limit=2)
        wrong_fb, right_fb = [piece.text(fmt) for piece in rest] + [""] * (2 - len(rest))
        if TRUE_FALSE[answer.strip().s]:
            return self.name, {
                "answer": True,
                "feedback_true": right_fb,
                "feedback_false": wrong_fb,
            }
        return self.name, {"answer": False, "feedback_true": wrong_fb, "feedback_false": right_fb}

    def write_gift(self, spec: dict[str, Any], fmt: str) -> GiftBlock:
        answer = bool(spec["answer"])
        picked_true = spec.get("feedback_true") or ""
        picked_false = spec.get("feedback_false") or ""
        right, wrong = (picked_true, picked_false) if answer else (picked_false, picked_true)
        out = "TRUE" if answer else "FALSE"
        if wrong or right:
            out += "#" + (guarded(wrong, fmt) if wrong else "")
        if right:
            out += "#" + guarded(right, fmt)
        return GiftBlock(inline=out)

    def normalise_response(self, spec: dict[str, Any], raw: Any) -> dict:
        value = response_field(raw, "value")
        if value is not None and not isinstance(value, bool):
            raise InvalidResponse(UNREADABLE)
        return {"value": value}

    def score(self, spec: dict[str, Any], response: dict) -> float:
        return 1.0 if response["value"] is spec["answer"] else 0.0

    def triggered(self, spec: dict[str, Any], response: dict) -> list[str]:
        if response["value"] is None:
            return []
        return [spec.get("feedback_true" if response["value"] else "feedback_false") or ""]

    def correct_answer_text(self, spec: dict[str, Any]) -> str:
        word = _("True") if spec["answer"] else _("False")
        return _("The correct answer is '%(answer)s'.", answer=word)

    def answers_summary(self, spec: dict[str, Any]) -> list[dict]:
        right = spec["answer"]
        return [
            summary("true", 100 if right else 0, spec.get("feedback_true")),
            summary("false", 0 if right else 100, spec.get("feedback_false")),
        ]
