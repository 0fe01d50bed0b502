"""parse_moodle_xml: every type Camp reads, categories, ids, names, formats, embedded files,
and every file it must refuse (with the line that says why)."""

from __future__ import annotations

from pathlib import Path

import pytest

from camp.bank.question_types import get_type
from camp.formats.moodle_xml import looks_like_moodle_xml, parse_moodle_xml
from camp.formats.moodle_xml_question import MoodleXmlError
from camp.formats.moodle_xml_tree import MAX_BYTES

FIXTURES = Path(__file__).parent / "fixtures" / "moodle_xml"
PNG_HEAD = b"\x89PNG\r\n\x1a\n"


def fixture(name):
    return (FIXTURES / name).read_bytes()


def line_of(text, needle, start=0):
    """The 1-based line of the first `needle` in `text` (after line `start`)."""
    lines = text.decode() if isinstance(text, bytes) else text
    for number, line in enumerate(lines.split("\n"), 1):
        if number > start and needle in line:
            return number
    raise AssertionError(f"{needle!r} not found")


def quiz(*questions):
    return '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n' + "\n".join(questions) + "</quiz>\n"


def question(type_, body="", *, name="Q", text="Text?", fmt="html"):
    return (
        f'  <question type="{type_}">\n'
        f"    <name><text>{name}</text></name>\n"
        f'    <questiontext format="{fmt}"><text>{text}</text></questiontext>\n'
        f"{body}"
        "  </question>\n"
    )


def tf(answer=True, **kw):
    right, wrong = ("100", "0") if answer else ("0", "100")
    body = (
        f'    <answer fraction="{right}"><text>true</text></answer>\n'
        f'    <answer fraction="{wrong}"><text>false</text></answer>\n'
    )
    return question("truefalse", body, **kw)


def problems(source, **kw):
    with pytest.raises(MoodleXmlError) as caught:
        parse_moodle_xml(source, **kw)
    return [(issue.line, str(issue.message)) for issue in caught.value.errors]


# --- every type ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def every():
    return {q.id: q for q in parse_moodle_xml(fixture("every_type.xml")).questions}


def test_every_type_is_read_with_moodle_s_types(every):
    assert {uid: (q.type, q.moodle_type) for uid, q in every.items()} == {
        "ipv-01 <&>": ("single_choice", "multichoice"),
        "ipv-02": ("multiple_choice", "multichoice"),
        "ipv-03": ("true_false", "truefalse"),
        "ipv-04": ("numerical", "numerical"),
        "ipv-05": ("short_answer", "shortanswer"),
        "ipv-06": ("matching", "matching"),
        "ipv-07": ("ordering", "ordering"),
        "ipv-08": ("essay", "essay"),
        "ipv-09": ("description", "description"),
        "ipv-10": ("cloze", "cloze"),
    }
    for q in every.values():
        assert get_type(q.type).validate(q.spec) == [], q.id


def test_nested_categories_place_their_questions(every):
    assert every["ipv-02"].category == "IP basics"
    assert every["ipv-03"].category == "IP basics/Terms"
    assert every["ipv-10"].category == "Writing"
    source = fixture("every_type.xml")
    lines = [line_of(source, '<question type="category">', n) for n in (0, 5, 120)]
    categories = parse_moodle_xml(source).categories
    assert [(c.line, c.path, c.info, c.info_format, c.idnumber) for c in categories] == [
        (lines[0], "IP basics", "What *every* organiser should know.", "markdown", "ip-basics"),
        (lines[1], "IP basics/Terms", "How long rights last.", "plain", "ip-terms"),
        (lines[2], "Writing", "", "html", None),
    ]


def test_names_lose_their_html_and_ids_keep_theirs(every):
    logo = every["ipv-01 <&>"]
    assert logo.title == "Logo rights & marks"
    assert logo.line == line_of(fixture("every_type.xml"), '<question type="multichoice">')


