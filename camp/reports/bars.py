"""A server-drawn SVG bar chart of counts: how many chose each option, or gave each answer
(the live results and the projector's reveal). Like camp.reports.charts: `<svg role="img">`
with its own `<title>` and `<desc>`, presentation attributes and CSS classes (the CSP
forbids inline styles), and the same numbers in words for a screen reader. A right answer
is marked with ✓ in its label as well as by its colour. Pure code."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _  # type: ignore[import-untyped]
from markupsafe import Markup, escape

WIDTH = 640
ROW, GAP, TOP = 34, 10, 8
LABEL_MAX = 48


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    correct: bool | None = None  # None: no right answer (a poll, an open question)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1].rstrip() + "…"


def bar_chart(bars: Sequence[Bar], *, chart_id: str, title: str) -> Markup | None:
    """Bars across, longest for the largest count; None when there is nothing to draw."""
    if not bars:
        return None
    top = max(bar.count for bar in bars) or 1
    total = sum(bar.count for bar in bars)
    height = TOP * 2 + len(bars) * (ROW + GAP)
    words = "; ".join(_said(bar) for bar in bars)
    parts = [
        f'<svg class="chart bar-chart" id="{chart_id}" role="img" viewBox="0 0 {WIDTH} {height}"'
        f' aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(words)}</desc>',
    ]
    for row, bar in enumerate(bars):
        y = TOP + row * (ROW + GAP)
        width = round((WIDTH - 80) * bar.count / top) if bar.count else 0
        css = "bar" + {True: " bar-right", False: " bar-wrong", None: ""}[bar.correct]
        mark = "✓ " if bar.correct else ""
        share = f" ({bar.count / total:.0%})" if total else ""
        fill = "#a8dcb9" if bar.correct else "#c4daf2"  # light: the label is drawn on it
        parts.append(
            f'<rect class="{css}" x="0" y="{y}" width="{max(width, 2)}" height="{ROW}"'
            f' fill="{fill}"><title>{escape(_said(bar))}</title></rect>'
            f'<text class="bar-label" x="8" y="{y + ROW - 11}" font-size="18" fill="#111">'
            f"{escape(mark + _short(bar.label))}</text>"
            f'<text class="bar-count" x="{WIDTH - 4}" y="{y + ROW - 11}" font-size="18"'
            f' text-anchor="end" fill="#111">{bar.count}{escape(share)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every text above is escaped)


def _said(bar: Bar) -> str:
    said = _("%(label)s: %(count)s", label=bar.label, count=bar.count)
    if bar.correct:
        said = _("%(bar)s (right answer)", bar=said)
    return said
