"""Whether a translated question agrees with its English, so that a student's score never
depends on the language they read the question in: the same type, the same tags, and the
same spec with only its text changed (the same number of options, answers and pairs in
the same order, the same weights, true/false answer, numbers and tolerances).

One rule for a module's translated bank (`camp content check`, camp.lessons.translations)
and for a translation imported into the bank (`camp bank import --lang`,
camp.bank.translation_io). Pure code, no database; its words are for authors at the
command line, in English.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from camp.formats.gift_question import GiftQuestion

# Strings in a question's spec that are not text but part of the answer key.
_KEY_STRINGS = frozenset({"kind"})


class English(Protocol):
    """What a translation is checked against: a parsed question or a stored version."""

    @property
    def type(self) -> str: ...

    @property
    def spec(self) -> dict[str, Any]: ...


def spec_shape(value: Any, key: str | None = None) -> Any:
    """The spec with its text blanked: what must be equal across languages."""
    if isinstance(value, dict):
        return {k: spec_shape(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [spec_shape(v) for v in value]
    if isinstance(value, str) and key not in _KEY_STRINGS:
        return "<text>"
    return value


def _kind(value: Any) -> type:
    """A value's type, numbers as one kind: a weight of 100 is a weight of 100.0."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float
    return type(value)


def shape_differences(english: Any, translated: Any, where: str = "") -> list[str]:
    """Where two spec shapes differ, in words ("options: 4 in English, 3 here")."""
    if _kind(english) is not _kind(translated):
        return [f"{where or 'the answers'} differ in kind from the English"]
    if isinstance(english, dict):
        found = []
        for key in sorted(set(english) | set(translated)):
            if key not in english or key not in translated:
                found.append(f"{where + ' ' if where else ''}{key!r} is not in both languages")
            else:
                inner = f"{where} {key}" if where else key
                found.extend(shape_differences(english[key], translated[key], inner))
        return found
    if isinstance(english, list):
        if len(english) != len(translated):
            return [f"{where}: {len(english)} in English, {len(translated)} here"]
        found = []
        for number, (one, other) in enumerate(zip(english, translated, strict=True), start=1):
            found.extend(shape_differences(one, other, f"{where} {number}"))
        return found
    if english != translated:
        return [f"{where}: {english!r} in English, {translated!r} here"]
    return []


def disagreements(
    english: English, english_tags: Iterable[str], translation: GiftQuestion
) -> list[str]:
    """Every way `translation` disagrees with its English question, each message starting
    with the question's id. Another type says only that (the rest cannot be compared); tags
    are compared as a set (the bank keeps them in no order of their own)."""
    where = translation.id or "this question"
    if translation.type != english.type:
        return [f"{where}: {translation.type}, in English a {english.type} question"]
    found = []
    if set(translation.tags) != set(english_tags):
        found.append(f"{where}: other tags than in English")
    differences = shape_differences(spec_shape(english.spec), spec_shape(translation.spec))
    found.extend(f"{where}: {difference}" for difference in differences)
    return found
