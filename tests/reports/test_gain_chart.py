"""The learning-gain chart (camp.reports.gain_chart): well-formed SVG, labelled for a screen
reader, one row per objective after the whole test, low gain said in words, no inline
style. Pure code: the SVG is our own output, so xml.etree may parse it."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from camp.reports.gain import Objective, Sitting, StudentScores, gain_report
from camp.reports.gain_chart import gain_chart

SVG = "{http://www.w3.org/2000/svg}"
OBJECTIVES = [
    Objective("law", "Copyright law"),
    Objective("cases", "Cases <& precedents>"),
    Objective("ethics", "Ethics"),  # post-test only: nobody has both scores
]


def _report():
    scores = [
        ((40, 50, 30), (70, 100, 40)),
        ((60, 25, 100), (90, 75, 100)),
        ((100, 100, 100), (90, 100, 80)),
        ((50, 80, 20), (40, 60, 20)),
    ]
    students = [
        StudentScores(
            i,
            f"S{i}",
            Sitting(pre[0], {"law": pre[1], "cases": pre[2]}),
            Sitting(post[0], {"law": post[1], "cases": post[2], "ethics": 50}),
        )
        for i, (pre, post) in enumerate(scores)
    ]
    return gain_report(students, OBJECTIVES)


def _parsed(markup):
    return ET.fromstring(str(markup))


def test_the_chart_is_labelled_svg_with_a_row_per_objective():
    markup = gain_chart(_report())
    svg = _parsed(markup)
    assert svg.tag == f"{SVG}svg" and svg.get("role") == "img"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == "Pre-test and post-test scores by objective"
    rows = [g for g in svg.iter(f"{SVG}g") if "gain-row" in g.get("class", "").split()]
    assert [g.get("data-tag") for g in rows] == ["", "law", "cases", "ethics"]
    assert "gain-row-overall" in rows[0].get("class")
    titles = [g.find(f"{SVG}text/{SVG}title").text for g in rows]
    assert titles == ["Whole test", "Copyright law", "Cases <& precedents>", "Ethics"]
    assert "style=" not in markup


def test_means_are_circles_and_squares_with_whiskers_and_low_gain_is_said():
    markup = gain_chart(_report())
    svg = _parsed(markup)
    rows = {g.get("data-tag"): g for g in svg.iter(f"{SVG}g") if g.get("data-tag") is not None}
    law, cases, ethics = rows["law"], rows["cases"], rows["ethics"]
    assert len(law.findall(f"{SVG}circle")) == 1 and len(law.findall(f"{SVG}rect")) == 1
    assert len(law.findall(f"{SVG}path")) == 2  # both intervals
    # Law: pre (50 + 25 + 100 + 80) / 4 = 63.75, post 83.75, gain 20 / 36.25 = 0.55.
    assert "Copyright law, pre-test mean: 63.8% (95% interval" in markup
    # Whole test 4/15 and cases (62.5 -> 60) are low; the words say so, not only a colour.
    words = {tag: "".join(g.itertext()) for tag, g in rows.items()}
    assert "gain 0.27 (low)" in words[""]
    assert "gain -0.07 (low)" in words["cases"]
    assert "gain 0.55" in words["law"] and "low" not in words["law"].replace("Copyright", "")
    assert "gain-row-low" in cases.get("class")
    assert "no students with both scores" in words["ethics"]
    assert ethics.find(f"{SVG}circle") is None
    desc = svg.find(f"{SVG}desc").text
    assert "Low gain (below 0.3): Whole test; Cases <& precedents>." in desc


def test_nothing_to_draw_without_a_complete_pair():
    assert gain_chart(gain_report([], OBJECTIVES)) is None
