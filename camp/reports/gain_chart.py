"""A server-drawn SVG of a cohort's learning gain (camp.reports.gain): one row for the
whole test, then one per objective, each with the pre-test mean (a hollow circle) and the
post-test mean (a filled square) on a 0-100 % axis and their 95 % intervals as whiskers.
Each row's label says its class gain in words, and "low" when it is low, so neither colour
nor shape is the only signal. Like camp.reports.charts: `<svg role="img">` with its own
`<title>` and `<desc>`, presentation attributes and CSS classes (`camp.css`, Learning
gain; the CSP forbids inline styles), and the page shows the same numbers in a table.
Pure code."""

from __future__ import annotations

from flask_babel import gettext as _  # type: ignore[import-untyped]
from markupsafe import Markup, escape

from camp.reports.gain import LOW_GAIN, GainReport, Interval, ObjectiveGain

WIDTH = 640
LABEL_WIDTH = 236  # the rows' titles, left of the plot
LEFT, RIGHT = LABEL_WIDTH + 12, 24
LEGEND, ROW, AXIS = 40, 56, 36
LABEL_MAX = 34
TICKS = (0, 25, 50, 75, 100)
TEXT = 'font-size="12" fill="#4a5560"'
PRE = 'class="gain-pre" r="5.5" fill="#ffffff" stroke="#0b5cad" stroke-width="2"'
POST = 'class="gain-post" width="10" height="10" fill="#0b5cad"'
WHISKER = 'stroke="#1b1f24" stroke-width="1.5"'


def _x(percent: float) -> float:
    return LEFT + max(0.0, min(percent, 100.0)) / 100 * (WIDTH - LEFT - RIGHT)


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1].rstrip() + "…"


def _gain_words(row: ObjectiveGain) -> str:
    if row.undefined == "no_students":
        return _("no students with both scores")
    if row.class_gain is None:
        return _("no gain: everyone started at %(top)s%%", top=100)
    gain = f"{row.class_gain:.2f}"
    return _("gain %(gain)s (low)", gain=gain) if row.low else _("gain %(gain)s", gain=gain)


def _tip(row_title: str, measure: str, mean: float, ci: Interval | None, students: int) -> str:
    if ci is None:
        return _(
            "%(objective)s, %(measure)s: %(mean)s%% (n = %(students)s)",
            objective=row_title,
            measure=measure,
            mean=_num(mean),
            students=students,
        )
    return _(
        "%(objective)s, %(measure)s: %(mean)s%% (95%% interval %(low)s to %(high)s%%, "
        "n = %(students)s)",
        objective=row_title,
        measure=measure,
        mean=_num(mean),
        low=_num(ci.low),
        high=_num(ci.high),
        students=students,
    )


def _whisker(x1: float, x2: float, y: float, css: str = "") -> str:
    """A horizontal line from x1 to x2 with a short tick at each end."""
    a, b, top, bottom = _num(x1), _num(x2), _num(y - 4), _num(y + 4)
    return (
        f'<path class="gain-whisker{css}" fill="none" {WHISKER} '
        f'd="M{a} {top}V{bottom}M{a} {_num(y)}H{b}M{b} {top}V{bottom}"/>'
    )


def _interval(ci: Interval | None, y: float, css: str) -> str:
    return "" if ci is None else _whisker(_x(ci.low), _x(ci.high), y, css)


def _marks(row: ObjectiveGain, title: str, y: float) -> list[str]:
    if row.pre_mean is None or row.post_mean is None:
        return []
    pre_y, post_y = y - 7, y + 7
    pre_tip = _tip(title, _("pre-test mean"), row.pre_mean, row.pre_ci, row.students)
    post_tip = _tip(title, _("post-test mean"), row.post_mean, row.post_ci, row.students)
    x_pre, x_post = _x(row.pre_mean), _x(row.post_mean)
    return [
        _interval(row.pre_ci, pre_y, " gain-whisker-pre"),
        _interval(row.post_ci, post_y, " gain-whisker-post"),
        f'<circle {PRE} cx="{_num(x_pre)}" cy="{_num(pre_y)}">'
        f"<title>{escape(pre_tip)}</title></circle>",
        f'<rect {POST} x="{_num(x_post - 5)}" y="{_num(post_y - 5)}">'
        f"<title>{escape(post_tip)}</title></rect>",
    ]


