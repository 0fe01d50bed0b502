"""Points for a live answer, from the fraction its question type gave and the response time
the server measured. Pure: no Flask, no database.

The rule is Kahoot's: a right answer is worth up to `MAX_POINTS`; with the speed bonus on,
an instant answer gets all of it and one at the buzzer half:

    points = round(MAX_POINTS * fraction * (1 - (elapsed / limit) / 2))

with `elapsed` clamped into [0, limit]. So an answer in time added by the host (past the
original limit) gets the half a buzzer answer gets. Without the speed bonus it is
`round(MAX_POINTS * fraction)`. Polls and open questions (fraction None) and items with
points off score 0.
"""

from __future__ import annotations

MAX_POINTS = 1000


def points(
    fraction: float | None,
    elapsed_ms: int,
    limit_ms: int,
    *,
    scored: bool = True,
    speed_bonus: bool = True,
) -> int:
    """The points an answer earns (see the module docstring)."""
    if not scored or fraction is None:
        return 0
    fraction = min(1.0, max(0.0, fraction))
    if not speed_bonus or limit_ms <= 0:
        return round(MAX_POINTS * fraction)
    elapsed = min(max(elapsed_ms, 0), limit_ms)
    return round(MAX_POINTS * fraction * (1 - (elapsed / limit_ms) / 2))
