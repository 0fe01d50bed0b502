"""write_moodle_xml: the layout Moodle imports, and parse(write(questions)) == questions for
every type with ids, tags, extras (feedback by outcome, hints, marks, Moodle's settings),
categories and embedded files."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from camp.bank.question_types import REGISTRY, get_type
from camp.formats.moodle_xml import parse_moodle_xml
from camp.formats.moodle_xml_question import MoodleCategory, MoodleQuestion, MoodleWriteError
from camp.formats.moodle_xml_writer import write_moodle_xml

FIXTURES = Path(__file__).parent / "fixtures" / "moodle_xml"
FIELDS = ("type", "text", "text_format", "title", "id", "tags", "category", "spec")
FIELDS += ("general_feedback", "extras")

EXTRAS = {
    "correct_feedback": "Well done.",
    "partially_correct_feedback": "Nearly.",
    "incorrect_feedback": "No.",
    "show_num_correct": True,
    "hints": [{"text": "First hint", "clear_wrong": True}, {"text": "Second", "options": "1"}],
    "default_grade": 2.5,
    "penalty": 0.1,
}
SPECS = {
    "single_choice": {
        "options": [
            {"text": "Right <b>one</b>", "weight": 100.0, "feedback": "Yes & more"},
            {"text": "Partly", "weight": 33.33333, "feedback": ""},
            {"text": "Wrong", "weight": 0.0, "feedback": "No ]]> here"},
        ]
    },
    "multiple_choice": {
        "options": [
            {"text": "A", "weight": 50.0, "feedback": "a"},
            {"text": "B", "weight": 50.0, "feedback": ""},
            {"text": "C", "weight": -50.0, "feedback": "c"},
        ]
    },
    "true_false": {"answer": False, "feedback_true": "Picked true", "feedback_false": "Yes"},
    "short_answer": {
        "answers": [
            {"text": "Paris", "weight": 100.0, "feedback": "Yes"},
            {"text": "Par*", "weight": 50.0, "feedback": ""},
        ],
        "case_sensitive": True,
    },
    "numerical": {
        "answers": [
            {"kind": "exact", "value": 3.14, "weight": 100.0, "feedback": "Pi"},
            {"kind": "tolerance", "value": 3.0, "tolerance": 0.5, "weight": 50.0, "feedback": ""},
            {"kind": "any", "weight": 0.0, "feedback": "Any other"},
        ]
    },
    "matching": {
        "pairs": [
            {"left": "Logo", "right": "Trademark"},
            {"left": "Machine", "right": "Patent"},
            {"left": "", "right": "Lease"},
        ]
    },
    "ordering": {"items": ["Invent", "File", "Grant"], "grading": "all_or_nothing"},
    "cloze": {
        "gaps": [
            {
                "kind": "short_answer",
                "mark": 2,
                "answers": [{"text": "Paris", "weight": 100.0, "feedback": "Yes # sure"}],
            },
            {
                "kind": "choice",
                "display": "horizontal",
                "mark": 1,
                "answers": [
                    {"text": "A~a", "weight": 100.0, "feedback": ""},
                    {"text": "B", "weight": 0.0, "feedback": "no"},
                ],
            },
            {
                "kind": "numerical",
                "mark": 1,
                "answers": [
                    {
                        "kind": "tolerance",
                        "value": 2.0,
                        "tolerance": 0.1,
                        "weight": 100.0,
                        "feedback": "",
                    }
                ],
            },
            {
                "kind": "short_answer_case",
                "mark": 1,
                "answers": [{"text": "WIPO", "weight": 100.0, "feedback": ""}],
            },
        ]
    },
    "essay": {"response_lines": 8},
    "description": {},
}
TEXTS = {"cloze": "Capital: {#1}, pick {#2}, number {#3}, case {#4}."}
# Moodle reads hints for these, combined feedback for these.
WITH_HINTS = set(SPECS) - {"essay", "description"}
WITH_COMBINED = {"single_choice", "multiple_choice", "matching", "ordering"}


def camp_question(type_, **kw):
    extras = {k: v for k, v in EXTRAS.items() if k not in ("hints",) or type_ in WITH_HINTS}
    if type_ not in WITH_COMBINED:
        extras = {
            k: v for k, v in extras.items() if "feedback" not in k and k != "show_num_correct"
        }
    if type_ in ("description", "cloze"):
        extras.pop("default_grade")
    fields = {
        "line": 0,
        "type": type_,
        "text": TEXTS.get(type_, f"A {type_} question & its <i>text</i>?"),
        "text_format": "html",
        "title": f"Title of {type_}",
        "id": f"id-{type_}",
        "tags": ["one", "two & three"],
        "category": "Unit 1/Part A",
        "spec": SPECS[type_],
        "general_feedback": "General <b>feedback</b>.",
        "extras": extras,
    }
    return MoodleQuestion(**{**fields, **kw})


def same(before, after):
    for name in FIELDS:
        assert getattr(after, name) == getattr(before, name), (before.type, name)


def roundtrip(questions, categories=(), **kw):
    return parse_moodle_xml(write_moodle_xml(questions, categories, **kw))


def test_every_registered_type_is_covered():
    assert set(SPECS) == set(REGISTRY)
    for type_, spec in SPECS.items():
        assert get_type(type_).validate(spec) == [], type_


@pytest.mark.parametrize("type_", sorted(SPECS))
def test_every_type_round_trips(type_):
    question = camp_question(type_)
    [read] = roundtrip([question]).questions
    same(question, read)


@pytest.mark.parametrize("fmt", ["moodle", "markdown", "plain", "html"])
def test_every_text_format_round_trips(fmt):
    questions = [
        camp_question(type_, text_format=fmt, id=f"{type_}-{fmt}") for type_ in sorted(SPECS)
    ]
    for before, after in zip(questions, roundtrip(questions).questions, strict=True):
        same(before, after)


def test_moodle_s_settings_round_trip_and_defaults_are_not_kept():
    settings = {"shuffleanswers": "false", "answernumbering": "iii"}
    choice = camp_question("single_choice", extras={"moodle": settings})
    numbers = camp_question(
        "numerical",
        extras={"moodle": {"units": [{"multiplier": "1", "unit_name": "m"}], "showunits": "0"}},
    )
    essay = camp_question(
        "essay",
        spec={},
        extras={
            "moodle": {
                "responseformat": "plain",
                "graderinfo": "<b>Look</b>",
                "graderinfo_format": "html",
                "maxbytes": "1024",
            }
        },
    )
    plain = camp_question("ordering", extras={})
    read = roundtrip([choice, numbers, essay, plain]).questions
    for before, after in zip([choice, numbers, essay, plain], read, strict=True):
        same(before, after)


def test_a_numerical_range_is_written_as_a_tolerance_accepting_the_same_numbers():
    spec = {"answers": [{"kind": "range", "min": 1.5, "max": 2.5, "weight": 100.0, "feedback": ""}]}
    question = camp_question("numerical", spec=spec, extras={})
    [read] = roundtrip([question]).questions
    assert read.spec["answers"] == [
        {"kind": "tolerance", "value": 2.0, "tolerance": 0.5, "weight": 100.0, "feedback": ""}
    ]
    kind = get_type("numerical")
    for typed in ("1.4", "1.5", "2", "2.5", "2.6"):
        response = {"text": typed}
        assert kind.grade(read.spec, response) == kind.grade(spec, response), typed


def test_untitled_questions_stay_untitled_and_moodle_gets_a_name():
    questions = [camp_question(t, title="", id=f"u-{t}") for t in sorted(SPECS)]
    questions.append(camp_question("description", title="", text="", id="empty"))
    xml = write_moodle_xml(questions)
    assert "<name>\n      <text></text>" not in xml
    assert "<text>empty</text>" in xml  # no words: the id names it
    assert "<text>Capital: _____, pick _____, number _____, case _____.</text>" in xml
    for before, after in zip(questions, parse_moodle_xml(xml).questions, strict=True):
        same(before, after)


def test_layout_categories_before_their_questions_with_info_and_idnumber():
    questions = [
        camp_question("true_false", id="b", category="A/B"),
        camp_question("true_false", id="a", category="A"),
        camp_question("true_false", id="loose", category=None),
    ]
    categories = [
        MoodleCategory(0, "A", "About <A>", "markdown", "cat-a"),
        MoodleCategory(0, "A/B", "", "moodle", None),
        MoodleCategory(0, "Empty", "", "moodle", "cat & empty"),
    ]
    xml = write_moodle_xml(questions, categories)
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n')
    assert xml.endswith("</quiz>\n")
    order = re.findall(r"<text>(\$course\$/top/[^<]*)</text>|<idnumber>([^<]*)</idnumber>", xml)
    assert order == [
        ("", "loose"),
        ("$course$/top/A", ""),
        ("", "cat-a"),
        ("", "a"),
        ("$course$/top/A/B", ""),
        ("", ""),
        ("", "b"),
        ("$course$/top/Empty", ""),
        ("", "cat &amp; empty"),
    ]
    assert '<info format="markdown">\n      <text><![CDATA[About <A>]]></text>' in xml
    read = parse_moodle_xml(xml, category="Import")
    assert [(q.id, q.category) for q in read.questions] == [
        ("loose", "Import"),
        ("a", "A"),
        ("b", "A/B"),
    ]
    assert [(c.path, c.info, c.info_format, c.idnumber) for c in read.categories] == [
        ("A", "About <A>", "markdown", "cat-a"),
        ("A/B", "", "moodle", None),
        ("Empty", "", "moodle", "cat & empty"),
    ]


def test_texts_are_cdata_when_they_need_it_and_split_around_a_cdata_end():
    question = camp_question("true_false", text="a ]]> b <c> & d", general_feedback="plain")
    xml = write_moodle_xml([question])
    assert "<text><![CDATA[a ]]]]><![CDATA[> b <c> & d]]></text>" in xml
    assert "<text>plain</text>" in xml
    [read] = parse_moodle_xml(xml).questions
    assert read.text == "a ]]> b <c> & d"


def test_a_character_xml_cannot_carry_names_the_question():
    question = camp_question("true_false", id="bell-1", text="Ring \x07 the bell")
    with pytest.raises(MoodleWriteError) as caught:
        write_moodle_xml([question])
    assert str(caught.value) == (
        "question 'bell-1': a text holds a character XML cannot carry (a control character)"
    )


def test_files_given_by_the_hook_go_where_they_are_referred_to():
    question = camp_question(
        "single_choice",
        text='See <img src="@@PLUGINFILE@@/a.png">',
        general_feedback='Also <img src="@@PLUGINFILE@@/b.png"> and a.png again? no',
    )
    files = {"a.png": b"\x89PNG-a", "b.png": b"GIF89a-b", "c.txt": b"unreferred"}

    xml = write_moodle_xml([question], files=lambda q: sorted(files.items()))
    text_part = xml[xml.index("<questiontext") : xml.index("</questiontext>")]
    feedback_part = xml[xml.index("<generalfeedback") : xml.index("</generalfeedback>")]
    assert 'name="a.png"' in text_part and 'name="c.txt"' in text_part
    assert 'name="b.png"' not in text_part and 'name="b.png"' in feedback_part
    [read] = parse_moodle_xml(xml).questions
    assert {f.name: f.data for f in read.files} == files
    assert read.text == question.text  # references left as they are
    same(question, read)


def test_no_files_by_default():
    assert "<file " not in write_moodle_xml([camp_question("essay")])


def test_moodle_s_file_read_written_and_read_again_is_the_same():
    first = parse_moodle_xml((FIXTURES / "every_type.xml").read_bytes())
    by_name = {q.id: {f.name: f.data for f in q.files} for q in first.questions}
    xml = write_moodle_xml(first.questions, first.categories, files=lambda q: by_name[q.id].items())
    second = parse_moodle_xml(xml)
    for before, after in zip(first.questions, second.questions, strict=True):
        same(before, after)
        assert [(f.name, f.data) for f in after.files] == [(f.name, f.data) for f in before.files]
    keep = ("path", "info", "info_format", "idnumber")
    assert [[getattr(c, k) for k in keep] for c in second.categories] == [
        [getattr(c, k) for k in keep] for c in first.categories
    ]


# --- any text, any weight ------------------------------------------------------------------

AWKWARD = st.sampled_from(
    [
        "&",
        "<",
        ">",
        '"',
        "'",
        "]]>",
        "<![CDATA[",
        "@@PLUGINFILE@@/x",
        "{#1}",
        "\t",
        "\n",
        "é",
        "中",
        "~",
        "=",
        "#",
        "*",
        "%",
        "/",
    ]
)
WORD = st.text(alphabet="abcXYZ019 .,!?", min_size=1, max_size=6)
TEXT = (
    st.lists(st.one_of(AWKWARD, WORD), min_size=1, max_size=8)
    .map("".join)
    .map(lambda t: t.strip(" \t\n"))
    .filter(bool)
)


@given(
    text=TEXT,
    options=st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=4),
    title=st.one_of(st.just(""), TEXT.map(lambda t: t.replace("<", "(").replace(">", ")"))),
    tag=TEXT,
    weight=st.floats(0, 99.5),
)
def test_any_choice_question_round_trips(text, options, title, tag, weight):
    choices = [{"text": "Right", "weight": 100.0, "feedback": ""}]
    choices += [{"text": t, "weight": weight, "feedback": f} for t, f in options]
    question = camp_question(
        "single_choice",
        text=text,
        title=" ".join(title.split()),
        tags=[tag],
        spec={"options": choices},
        extras={},
    )
    [read] = roundtrip([question]).questions
    assert read.title in (question.title, "")
    same(dataclasses.replace(question, title=read.title), read)