def test_multichoice_keeps_fractions_feedback_combined_feedback_hints_and_settings(every):
    logo = every["ipv-01 <&>"]
    assert logo.spec["options"] == [
        {"text": "A trademark", "weight": 100.0, "feedback": "<p>Right: a sign used in trade.</p>"},
        {"text": "A patent", "weight": 0.0, "feedback": "Patents protect inventions."},
        {"text": "Copyright, for the drawing", "weight": 50.0, "feedback": ""},
    ]
    assert logo.general_feedback == "<p>Trademarks protect signs used in trade.</p>"
    assert logo.extras == {
        "correct_feedback": "Your answer is correct.",
        "partially_correct_feedback": "Your answer is partially correct.",
        "incorrect_feedback": "Your answer is incorrect.",
        "show_num_correct": True,
        "hints": [
            {"text": "Think of brands.", "show_num_correct": True},
            {"text": "It is registered.", "clear_wrong": True},
        ],
        "default_grade": 2.0,
        "penalty": 0.5,
        "moodle": {"shuffleanswers": "false", "answernumbering": "ABCD"},
    }
    assert logo.tags == ["logos", "ip-kinds"]
    kinds = every["ipv-02"]
    assert [o["weight"] for o in kinds.spec["options"]] == [50.0, 50.0, -100.0]
    assert kinds.extras == {} and kinds.text_format == "moodle"


def test_embedded_files_are_decoded_and_their_references_left_alone(every):
    logo = every["ipv-01 <&>"]
    line = line_of(fixture("every_type.xml"), '<file name="logo.png"')
    assert [(f.name, f.data, f.line) for f in logo.files] == [("logo.png", PNG_HEAD, line)]
    assert '<img src="@@PLUGINFILE@@/logo.png" alt="A logo">' in logo.text
    assert every["ipv-02"].files == ()


def test_true_false_numerical_short_answer_matching(every):
    secret = every["ipv-03"]
    assert secret.spec == {
        "answer": False,
        "feedback_true": "No *registration* is needed.",
        "feedback_false": "Right.",
    }
    assert secret.text_format == "markdown" and secret.extras == {"penalty": 1.0}
    term = every["ipv-04"]
    assert term.spec["answers"] == [
        {"kind": "exact", "value": 20.0, "weight": 100.0, "feedback": "Twenty years from filing."},
        {
            "kind": "tolerance",
            "value": 20.0,
            "tolerance": 2.0,
            "weight": 50.0,
            "feedback": "Close.",
        },
        {"kind": "any", "weight": 0.0, "feedback": "No."},
    ]
    # Units are kept for the export; the number alone is graded.
    assert term.extras == {"moodle": {"units": [{"multiplier": "1", "unit_name": "years"}]}}
    assert get_type("numerical").grade(term.spec, {"text": "21"}) == 0.5
    acronym = every["ipv-05"]
    assert acronym.spec["case_sensitive"] is True
    assert get_type("short_answer").grade(acronym.spec, {"text": "World"}) == 1.0
    assert get_type("short_answer").grade(acronym.spec, {"text": "world"}) == 0.0
    assert every["ipv-06"].spec == {
        "pairs": [
            {"left": "<p>A logo</p>", "right": "Trademark"},
            {"left": "A machine", "right": "Patent"},
            {"left": "", "right": "Lease"},
        ]
    }
    assert every["ipv-06"].extras["partially_correct_feedback"] == "Some matched."


def test_ordering_essay_description(every):
    steps = every["ipv-07"]
    assert steps.spec == {"items": ["Invent", "File", "Grant"], "grading": "partial"}
    assert steps.extras["moodle"] == {"layouttype": "HORIZONTAL"}
    assert steps.extras["hints"] == [{"text": "Filing comes before the grant."}]
    explain = every["ipv-08"]
    assert explain.spec == {"response_lines": 10}
    assert explain.extras == {
        "default_grade": 5.0,
        "penalty": 0.0,
        "moodle": {"graderinfo": 'Look for "distinctiveness".', "graderinfo_format": "html"},
    }
    assert every["ipv-09"].spec == {} and every["ipv-09"].type == "description"


