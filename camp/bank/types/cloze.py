"""Embedded answers (cloze): a text with numbered gaps, each a short answer, numerical or
single-choice sub-question with its own mark, weights and feedback, as Moodle's type.

The author writes the gaps in the question text in Moodle's syntax (`cloze_syntax`);
`authored` stores the text with a placeholder `{#n}` for gap n and the gaps in the spec, and
`authoring_text` gives the syntax back for editing.

Spec: {"gaps": [{"kind": "short_answer" | "short_answer_case" | "numerical" | "choice",
"display": "dropdown" | "vertical" | "horizontal" (choice only), "mark": int (1..1000),
"answers": [...]}]}, the answers as the matching type has them: {"text", "weight",
"feedback"} (short answer, choice) or a numerical answer. Each gap is checked, graded and
summarised by that type (short answer, with or without case; numerical; single choice).

Response: {"gaps": {"<gap number>": "typed text" | <option index in spec order>}}, blank gaps
left out. Fraction: Σ (mark * the gap's fraction) / Σ mark. Feedback: the triggered answers'
feedback, each as "Gap n: ...".

Shuffling: `order` permutes one flat list of the choice gaps' options, gap by gap (with choice
gaps 3 and 5 of three and two options, items 0-2 are gap 3's options and items 3-4 gap 5's).
Each gap shows its own options in the order they come in `order`, an option posts the opaque
value of its flat item, and a posted value must be one of its own gap's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _  # type: ignore[import-untyped]
from flask_babel import lazy_gettext as _l

from camp.bank.types import cloze_syntax
from camp.bank.types.base import (
    NOT_AN_OPTION,
    AuthoringError,
    BreakdownItem,
    InvalidResponse,
    Posted,
    QuestionType,
    Rendering,
    check_order,
    listing,
    response_map,
    summary,
)
from camp.bank.types.checks import check_items, check_keys
from camp.bank.types.choice import SingleChoice
from camp.bank.types.cloze_syntax import MAX_MARK
from camp.bank.types.fields import TypeFields
from camp.bank.types.numerical import Numerical, in_words
from camp.bank.types.text import AcceptedAnswers, ShortAnswer

MAX_GAPS = 100
DISPLAYS = ("dropdown", "vertical", "horizontal")
NO_GAPS = _l("Put at least one gap in the text, such as {1:SHORTANSWER:=Paris}.")
OTHER_ANSWER = _l("(any other answer)")


class ShortAnswerWithCase(ShortAnswer):
    """A short answer gap where case matters (SHORTANSWER_C); not a registered type."""

    case_sensitive = True


_KINDS: dict[str, QuestionType] = {
    "short_answer": ShortAnswer(),
    "short_answer_case": ShortAnswerWithCase(),
    "numerical": Numerical(),
    "choice": SingleChoice(),
}
_INPUTS = {"short_answer": "text", "short_answer_case": "text", "numerical": "number"}


@dataclass(frozen=True)
class _Gap:
    """A gap of a valid spec: the type that grades it (`kind`), that type's spec (`own`) and
    response field (`key`)."""

    number: int
    spec: dict[str, Any]

    @property
    def kind(self) -> QuestionType:
        return _KINDS[self.spec["kind"]]

    @property
    def own(self) -> dict[str, Any]:
        return _own(self.spec["kind"], self.spec["answers"])

    @property
    def key(self) -> str:
        return "selected" if self.spec["kind"] == "choice" else "text"

    def response(self, value: Any) -> dict[str, Any]:
        blank = None if self.key == "selected" else ""
        return {self.key: blank if value is None else value}

    def catches_all(self) -> bool:
        """Whether a short answer `*` accepts every response (a numerical gap's "any number"
        leaves out what is not a number)."""
        if self.spec["kind"] == "numerical":
            return False
        return any(set(answer["text"].strip()) == {"*"} for answer in self.spec["answers"])


def _own(kind: str, answers: Any) -> dict[str, Any]:
    return {"options" if kind == "choice" else "answers": answers}


def _gaps(spec: dict[str, Any]) -> list[_Gap]:
    return [_Gap(number, gap) for number, gap in enumerate(spec["gaps"], 1)]


def _gap_problem(number: int, problem: str) -> str:
    """A gap's problem, named by the gap: "Gap 2: the mark must be..."."""
    return _("Gap %(number)s: %(text)s", number=number, text=problem)