def _row(row: ObjectiveGain, index: int, overall: bool) -> str:
    title = _("Whole test") if overall else row.title
    y = LEGEND + index * ROW + ROW / 2
    css = (
        "gain-row" + (" gain-row-overall" if overall else "") + (" gain-row-low" if row.low else "")
    )
    words_css = "gain-words gain-words-low" if row.low else "gain-words"
    bold = ' font-weight="700"'
    parts = [
        f'<g class="{css}" data-tag="{escape(row.tag)}">',
        f'<line class="chart-grid" x1="{LEFT}" y1="{_num(y + ROW / 2)}" x2="{WIDTH - RIGHT}" '
        f'y2="{_num(y + ROW / 2)}" stroke="#c9d1d9" stroke-width="1"/>',
        f'<text class="gain-title" x="4" y="{_num(y - 3)}" font-size="13" fill="#1b1f24"'
        f"{bold if overall else ''}>"
        f"<title>{escape(title)}</title>{escape(_short(title))}</text>",
        f'<text class="{words_css}" x="4" y="{_num(y + 13)}" {TEXT}{bold if row.low else ""}>'
        f"{escape(_gain_words(row))}</text>",
        *_marks(row, title, y),
        "</g>",
    ]
    return "".join(parts)


def _legend() -> str:
    y = LEGEND / 2
    pre_x, post_x, ci_x = LEFT, LEFT + 130, LEFT + 260
    # Outside the f-string, where `pybabel extract` finds the messages.
    pre, post, interval = (
        _("Pre-test mean"),
        _("Post-test mean"),
        _("%(level)s%% interval", level=95),
    )
    return (
        f'<g class="gain-legend">'
        f'<circle {PRE} cx="{pre_x}" cy="{y}"/>'
        f'<text class="chart-label" x="{pre_x + 10}" y="{y + 4}" {TEXT}>{escape(pre)}</text>'
        f'<rect {POST} x="{post_x - 5}" y="{y - 5}"/>'
        f'<text class="chart-label" x="{post_x + 10}" y="{y + 4}" {TEXT}>{escape(post)}</text>'
        f"{_whisker(ci_x - 12, ci_x + 12, y)}"
        f'<text class="chart-label" x="{ci_x + 18}" y="{y + 4}" {TEXT}>{escape(interval)}</text>'
        "</g>"
    )


def _axis(bottom: float) -> str:
    parts = [
        f'<line class="chart-axis" x1="{LEFT}" y1="{bottom}" x2="{WIDTH - RIGHT}" '
        f'y2="{bottom}" stroke="#1b1f24" stroke-width="1.5"/>'
    ]
    for tick in TICKS:
        x = _num(_x(tick))
        parts.append(
            f'<line class="chart-grid" x1="{x}" y1="{LEGEND}" x2="{x}" y2="{bottom}" '
            f'stroke="#c9d1d9" stroke-width="1"/>'
            f'<text class="chart-label" x="{x}" y="{bottom + 18}" text-anchor="middle" {TEXT}>'
            f"{tick}%</text>"
        )
    return "".join(parts)


def _desc(report: GainReport) -> str:
    low = [_("Whole test")] if report.overall.low else []
    low += [row.title for row in report.objectives if row.low]
    threshold = f"{LOW_GAIN:g}"
    flagged = (
        _("Low gain (below %(threshold)s): %(rows)s.", threshold=threshold, rows="; ".join(low))
        if low
        else _("No row has a low gain (below %(threshold)s).", threshold=threshold)
    )
    return _(
        "For the whole test and each objective, the mean pre-test score (hollow circle) and "
        "post-test score (filled square) of the students with both scores, with 95%% "
        "bootstrap intervals (whiskers); each row's gain is Hake's normalised gain of the "
        "means. %(flagged)s The table below gives every number.",
        flagged=flagged,
    )


def gain_chart(report: GainReport, *, chart_id: str = "gain-chart") -> Markup | None:
    """The chart, or None when no student has both scores anywhere."""
    rows = [report.overall, *report.objectives]
    if not any(row.students for row in rows):
        return None
    bottom = LEGEND + len(rows) * ROW
    title = _("Pre-test and post-test scores by objective")
    height = bottom + AXIS
    parts = [
        f'<svg class="chart gain-chart" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'preserveAspectRatio="xMidYMid meet" focusable="false">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(_desc(report))}</desc>',
        _legend(),
        _axis(bottom),
        *(_row(row, i, overall=i == 0) for i, row in enumerate(rows)),
        "</svg>",
    ]
    return Markup("".join(parts))  # noqa: S704 (every text above is escaped)