def test_cloze_reads_every_kind_of_gap(every):
    cloze = every["ipv-10"]
    gaps = cloze.spec["gaps"]
    assert [(g["kind"], g.get("display"), g["mark"]) for g in gaps] == [
        ("short_answer", None, 1),
        ("choice", "dropdown", 2),
        ("numerical", None, 1),
        ("choice", "vertical", 1),
        ("choice", "horizontal", 1),
        ("choice", "dropdown", 2),
        ("short_answer_case", None, 1),
    ]
    assert gaps[0]["answers"][2] == {"text": "*", "weight": 0.0, "feedback": "No."}
    assert gaps[2]["answers"][0]["kind"] == "tolerance"
    assert cloze.text.startswith("<p>The capital of France is {#1}.</p>")
    assert "{#7}" in cloze.text
    assert cloze.extras == {"hints": [{"text": "Think of Switzerland."}]}


# --- categories, ids, names, formats --------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "path"),
    [
        ("$course$/top/A/B", "A/B"),
        ("$course$/A/B", "A/B"),
        ("$system$/top/A", "A"),
        ("$module$/A", "A"),
        ("$cat1$/top/ A /B ", "A/B"),
        ("top/A", "A"),
        ("A", "A"),
    ],
)
def test_category_paths_drop_the_context_and_top(written, path):
    record = f'  <question type="category"><category><text>{written}</text></category></question>\n'
    read = parse_moodle_xml(quiz(record, tf()))
    assert read.questions[0].category == path


def test_the_top_category_and_no_category_are_the_import_s_own():
    first = tf(name="Before")
    top = '  <question type="category"><category><text>$course$/top</text></category></question>\n'
    a = '  <question type="category"><category><text>$course$/top/A</text></category></question>\n'
    read = parse_moodle_xml(quiz(first, a, tf(name="In A"), top, tf(name="Back")), category="Z")
    assert [q.category for q in read.questions] == ["Z", "A", "Z"]


def test_a_slash_inside_a_category_name_is_refused():
    record = (
        '  <question type="category"><category><text>$course$/A//B</text></category></question>\n'
    )
    source = quiz(record, tf())
    assert problems(source) == [
        (
            3,
            "category '$course$/A//B': Camp's category names cannot contain '/' (written '//' "
            "in Moodle)",
        )
    ]


def test_the_same_idnumber_twice_is_refused_at_the_second():
    body = "    <idnumber>same</idnumber>\n"
    source = quiz(
        question("description", body, name="One"), question("description", body, name="Two")
    )
    assert problems(source) == [
        (9, "question 'Two': the id number 'same' is already used on line 3")
    ]


def test_a_name_that_is_the_start_of_the_text_is_no_title():
    read = parse_moodle_xml(quiz(tf(name="Logos are marks.", text="Logos are marks.")))
    assert read.questions[0].title == ""


def test_pieces_in_other_formats_become_html():
    body = (
        '    <answer fraction="100"><text>true</text>'
        '<feedback format="markdown"><text>*Yes*</text></feedback></answer>\n'
        '    <answer fraction="0"><text>false</text>'
        '<feedback format="plain_text"><text>a &lt; b</text></feedback></answer>\n'
    )
    read = parse_moodle_xml(
        quiz(question("truefalse", body, text="Plain", fmt="moodle_auto_format"))
    )
    q = read.questions[0]
    assert q.text_format == "html"
    assert q.text == "<p>Plain</p>"
    assert q.spec["feedback_true"] == "<p><em>Yes</em></p>"
    assert q.spec["feedback_false"] == "a &lt; b"


def test_one_format_throughout_is_kept_as_written():
    body = (
        '    <generalfeedback format="markdown"><text>**Why**</text></generalfeedback>\n'
        '    <answer fraction="100"><text>true</text></answer>\n'
    )
    q = parse_moodle_xml(quiz(question("truefalse", body, fmt="markdown"))).questions[0]
    assert (q.text_format, q.general_feedback) == ("markdown", "**Why**")


