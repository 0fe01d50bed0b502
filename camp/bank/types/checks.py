"""The spec checks the question types share: each notes what is wrong in words for the
question form (translated where the problem is noted) and never raises."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import gettext as _  # type: ignore[import-untyped]

from camp.bank.types.base import number, show_number


def check_text(value: object, what: str, problems: list[str], *, required: bool) -> str:
    """`value` if it is a string, noting a problem when it is not (or is blank and required).
    `what` names the text ("Option 2"), translated."""
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        problems.append(_("%(what)s must be text.", what=what))
        return ""
    if required and not value.strip():
        problems.append(_("%(what)s has no text.", what=what))
    return value


def check_weight(
    value: object, what: str, problems: list[str], low: float = -100.0, high: float = 100.0
) -> float:
    """`value` as a weight in percent between `low` and `high`, noting a problem otherwise."""
    weight = number(value)
    if weight is None:
        problems.append(_("%(what)s: the weight must be a number (a percentage).", what=what))
        return 0.0
    if not low <= weight <= high:
        problems.append(
            _(
                "Weights must be between %(low)s and %(high)s (%(what)s has %(weight)s).",
                low=show_number(low),
                high=show_number(high),
                what=what.lower(),
                weight=show_number(weight),
            )
        )
    return weight


def check_items(
    spec: dict[str, Any], key: str, problems: list[str], not_a_list: str, not_an_object: str
) -> list[Any]:
    """The list under `key`, whose items must be objects; notes `not_a_list`, or
    `not_an_object` for each item that is not one (its position filled in as `%(number)s`)."""
    items = spec.get(key)
    if not isinstance(items, list):
        problems.append(not_a_list)
        return []
    for position, item in enumerate(items, 1):
        if not isinstance(item, dict):
            problems.append(not_an_object % {"number": position})
    return [item for item in items if isinstance(item, dict)]


def check_keys(spec: dict[str, Any], allowed: Sequence[str], problems: list[str]) -> None:
    for key in spec:
        if key not in allowed:
            problems.append(_("Unknown setting %(key)s.", key=repr(key)))
