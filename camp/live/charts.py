"""The chart of one live item's answers, as the projector's reveal and the results page
draw it (camp.reports.bars): a bar per option in the order the room saw them, with their
letters, the right ones marked; or the most common typed answers; or an open question's
most used words. Pure code."""

from __future__ import annotations

from flask_babel import gettext as _  # type: ignore[import-untyped]
from markupsafe import Markup

from camp.live.results import ItemResult
from camp.reports.bars import Bar, bar_chart


def item_chart(result: ItemResult) -> Markup | None:
    chart_id = f"item-{result.item_id}-chart"
    if result.shows == "options":
        bars = [Bar(f"{o.letter}. {o.text}", o.count, o.correct) for o in result.options]
        title = _("How many chose each option")
    elif result.shows == "answers":
        bars = [Bar(a.text, a.count, a.correct) for a in result.top_answers]
        if result.other_answers:
            bars.append(Bar(_("Other answers"), result.other_answers, False))
        title = _("The most common answers")
    else:
        bars = [Bar(w.word, w.count) for w in result.words]
        title = _("The words most answers used")
    return bar_chart(bars, chart_id=chart_id, title=title)