def test_old_true_false_answers_are_true_then_false_and_numerical_old_fractions():
    body = (
        '    <answer fraction="0"><text>Vrai</text></answer>\n'
        '    <answer fraction="100"><text>Faux</text></answer>\n'
    )
    assert parse_moodle_xml(quiz(question("truefalse", body))).questions[0].spec["answer"] is False
    body = "    <answer><text>3</text><fraction>0.5</fraction></answer>\n"
    body += '    <answer fraction="100"><text>4</text></answer>\n'
    q = parse_moodle_xml(quiz(question("numerical", body))).questions[0]
    assert [a["weight"] for a in q.spec["answers"]] == [50.0, 100.0]


def test_the_format_is_told_by_the_content():
    assert looks_like_moodle_xml(fixture("every_type.xml"))
    assert looks_like_moodle_xml(b"\xef\xbb\xbf\n  <!-- exported -->\n<quiz>\n</quiz>")
    assert looks_like_moodle_xml("<quiz/>") and looks_like_moodle_xml("<!DOCTYPE quiz>")
    assert not looks_like_moodle_xml("// [id:x]\n::T::Logos?{T}")
    assert not looks_like_moodle_xml("<quizzical> question?{T}")


# --- refused, with the line ------------------------------------------------------------------


def test_invalid_grades_and_marks_name_their_lines_and_questions():
    source = fixture("invalid_grades.xml")
    questions = [line_of(source, "<question ", n) for n in (0, 17, 32, 47)]
    assert problems(source) == [
        (
            line_of(source, 'fraction="lots"'),
            "question 'Not a number': the fraction 'lots' is not a number",
        ),
        (
            questions[1],
            "question 'Too much': Weights must be between -100 and 100 (option 1 has 150).",
        ),
        (questions[1], "question 'Too much': Give at least one answer with 100% weight."),
        (questions[2], "question 'Nothing right': Give at least one answer with 100% weight."),
        (
            line_of(source, "<defaultgrade>one"),
            "question 'Bad mark': the default mark 'one' is not a number",
        ),
    ]


def test_an_unknown_type_stops_the_import_at_its_line():
    source = fixture("unknown_type.xml")
    found = problems(source)
    lines = [line_of(source, 'type="ddwtos"'), line_of(source, 'type="calculated"')]
    assert [line for line, _ in found] == lines
    assert found[0][1].startswith(
        "question 'Drag words': Camp cannot read questions of the type 'ddwtos'"
    )
    assert "'calculated'" in found[1][1]


def test_unknown_types_are_skipped_and_listed_when_asked():
    source = fixture("unknown_type.xml")
    read = parse_moodle_xml(source, skip_unknown=True)
    assert [q.id for q in read.questions] == ["known-1", "known-2"]
    assert [(s.line, s.moodle_type, s.name) for s in read.skipped] == [
        (line_of(source, 'type="ddwtos"'), "ddwtos", "Drag words"),
        (line_of(source, 'type="calculated"'), "calculated", "Formula"),
    ]


@pytest.mark.parametrize(
    ("name", "line", "start"),
    [
        ("billion_laughs.xml", 2, "the file declares a document type"),
        ("external_entity.xml", 3, "the file declares a document type"),
        ("dtd.xml", 5, "the file declares a document type"),
        ("deep_nesting.xml", 6, "elements are nested more than 20 deep"),
        ("invalid_utf8.xml", 4, "the file is not UTF-8 text; save it as UTF-8"),
    ],
)
def test_hostile_files_are_refused_with_a_line(name, line, start):
    [(found_line, message)] = problems(fixture(name))
    assert found_line == line and message.startswith(start)


