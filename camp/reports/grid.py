"""What the cohort report's grid shows: statuses, sort keys, the options a URL carries,
and the grid's cells and rows as plain data (no queries; `camp.reports.cohort` fills them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import LazyString  # type: ignore[import-untyped]
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from camp.reports.queries import CompletionPoint, Mastery, ModuleInfo, passes
from camp.reports.review import Retention
from camp.templating import format_percent

STATUSES = ("not_started", "behind", "on_track", "passed")
# Labels are translated when shown; the CLI shows them in English.
STATUS_LABELS: dict[str, LazyString] = {
    "not_started": _l("Not started"),
    "behind": _l("Behind"),
    "on_track": _l("On track"),
    "passed": _l("Passed all"),
}
SORTS = ("name", "status", "passed", "score", "activity")
SORT_LABELS: dict[str, LazyString] = {
    "name": _l("Name"),
    "status": _l("Status"),
    "passed": _l("Quizzes passed"),
    "score": _l("Overall score"),
    "activity": _l("Last activity"),
}
PER_PAGE = 50


@dataclass(frozen=True)
class GridOptions:
    """The grid's sort, filter and page, read from query parameters (bad values: defaults)."""

    sort: str = "name"
    descending: bool = False
    status: str = "all"
    page: int = 1
    per_page: int | None = PER_PAGE

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> GridOptions:
        sort = args.get("sort", "name")
        if sort not in SORTS and not (sort.startswith("m") and sort[1:].isdigit()):
            sort = "name"
        status = args.get("status", "all")
        page = args.get("page", "1")
        return cls(
            sort=sort,
            descending=args.get("dir") == "desc",
            status=status if status in STATUSES else "all",
            page=max(1, min(int(page), 10**6)) if page.isdigit() else 1,
        )

    def query_args(self, **changes: Any) -> dict[str, Any]:
        """URL parameters for a link to this view with some options changed."""
        values = {
            "sort": self.sort,
            "dir": "desc" if self.descending else "asc",
            "status": self.status,
            "page": self.page,
        }
        values.update(changes)
        defaults = {"sort": "name", "dir": "asc", "status": "all", "page": 1}
        return {k: v for k, v in values.items() if defaults.get(k) != v}

    def sort_args(self, key: str) -> dict[str, Any]:
        """Parameters for a column header link: sort by `key`; again flips the order."""
        flip = self.sort == key and not self.descending
        return self.query_args(sort=key, dir="desc" if flip else "asc", page=1)

    def aria_sort(self, key: str) -> str | None:
        if self.sort != key:
            return None
        return "descending" if self.descending else "ascending"


@dataclass(frozen=True)
class GridCell:
    read: bool
    attempts: int
    best: float | None
    pass_mark: int | None

    @property
    def has_quiz(self) -> bool:
        return self.pass_mark is not None

    @property
    def state(self) -> str:
        """no_quiz, not_attempted, pending (no graded score yet), passed or below."""
        if self.pass_mark is None:
            return "no_quiz"
        if not self.attempts:
            return "not_attempted"
        if self.best is None:
            return "pending"
        return "passed" if passes(self.best, self.pass_mark) else "below"

    @property
    def label(self) -> tuple[str, str, str]:
        """(symbol, visible text, text for screen readers only): never colour alone."""
        state = self.state
        if state in ("passed", "below"):
            score = format_percent(self.best or 0.0)
            hint = _("(passed)") if state == "passed" else _("(below the pass mark)")
            return ("✓" if state == "passed" else "✗"), score, " " + hint
        if state == "pending":
            return "…", _("no score yet"), " " + _("(in progress or awaiting grading)")
        if state == "not_attempted":
            return "\u2013", "", _("not attempted")
        return "", "", _("no quiz")

    @property
    def detail(self) -> str:
        """Whether the lesson was read, and the attempts used (for a module with a quiz)."""
        if not self.has_quiz:
            return _("read") if self.read else _("not read")
        if self.read:
            return _("read · %(attempts)s att.", attempts=self.attempts)
        return _("not read · %(attempts)s att.", attempts=self.attempts)


@dataclass(frozen=True)
class GridRow:
    user_id: int
    name: str
    email: str
    status: str
    passed: int
    tried: int  # module quizzes with at least one attempt
    overall: float | None  # mean best score over every module quiz, untried ones as 0
    last_activity: datetime | None
    cells: list[GridCell]
    reviewed: bool = False  # reviewed at least once in the last REVIEW_DAYS days (no score)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class CohortReport:
    cohort_id: int
    cohort_name: str
    modules: list[ModuleInfo]
    options: GridOptions
    rows: list[GridRow]
    students: int
    matching: int
    pages: int
    status_counts: dict[str, int]
    median_passed: int
    mastery: list[Mastery] = field(default_factory=list)
    live_mastery: list[Mastery] = field(default_factory=list)  # from live sessions, apart
    completion: list[CompletionPoint] = field(default_factory=list)
    reviewing: int = 0  # students who reviewed in the last REVIEW_DAYS days
    retention: list[Retention] = field(default_factory=list)  # per objective, as `mastery`

    @property
    def quiz_count(self) -> int:
        return sum(1 for m in self.modules if m.quiz is not None)


def status_of(passed: int, active: bool, quizzes: int, median: int, tried: int = 0) -> str:
    """Not started: nothing read or tried. Passed: every module quiz passed. Behind: below
    the pass mark on every quiz tried, or fewer passed than the cohort's median student.
    On track: the rest. `passed` and `tried` count module quizzes.

    "Below the pass mark on every quiz tried" makes Behind mean something from day one,
    when the cohort's median student has passed nothing yet."""
    if not active:
        return "not_started"
    if quizzes and passed >= quizzes:
        return "passed"
    return "behind" if passed < median or (tried and not passed) else "on_track"