def _count_problems(count: int) -> list[str]:
    if not count:
        return [str(NO_GAPS)]
    return [_("Use at most %(n)s gaps.", n=MAX_GAPS)] if count > MAX_GAPS else []


def _items(spec: dict[str, Any]) -> list[tuple[int, int]]:
    """(gap number, option index) of each item `order` permutes."""
    return [
        (number, index)
        for number, gap in enumerate(spec["gaps"], 1)
        if gap["kind"] == "choice"
        for index in range(len(gap["answers"]))
    ]


def _gap_number(key: object, count: int) -> int:
    text = key if isinstance(key, str) else ""
    if text.isascii() and text.isdigit() and len(text) <= 4 and 1 <= int(text) <= count:
        return int(text)
    raise InvalidResponse(_("That gap does not exist. Please answer again."))


class ClozeFields(TypeFields):
    text_help = _l(
        "Write a gap wherever the student answers, in Moodle's embedded-answers syntax: "
        "{1:SHORTANSWER:=Paris#Right!~%50%Lyon#Not the capital~*#No}. The first number is the "
        "gap's mark (1 when left out). Then the type: SHORTANSWER (SA), SHORTANSWER_C (SAC, "
        "case matters), NUMERICAL (NM, =3.14:0.01 for a tolerance), MULTICHOICE (MC, a "
        "drop-down list), MULTICHOICE_V (MCV) or MULTICHOICE_H (MCH, buttons in a column or "
        "a row). Separate the answers with ~; = marks a right one, %50% a part mark, # starts "
        "its feedback; write \\}, \\~ or \\# for those characters in an answer."
    )


