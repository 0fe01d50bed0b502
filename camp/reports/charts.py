"""Server-rendered SVG charts for the reports: no JavaScript, nothing from a CDN.

Every chart is an `<svg role="img">` labelled by its own `<title>` and `<desc>`; the page
shows the same numbers in a table beside it. The Content-Security-Policy forbids inline
styles, so shapes carry SVG presentation attributes and CSS classes (`camp.css`, Reports).
Pure code: no request, no database; titles and descriptions are in the request's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import gettext as _  # type: ignore[import-untyped]
from flask_babel import ngettext
from markupsafe import Markup, escape

if TYPE_CHECKING:
    from camp.reports.progress import ScorePoint
    from camp.reports.queries import CompletionPoint

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 52, 20, 16, 44
GRID_STEPS = 4  # horizontal grid lines at 0, 25, 50, 75 and 100% of the y range
# Colours come from camp.css; these presentation attributes only keep the SVG legible on
# its own (CSS overrides them).
LABEL = 'class="chart-label" font-size="12" fill="#4a5560"'
LINE = 'class="chart-line" fill="none" stroke="#0b5cad" stroke-width="2.5"'


@dataclass(frozen=True)
class Point:
    """One value to plot. `kind` ("pass", "fail" or "") picks the marker class and shape."""

    x: float
    y: float
    label: str
    note: str = ""
    kind: str = ""


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _value(value: float, unit: str) -> str:
    return f"{round(value):d}{unit}" if unit == "%" else f"{_num(value)}{unit}"


def _marker(x: float, y: float, kind: str, tip: str) -> str:
    tip_el = f"<title>{escape(tip)}</title>"
    if kind == "fail":
        # Colour is never the only signal: below the mark is a square, at or above a circle.
        return (
            f'<rect class="chart-point chart-point-fail" x="{_num(x - 5)}" y="{_num(y - 5)}" '
            f'width="10" height="10" fill="#a1141c">{tip_el}</rect>'
        )
    css, fill = (
        ("chart-point chart-point-pass", "#17663a")
        if kind == "pass"
        else ("chart-point", "#0b5cad")
    )
    return (
        f'<circle class="{css}" cx="{_num(x)}" cy="{_num(y)}" r="5.5" fill="{fill}">'
        f"{tip_el}</circle>"
    )


def line_chart(
    points: Sequence[Point],
    *,
    chart_id: str,
    title: str,
    desc: str,
    y_max: float = 100.0,
    unit: str = "%",
    reference: float | None = None,
    reference_label: str = "",
) -> Markup:
    """A line through `points` (in x order) on a 0..y_max scale, with labelled axes."""
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    xs = [p.x for p in points]
    x_min, x_max = (min(xs), max(xs)) if xs else (0.0, 1.0)
    span = (x_max - x_min) or 1.0
    y_max = y_max or 1.0

    def px(x: float) -> float:
        if x_max == x_min:
            return LEFT + plot_w / 2
        return LEFT + (x - x_min) / span * plot_w

    def py(y: float) -> float:
        return TOP + plot_h - max(0.0, min(y, y_max)) / y_max * plot_h

    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'preserveAspectRatio="xMidYMid meet" focusable="false">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    for step in range(GRID_STEPS + 1):
        value = y_max * step / GRID_STEPS
        y = py(value)
        parts.append(
            f'<line class="chart-grid" x1="{LEFT}" y1="{_num(y)}" x2="{WIDTH - RIGHT}" '
            f'y2="{_num(y)}" stroke="#c9d1d9" stroke-width="1"/>'
        )
        parts.append(
            f'<text {LABEL} x="{LEFT - 8}" y="{_num(y + 4)}" '
            f'text-anchor="end">{escape(_value(value, unit))}</text>'
        )
    parts.append(
        f'<line class="chart-axis" x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" '
        f'y2="{TOP + plot_h}" stroke="#1b1f24" stroke-width="1.5"/>'
    )
    if reference is not None:
        y = py(reference)
        parts.append(
            f'<line class="chart-reference" x1="{LEFT}" y1="{_num(y)}" x2="{WIDTH - RIGHT}" '
            f'y2="{_num(y)}" stroke="#8a4b00" stroke-width="2" stroke-dasharray="6 4"/>'
        )
        if reference_label:
            parts.append(
                f'<text class="chart-label chart-reference-label" font-size="12" fill="#8a4b00" '
                f'x="{WIDTH - RIGHT}" '
                f'y="{_num(y - 6)}" text-anchor="end">{escape(reference_label)}</text>'
            )
    if len(points) > 1:
        coords = " ".join(f"{_num(px(p.x))},{_num(py(p.y))}" for p in points)
        parts.append(f'<polyline {LINE} points="{coords}"/>')
    for p in points:
        shown = _value(p.y, unit)
        tip = (
            _("%(label)s: %(value)s (%(note)s)", label=p.label, value=shown, note=p.note)
            if p.note
            else _("%(label)s: %(value)s", label=p.label, value=shown)
        )
        parts.append(_marker(px(p.x), py(p.y), p.kind, tip))
    if points:
        first, last = points[0], points[-1]
        baseline = TOP + plot_h + 20
        anchor = "middle" if first is last else "start"
        parts.append(
            f'<text {LABEL} x="{_num(px(first.x))}" y="{baseline}" '
            f'text-anchor="{anchor}">{escape(first.label)}</text>'
        )
        if last is not first:
            parts.append(
                f'<text {LABEL} x="{_num(px(last.x))}" y="{baseline}" '
                f'text-anchor="end">{escape(last.label)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every text above is escaped)


def day_label(value: date | datetime) -> str:
    return value.strftime("%Y-%m-%d")


def scores_chart(timeline: Sequence[ScorePoint]) -> Markup | None:
    """A student's attempt scores in order; circles reached the pass mark, squares did not."""
    if not timeline:
        return None
    points = [
        Point(
            x=float(i),
            y=p.score * 100,
            label=day_label(p.submitted_at),
            note=_(
                "%(quiz)s, attempt %(number)s, pass mark %(mark)s%%",
                quiz=p.quiz_title,
                number=p.number,
                mark=p.pass_mark,
            ),
            kind="pass" if p.passed else "fail",
        )
        for i, p in enumerate(timeline)
    ]
    passed = sum(1 for p in timeline if p.passed)
    marks = {p.pass_mark for p in timeline}
    mark = marks.pop() if len(marks) == 1 else None  # one dashed line when all quizzes agree
    return line_chart(
        points,
        chart_id="scores-chart",
        title=_("Quiz scores over time"),
        desc=ngettext(
            "%(num)d submitted attempt from %(first)s to %(last)s; %(passed)s reached their "
            "quiz's pass mark (circles), %(failed)s did not (squares). The table below lists "
            "every attempt.",
            "%(num)d submitted attempts from %(first)s to %(last)s; %(passed)s reached their "
            "quiz's pass mark (circles), %(failed)s did not (squares). The table below lists "
            "every attempt.",
            len(points),
            first=points[0].label,
            last=points[-1].label,
            passed=passed,
            failed=len(points) - passed,
        ),
        reference=mark,
        reference_label=_("pass mark %(mark)s%%", mark=mark) if mark is not None else "",
    )


def completion_chart(
    completion: Sequence[CompletionPoint], students: int, quizzes: int
) -> Markup | None:
    """The share of all module quizzes the cohort has passed, day by day."""
    if not completion:
        return None
    first, last = completion[0], completion[-1]
    return line_chart(
        [
            Point(
                x=float(p.day.toordinal()),
                y=p.share * 100,
                label=day_label(p.day),
                note=ngettext("%(num)d quiz passed", "%(num)d quizzes passed", p.cumulative),
            )
            for p in completion
        ],
        chart_id="completion-chart",
        title=_("Module quizzes passed by the cohort over time"),
        desc=_(
            "Share of all module quizzes (%(students)s students x %(quizzes)s quizzes) passed: "
            "%(first)s on %(first_day)s, %(last)s on %(last_day)s. The table below gives "
            "every day.",
            students=students,
            quizzes=quizzes,
            first=f"{first.share:.0%}",
            first_day=day_label(first.day),
            last=f"{last.share:.0%}",
            last_day=day_label(last.day),
        ),
    )