def test_a_file_over_two_megabytes_is_refused_unread(monkeypatch):
    import camp.formats.moodle_xml_tree as tree

    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed")

    monkeypatch.setattr(tree, "DefusedExpatParser", no_parsing)
    big = b"<quiz>" + b" " * MAX_BYTES + b"</quiz>"
    [(line, message)] = problems(big)
    assert line == 1 and message.startswith("the file has 2,097,165 bytes;")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<quiz>\n<question>\n</quiz>", (3, "the file is not well-formed XML (mismatched tag)")),
        ("<quiz>\n\n&nbsp;</quiz>", (3, "the file is not well-formed XML (undefined entity)")),
        ("<quiz></quiz>\n<quiz/>", (2, "the file is not well-formed XML (junk after document")),
        ("<?xml version='1.0'?>\n<questions/>", (2, "the file's root element is <questions>")),
        (
            '<?xml version="1.0" encoding="ISO-8859-1"?><quiz/>',
            (1, "the file declares the encoding 'ISO-8859-1'"),
        ),
    ],
)
def test_malformed_files_are_refused_with_a_line(source, expected):
    [(line, message)] = problems(source)
    assert (line, message[: len(expected[1])]) == expected


def test_bad_base64_and_clashing_files_name_their_lines():
    body = (
        '    <generalfeedback format="html"><text>x</text>\n'
        '      <file name="a.png" encoding="base64">not*base64</file></generalfeedback>\n'
        '    <answer fraction="100"><text>true</text><feedback format="html"><text>y</text>\n'
        '      <file name="b.png">aGVsbG8=</file><file name="b.png">aGVsbG8=</file>\n'
        '      <file name="c.png">aGVsbG8=</file></feedback></answer>\n'
        '    <answer fraction="0"><text>false</text><feedback format="html"><text>z</text>\n'
        '      <file name="c.png">d29ybGQ=</file><file name="../x">aGk=</file>\n'
        "    </feedback></answer>\n"
    )
    source = quiz(question("truefalse", body))
    first_c = line_of(source, 'name="c.png"')
    assert problems(source) == [
        (line_of(source, "not*base64"), "question 'Q': the file 'a.png' is not valid base64"),
        (
            line_of(source, "d29ybGQ="),
            "question 'Q': two different files are called 'c.png' (the other is on line "
            f"{first_c}): rename one",
        ),
        (line_of(source, "../x"), "question 'Q': the file name '/../x' cannot be used"),
    ]


def test_markup_inside_a_text_element_and_control_characters_are_refused():
    source = quiz(
        question("description", text="<p>Hello</p>"),
        tf(text="Bell\x7f"),
        tf(name="Name\x7f"),
    )
    assert problems(source) == [
        (
            5,
            "question 'Q': <p> inside <text>: write HTML inside <![CDATA[ ... ]]> or escape it "
            "(&lt;p&gt;)",
        ),
        (10, "question 'Q': a control character (U+007F) cannot be imported"),
        (16, "question truefalse: a control character (U+007F) cannot be imported"),
    ]


def test_ordering_that_camp_cannot_grade_or_show_is_refused():
    items = "".join(
        f'    <answer fraction="{n}"><text>{w}</text></answer>\n' for n, w in enumerate("ABCD", 1)
    )
    relative = question("ordering", "    <gradingtype>RELATIVE_TO_CORRECT</gradingtype>\n" + items)
    subset = question(
        "ordering",
        "    <gradingtype>ALL_OR_NOTHING</gradingtype>\n    <selecttype>RANDOM</selecttype>\n"
        "    <selectcount>3</selectcount>\n" + items,
    )
    found = problems(quiz(relative, subset))
    assert [line for line, _ in found] == [3, 13]
    assert "not by RELATIVE_TO_CORRECT" in found[0][1]
    assert "shows 3 of its 4 items" in found[1][1]


def test_a_cloze_gap_camp_lacks_is_refused_at_the_question_text():
    source = quiz(question("cloze", text="Tick {1:MULTIRESPONSE:=A~B}"))
    [(line, message)] = problems(source)
    assert line == 5 and "Camp has no MULTIRESPONSE gaps" in message