class Cloze(QuestionType):
    name = "cloze"
    label = _l("Embedded answers (cloze)")
    template = "questions/cloze.html"
    has_breakdown = True
    shows_text_itself = True
    fields = ClozeFields

    def check(self, spec: dict[str, Any]) -> list[str]:
        problems: list[str] = []
        check_keys(spec, ("gaps",), problems)
        gaps = check_items(
            spec,
            "gaps",
            problems,
            _("Give the gaps as a list."),
            _("Gap %(number)s must be an object."),
        )
        if isinstance(spec.get("gaps"), list):
            problems.extend(_count_problems(len(spec["gaps"])))
        for number, gap in enumerate(gaps, 1):
            problems.extend(_gap_problem(number, problem) for problem in self._gap_problems(gap))
        return problems

    def _gap_problems(self, gap: dict[str, Any]) -> list[str]:
        problems: list[str] = []
        check_keys(gap, ("kind", "display", "mark", "answers"), problems)
        mark = gap.get("mark")
        if type(mark) is not int or not 1 <= mark <= MAX_MARK:
            problems.append(_("the mark must be a whole number from 1 to %(n)s.", n=MAX_MARK))
        kind = gap.get("kind")
        if not isinstance(kind, str) or kind not in _KINDS:
            problems.append(
                _("the kind must be short_answer, short_answer_case, numerical or choice.")
            )
            return problems
        if kind == "choice" and gap.get("display") not in DISPLAYS:
            problems.append(_("the display must be dropdown, vertical or horizontal."))
        if kind != "choice" and "display" in gap:
            problems.append(_("only a choice gap has a display."))
        return problems + _KINDS[kind].check(_own(kind, gap.get("answers")))

    # -- in the authoring form ------------------------------------------------------------

    def authored(self, text: str, spec: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        stored, gaps, problems = cloze_syntax.read(text)
        for number, gap in enumerate(gaps, 1):
            if gap.spec is None:
                problems.extend(gap.problems)
            else:
                problems.extend(_gap_problem(number, p) for p in self._gap_problems(gap.spec))
        problems.extend(_count_problems(len(gaps)))
        if problems:
            raise AuthoringError(problems)
        return stored, {"gaps": [gap.spec for gap in gaps]}

    def authoring_text(self, text: str, spec: dict[str, Any]) -> str:
        return cloze_syntax.write(text, spec["gaps"])

    def plain_text(self, text: str) -> str:
        return cloze_syntax.blanked(text)

    # -- the student's view and answers ----------------------------------------------------

    def student_view(self, spec: dict[str, Any], order: Sequence[int] | None = None) -> dict:
        items = _items(spec)
        shown: dict[int, list[int]] = {}
        for flat in check_order(order, len(items)):
            number, index = items[flat]
            shown.setdefault(number, []).append(index)
        gaps = []
        for number, gap in enumerate(spec["gaps"], 1):
            if gap["kind"] != "choice":
                gaps.append({"number": number, "input": _INPUTS[gap["kind"]]})
                continue
            options = [{"index": i, "text": gap["answers"][i]["text"]} for i in shown[number]]
            gaps.append(
                {"number": number, "input": "choice", "display": gap["display"], "options": options}
            )
        return {"widget": "cloze", "gaps": gaps}

    def shufflable_count(self, spec: dict[str, Any]) -> int:
        return len(_items(spec))

    def view(self, spec: dict[str, Any], rendering: Rendering) -> dict[str, Any]:
        saved = rendering.saved("gaps")
        saved = saved if isinstance(saved, dict) else {}
        first: dict[int, int] = {}
        for flat, (number, _index) in enumerate(_items(spec)):
            first.setdefault(number, flat)
        gaps = {}
        for gap in self.student_view(spec, rendering.order)["gaps"]:
            number, value = gap["number"], saved.get(str(gap["number"]))
            ident = f"{rendering.prefix}-gap-{number}"
            item = {**gap, "id": ident, "field_name": f"{rendering.field_name}-{number}"}
            if gap["input"] != "choice":
                item["current_text"] = value if isinstance(value, str) else ""
            else:
                label = rendering.plain if gap["display"] == "dropdown" else rendering.inline
                item["options"] = [
                    {
                        "id": f"{ident}-{position}",
                        "value": rendering.value_for(first[number] + option["index"]),
                        "label": label(option["text"]),
                        "checked": type(value) is int and option["index"] == value,
                    }
                    for position, option in enumerate(gap["options"], 1)
                ]
            gaps[number] = item
        parts = cloze_syntax.split_html(rendering.text_html, len(gaps))
        return {"parts": [{"gap": gaps[p]} if type(p) is int else {"html": p} for p in parts]}

    def read_form(self, spec: dict[str, Any], posted: Posted) -> dict:
        items = _items(spec)
        answers: dict[str, Any] = {}
        for number, gap in enumerate(spec["gaps"], 1):
            value = posted.get(f"-{number}")
            if not value:
                continue
            if gap["kind"] != "choice":
                answers[str(number)] = value
                continue
            flat = posted.index_of(value)
            if not 0 <= flat < len(items) or items[flat][0] != number:
                raise InvalidResponse(NOT_AN_OPTION)
            answers[str(number)] = items[flat][1]
        return {"gaps": answers}

    def normalise_response(self, spec: dict[str, Any], raw: Any) -> dict:
        given = response_map(raw, "gaps")
        gaps = _gaps(spec)
        clean: dict[int, Any] = {}
        for key, value in given.items():
            gap = gaps[_gap_number(key, len(gaps)) - 1]
            answer = gap.kind.normalise_response(gap.own, {gap.key: value})[gap.key]
            if answer is not None and answer != "":
                clean[gap.number] = answer
        return {"gaps": {str(number): clean[number] for number in sorted(clean)}}

    # -- grading and the key ---------------------------------------------------------------

    def _answered(self, spec: dict[str, Any], response: dict) -> list[tuple[_Gap, Any]]:
        return [(gap, response["gaps"].get(str(gap.number))) for gap in _gaps(spec)]

    def score(self, spec: dict[str, Any], response: dict) -> float:
        answered = self._answered(spec, response)
        earned = sum(g.spec["mark"] * g.kind.score(g.own, g.response(v)) for g, v in answered)
        return earned / sum(gap.spec["mark"] for gap, _ in answered)

    def triggered(self, spec: dict[str, Any], response: dict) -> list[str]:
        return [
            _("Gap %(number)s: %(text)s", number=gap.number, text=text)
            for gap, value in self._answered(spec, response)
            if value is not None
            for text in gap.kind.triggered(gap.own, gap.response(value))
            if text.strip()
        ]

    def correct_answer_text(self, spec: dict[str, Any]) -> str:
        per_gap = []
        for gap in _gaps(spec):
            words = in_words if gap.spec["kind"] == "numerical" else lambda a: a["text"]
            right = [words(a) for a in gap.spec["answers"] if a["weight"] == 100]
            either = _(" or ").join(right)
            per_gap.append(_("Gap %(number)s: %(text)s", number=gap.number, text=either))
        return listing(
            _("The correct answer is: %(answers)s"),
            _("The correct answers are: %(answers)s"),
            per_gap,
        )

    def answers_summary(self, spec: dict[str, Any]) -> list[dict]:
        return [
            summary(
                _("Gap %(number)s: %(text)s", number=gap.number, text=row["text"]),
                row["weight"],
                row["feedback"],
            )
            for gap in _gaps(spec)
            for row in gap.kind.answers_summary(gap.own)
        ]

    # -- in reports and statistics ---------------------------------------------------------

    def describe(self, spec: dict[str, Any], response: dict) -> str:
        """Each answered gap: "Gap 1: Berlin; Gap 3: Paris" (an option by its text)."""
        answers = self.normalise_response(spec, response)["gaps"]
        parts = []
        for key, value in answers.items():
            gap = spec["gaps"][int(key) - 1]
            text = gap["answers"][value]["text"] if gap["kind"] == "choice" else value
            parts.append(_("Gap %(number)s: %(text)s", number=key, text=text))
        return "; ".join(parts)

    def _rows(self, spec: dict[str, Any]) -> list[tuple[int, int | None, BreakdownItem]]:
        """(gap number, answer index or None for any other answer, row) of the breakdown."""
        rows: list[tuple[int, int | None, BreakdownItem]] = []
        for gap in _gaps(spec):
            for index, row in enumerate(gap.kind.answers_summary(gap.own)):
                text = _("Gap %(number)s: %(text)s", number=gap.number, text=row["text"])
                weight = row["weight"]
                rows.append((gap.number, index, BreakdownItem(text, weight, weight >= 100)))
            if gap.key == "text" and not gap.catches_all():
                words = _("Gap %(number)s: %(text)s", number=gap.number, text=OTHER_ANSWER)
                other = BreakdownItem(words, 0.0, False)
                rows.append((gap.number, None, other))
        return rows

    def breakdown(self, spec: dict[str, Any]) -> list[BreakdownItem]:
        return [row for _number, _index, row in self._rows(spec)]

    def picked(self, spec: dict[str, Any], response: dict) -> list[int]:
        try:
            answers = self.normalise_response(spec, response)["gaps"]
        except InvalidResponse:
            return []
        where = {(number, index): row for row, (number, index, _) in enumerate(self._rows(spec))}
        chosen = []
        for gap in _gaps(spec):
            value = answers.get(str(gap.number))
            if value is None:
                continue
            kind = gap.kind
            index = kind.best(gap.own, value) if isinstance(kind, AcceptedAnswers) else value
            chosen.append(where[(gap.number, index)])
        return chosen
