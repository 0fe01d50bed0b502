"""Moodle's own XML fixtures (tests/formats/fixtures/moodle_xml/moodle, GPL-3.0-or-later: see
the NOTE there) read with the types and fields Moodle's importer gives them."""

from __future__ import annotations

from pathlib import Path

from camp.formats.moodle_xml import parse_moodle_xml
from camp.formats.moodle_xml_writer import write_moodle_xml

MOODLE = Path(__file__).parent / "fixtures" / "moodle_xml" / "moodle"


def test_nested_categories_with_questions():
    read = parse_moodle_xml((MOODLE / "nested_categories_with_questions.xml").read_bytes())
    assert [(c.path, c.info, c.info_format, c.idnumber) for c in read.categories] == [
        ("Iota", "This is Iota category for test", "plain", None),
        ("Iota/Kappa", "This is Kappa category for test", "markdown", None),
        ("Iota/Kappa/Lambda", "This is Lambda category for test", "moodle", None),
        ("Iota/Mu", "This is Mu category for test", "moodle", None),
    ]
    assert [(q.type, q.title, q.category) for q in read.questions] == [
        ("true_false", "Iota Question", "Iota"),
        ("essay", "Kappa Essay Question", "Iota/Kappa"),
        ("true_false", "Kappa Question", "Iota/Kappa"),
        ("true_false", "Lambda Question", "Iota/Kappa/Lambda"),
        ("true_false", "Mu Question", "Iota/Mu"),
    ]
    iota = read.questions[0]
    assert iota.id is None and iota.line == 15
    assert (iota.text, iota.text_format) == ("<p>Testing Iota Question</p>", "html")
    assert iota.spec == {"answer": True, "feedback_true": "", "feedback_false": ""}
    assert iota.extras == {"penalty": 1.0}
    essay = read.questions[1]
    assert (essay.text, essay.text_format) == ("Testing Kappa Essay Question", "moodle")
    assert essay.spec == {"response_lines": 10} and essay.extras == {"penalty": 0.0}
    again = parse_moodle_xml(write_moodle_xml(read.questions, read.categories))
    assert [(q.type, q.title, q.category, q.spec) for q in again.questions] == [
        (q.type, q.title, q.category, q.spec) for q in read.questions
    ]


def test_html_characters_in_idnumbers():
    read = parse_moodle_xml((MOODLE / "html_chars_in_idnumbers.xml").read_bytes())
    [category] = read.categories
    assert (category.path, category.idnumber) == ("Alpha", "The inequalities < & >")
    [question] = read.questions
    assert (question.id, question.title, question.category) == ("T & F", "Alpha Question", "Alpha")
    xml = write_moodle_xml(read.questions, read.categories)
    assert "<idnumber>T &amp; F</idnumber>" in xml
    assert "<idnumber>The inequalities &lt; &amp; &gt;</idnumber>" in xml
