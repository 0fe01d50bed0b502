"""The question type registry: every type name Camp knows, mapped to the class that validates
its spec, renders the student's view (never the key), cleans a response and grades it.

Type names are a contract with the database and the GIFT reader. The classes live in
`camp.bank.types`; import them from here. Pure code: no request, no database (their words
for people are translated with Flask-Babel, in English outside a request).
"""

from __future__ import annotations

from flask_babel import gettext as _  # type: ignore[import-untyped]

from camp.bank.types.base import InvalidResponse, QuestionType, UnknownQuestionType
from camp.bank.types.choice import MultipleChoice, SingleChoice
from camp.bank.types.cloze import Cloze
from camp.bank.types.matching import Matching
from camp.bank.types.numerical import Numerical
from camp.bank.types.ordering import Ordering
from camp.bank.types.text import Description, Essay, ShortAnswer
from camp.bank.types.true_false import TrueFalse

__all__ = [
    "HAND_GRADED",
    "REGISTRY",
    "TYPE_NAMES",
    "InvalidResponse",
    "QuestionType",
    "UnknownQuestionType",
    "get_type",
]

REGISTRY: dict[str, QuestionType] = {
    kind.name: kind()
    for kind in (
        SingleChoice,
        MultipleChoice,
        TrueFalse,
        ShortAnswer,
        Numerical,
        Matching,
        Ordering,
        Cloze,
        Essay,
        Description,
    )
}
TYPE_NAMES: tuple[str, ...] = tuple(REGISTRY)
# Types an organiser grades by hand (essays): what the grading queue lists.
HAND_GRADED: tuple[str, ...] = tuple(
    name for name, kind in REGISTRY.items() if kind.gradable and not kind.auto_graded
)


def get_type(name: str) -> QuestionType:
    """The type called `name`; `UnknownQuestionType` (a ValueError) if there is none."""
    try:
        return REGISTRY[name]
    except (KeyError, TypeError):
        raise UnknownQuestionType(_("Unknown question type %(name)s.", name=repr(name))) from None
