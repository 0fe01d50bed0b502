"""parse_gift: Moodle's samples, Camp's fixtures, every grammar rule, every error, and fuzzing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from camp.formats.gift import GiftIssue, GiftSyntaxError, parse_gift, question_to_json

MOODLE = Path(
    os.environ.get("CAMP_MOODLE_GIFT_DIR")
    or Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "moodle-gift"
)
FIXTURES = Path(__file__).parent / "fixtures"

SC, MC, TF, SA, NUM, MATCH = (
    "single_choice",
    "multiple_choice",
    "true_false",
    "short_answer",
    "numerical",
    "matching",
)
MOODLE_TYPES = {
    "examples.txt": [
        *[SC, SC, TF, SA, NUM],
        *[SC, SC, SC, SC, SA, SA, TF, TF, MATCH, MATCH, NUM, NUM, NUM, NUM, NUM],
        *[SA, SC, SC, SA, SA, TF, SC, SC, SA, MC, MC, SC, SC],
        *[SC, SC, TF, SA, NUM, MATCH, SC, SC, SA, NUM],
    ],
    "questions.gift.txt": ["essay", MATCH, SC, MC, NUM, SA, TF, TF, TF],
    "questions_in_category.gift.txt": [MATCH, SC, SA, TF],
}


def one(source: str, **kw):
    questions = parse_gift(source, **kw)
    assert len(questions) == 1, questions
    return questions[0]


def errors(source: str | bytes) -> list[str]:
    with pytest.raises(GiftSyntaxError) as caught:
        parse_gift(source)
    return [str(issue) for issue in caught.value.errors]


# --- Moodle's own samples (outside the project) ------------------------------------------


@pytest.fixture
def moodle() -> Path:
    if not MOODLE.is_dir():
        pytest.skip(f"Moodle's GIFT samples are not at {MOODLE}")
    return MOODLE


@pytest.mark.parametrize("name", sorted(MOODLE_TYPES))
def test_moodle_samples_parse_with_moodles_types(moodle, name):
    questions = parse_gift((moodle / name).read_bytes())
    assert [q.type for q in questions] == MOODLE_TYPES[name]


def test_moodle_examples_hold_exactly_43_questions(moodle):
    assert len(parse_gift((moodle / "examples.txt").read_bytes())) == 43


def test_moodle_fixture_details(moodle):
    questions = parse_gift((moodle / "questions.gift.txt").read_text(encoding="utf-8"))
    essay, match, _, colours, q5, animal, q1, *_ = questions
    assert (essay.title, essay.text) == ("Q8", "How are you?")
    assert match.text_format == "html"
    assert match.spec["pairs"][0]["left"] == "An activity supporting asynchronous discussions."
    assert match.spec["pairs"][-1] == {"left": "", "right": "Chat"}
    assert [o["weight"] for o in colours.spec["options"]] == [50, -100, 50, -100]
    assert q5.spec["answers"][-1] == {"kind": "any", "weight": 0, "feedback": "Completely wrong"}
    assert animal.spec["answers"][-1]["text"] == "*"
    assert q1.spec == {
        "answer": False,
        "feedback_true": "42 is the Ultimate Answer.",
        "feedback_false": "You gave the right answer.",
    }
    assert q1.general_feedback.startswith("This is, of course, a Hitchiker's")
    in_category = parse_gift((moodle / "questions_in_category.gift.txt").read_bytes())
    assert {q.category for q in in_category} == {"Default for New Features"}
    assert in_category[1].text.startswith('<a href="http://demo.moodle.net/file.php/5/')


# --- Camp's fixtures ---------------------------------------------------------------------


def test_fixture_with_every_type():
    questions = parse_gift((FIXTURES / "question_types.gift").read_bytes())
    assert [q.type for q in questions] == [
        *[SC, SC, SC, SC, SC, MC, MC, SC, SC],
        *[TF, TF, TF, TF, SA, SA, SA],
        *[NUM, NUM, NUM, NUM, NUM, MATCH, MATCH],
        *[SA, "essay", "description"],
    ]
    by_line = {q.line: q for q in questions}
    assert by_line[12].text == "The Paris Convention was signed in _____ and still applies today."
    assert [o["text"] for o in by_line[45].spec["options"]] == ["= 2 + 2", "= 5 x 2", "= 3 + 4"]
    control = by_line[50]
    assert control.title == "Control: characters"
    assert [o["text"] for o in control.spec["options"]] == ["~", "=", "#", "{", "}", "/"]
    assert control.spec["options"][-1]["feedback"] == (
        "Right! The slash is only special\nat the start of a line, as // for a comment."
    )
    assert by_line[94].text == "Give a number between one and two._____."
    assert by_line[120].text_format == "markdown"


def test_fixture_with_formats_and_feedback():
    questions = parse_gift((FIXTURES / "formats_and_feedback.gift").read_bytes())
    assert [q.type for q in questions] == ["essay", MATCH, SC, MC, NUM, SA, TF, TF, TF, SC]
    match, choice = questions[1], questions[2]
    assert match.spec["pairs"][0] == {"left": "The <i>author</i> of a novel", "right": "Copyright"}
    assert [o["text"] for o in choice.spec["options"]] == ["orange", "green", "blue"]
    assert choice.spec["options"][1]["feedback"] == "wrong, it is <b>orange</b>"
    assert questions[-1].general_feedback == "Copyright arises when a work is created."


def test_fixture_with_categories_ids_and_tags():
    questions = parse_gift((FIXTURES / "categories.gift").read_bytes())
    assert [(q.id, q.tags, q.category) for q in questions] == [
        ("u1-match", ["matching"], "Unit 1"),
        ("u1-link", ["html", "escapes"], "Unit 1"),
        ("u2-word", [], "top/Unit 2/Part A"),
        ("u2-acronym", ["acronyms"], "top/Unit 2/Part A"),
    ]
    assert questions[1].text.startswith('<a href="https://www.wipo.int/">Open this page:</a>')


# --- grammar -----------------------------------------------------------------------------


def test_records_comments_and_lines():
    source = "// intro\n\n// about q1\nFirst?{T}\n\n\n::Two::\nSecond?{F}\n// trailing\n"
    first, second = parse_gift(source)
    assert (first.line, first.text, second.line, second.title) == (4, "First?", 7, "Two")


def test_ids_and_tags_come_from_any_comment_line_of_the_record():
    q = one("// [id: ip-01 ] [tag:a]\n// [tag:b] [tag: c ] [tag:a]\n// [tag:]\nQ?{T}")
    assert (q.id, q.tags) == ("ip-01", ["a", "b", "c"])
    assert one("// [id:x\\]y]\nQ?{T}").id == "x]y"
    assert one("Q?{T}").id is None


@pytest.mark.parametrize(
    ("source", "title", "text"),
    [
        ("::A\\: B::Text{}", "A: B", "Text"),
        ("::Ratio 1\\:2::  Text{}", "Ratio 1:2", "Text"),
        ("::Title::\nText on the next line{}", "Title", "Text on the next line"),
        ("No title here: but a colon{}", "", "No title here: but a colon"),
    ],
)
def test_titles(source, title, text):
    q = one(source)
    assert (q.title, q.text) == (title, text)


@pytest.mark.parametrize("fmt", ["html", "markdown", "plain", "moodle"])
def test_text_formats(fmt):
    q = one(f"::T::[{fmt}]Some *text*{{=[{fmt}]a#[{fmt}]fb ~b}}")
    assert (q.text_format, q.text) == (fmt, "Some *text*")
    assert q.spec["options"][0] == {"text": "a", "weight": 100, "feedback": "fb"}


def test_unknown_format_prefix_stays_in_the_text():
    assert one("[latex]x{}").text == "[latex]x"


def test_escapes():
    q = one(r"a\~b\=c\#d\{e\}f\:g\\h\nnew\x{=\\}")
    assert q.text == "a~b=c#d{e}f:g\\h\nnew\\x"
    assert q.spec["answers"][0]["text"] == "\\"


@pytest.mark.parametrize(
    ("header", "category"),
    [
        ("$CATEGORY: $course$/top/Unit 1", "top/Unit 1"),
        ("$CATEGORY: $system$/Shared", "Shared"),
        ("$CATEGORY:Unit 2 ", "Unit 2"),
        ("$CATEGORY: top/A\\: B", "top/A: B"),
    ],
)
def test_category_paths(header, category):
    assert one(f"{header}\n\nQ?{{T}}").category == category


def test_category_switches_and_resets_to_the_default():
    source = "A?{T}\n\n$CATEGORY: X\n\nB?{T}\n\n$CATEGORY: $course$/\n\nC?{T}"
    assert [q.category for q in parse_gift(source, category="Bank")] == ["Bank", "X", "Bank"]


@pytest.mark.parametrize(
    ("block", "weights"),
    [
        ("{~a ~%50%b =c}", [0, 50, 100]),
        ("{~%33.33333%a =b ~%0%c}", [33.33333, 100, 0]),
        ("{=a =b ~c}", [100, 100, 0]),
    ],
)
def test_single_choice_weights(block, weights):
    q = one("Q?" + block)
    assert q.type == SC
    assert [o["weight"] for o in q.spec["options"]] == weights


def test_no_equals_sign_makes_several_answers_right():
    q = one("Q?{~%100%a ~b}")
    assert q.type == MC
    assert q.spec["options"][0]["weight"] == 100
    assert [o["weight"] for o in one("Q?{~%-33.33333%a ~%100%b}").spec["options"]] == [
        -33.33333,
        100,
    ]


def test_missing_word_and_text_after_the_block():
    assert one("Grant is {=a ~b} in the tomb.").text == "Grant is _____ in the tomb."
    assert one("Two plus two is {=four =4}.").text == "Two plus two is _____."
    assert one("Ends with the block {=x}\n").text == "Ends with the block"


@pytest.mark.parametrize(
    ("block", "answer"),
    [
        ("{#3}", {"kind": "exact", "value": 3}),
        ("{#3.14:0.01}", {"kind": "tolerance", "value": 3.14, "tolerance": 0.01}),
        ("{#1..5}", {"kind": "range", "min": 1, "max": 5}),
        ("{#-5..-1}", {"kind": "range", "min": -5, "max": -1}),
        ("{#1e3}", {"kind": "exact", "value": 1000}),
        ("{#=%100%*}", {"kind": "any"}),
    ],
)
def test_numerical_forms(block, answer):
    assert one("Q?" + block).spec["answers"] == [{**answer, "weight": 100, "feedback": ""}]


def test_numerical_with_weights_feedback_and_other_answers():
    q = one("Q?{#=%100%3.14:0.01#Good =%50%3.1:0.1 #Close ~#Far off}")
    assert q.spec["answers"] == [
        {"kind": "tolerance", "value": 3.14, "tolerance": 0.01, "weight": 100, "feedback": "Good"},
        {"kind": "tolerance", "value": 3.1, "tolerance": 0.1, "weight": 50, "feedback": "Close"},
        {"kind": "any", "weight": 0, "feedback": "Far off"},
    ]


def test_matching_with_distractor():
    q = one("Match.{=a -> 1 =b->2 = -> 3 =c -> x -> y}")
    assert q.spec["pairs"] == [
        {"left": "a", "right": "1"},
        {"left": "b", "right": "2"},
        {"left": "", "right": "3"},
        {"left": "c", "right": "x -> y"},
    ]


@pytest.mark.parametrize(
    ("block", "spec"),
    [
        ("{T}", {"answer": True, "feedback_true": "", "feedback_false": ""}),
        (
            "{TRUE#wrong#right}",
            {"answer": True, "feedback_true": "right", "feedback_false": "wrong"},
        ),
        ("{F#wrong#right}", {"answer": False, "feedback_true": "wrong", "feedback_false": "right"}),
        ("{FALSE##right}", {"answer": False, "feedback_true": "", "feedback_false": "right"}),
        ("{T#only wrong}", {"answer": True, "feedback_true": "", "feedback_false": "only wrong"}),
    ],
)
def test_true_false_feedback_follows_moodle(block, spec):
    """Moodle: {ANSWER#shown if wrong#shown if right}; the spec stores it by the choice made."""
    assert one("Q?" + block).spec == spec


def test_short_answer_weights_and_feedback():
    q = one("Q?{=yes#Good =%50%maybe#Hm =%0%*#No}")
    assert q.spec["answers"] == [
        {"text": "yes", "weight": 100, "feedback": "Good"},
        {"text": "maybe", "weight": 50, "feedback": "Hm"},
        {"text": "*", "weight": 0, "feedback": "No"},
    ]


def test_general_feedback_inside_or_after_the_block():
    assert one("Q?{=a ~b ####General}").general_feedback == "General"
    assert one("Q?{####Essay feedback}").type == "essay"
    assert one("Q?{=a ~b}####After").general_feedback == "After"
    assert one("Q?{=a ~b}####After").text == "Q?"


def test_description_and_essay():
    assert one("Just some text.").type == "description"
    essay = one("::E::Write about it.{}")
    assert (essay.type, essay.spec) == ("essay", {})


@pytest.mark.parametrize(
    "source",
    [
        "\ufeffQ?{T}\n\nR?{F}",
        b"\xef\xbb\xbfQ?{T}\r\n\r\nR?{F}",
        "Q?{T}\r\rR?{F}",
        "Q?{T}\r\n\r\nR?{F}",
    ],
)
def test_bom_and_line_endings(source):
    questions = parse_gift(source)
    assert [(q.line, q.text) for q in questions] == [(1, "Q?"), (3, "R?")]


def test_question_to_json():
    q = one("// [id:x] [tag:t]\n::T::Q?{=a#yes ~b ####gf}", category="C")
    assert question_to_json(q) == {
        "line": 2,
        "id": "x",
        "type": SC,
        "title": "T",
        "text": "Q?",
        "answers": [
            {"text": "a", "weight": 100.0, "feedback": "yes"},
            {"text": "b", "weight": 0.0, "feedback": ""},
        ],
        "general_feedback": "gf",
        "tags": ["t"],
        "category": "C",
    }


# --- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("x\n\nQ?\n{=a ~b", "line 4: the answer block opened with { is never closed"),
        ("Q?} {T}", "line 1: found } without an opening {; write \\} for a literal brace"),
        ("Q?{T}\n{F}", "line 2: a question has only one answer block { }"),
        ("Q?{=a {b}", "line 1: a { inside the answer block"),
        ("::Title\nQ?{T}", "line 1: the title started with :: is never closed"),
        ("\n\nQ?{true}", "line 3: a true/false answer must be T, TRUE, F or FALSE"),
        ("Q?{\n=a\n=b\n}", None),
        ("Q?{=a ~%abc%b}", "line 1: the weight %abc% is not a number"),
        ("Q?{=%50%a ~b}", "line 1: = already means 100%"),
        ("Q?{=a -> 1 =b}", "line 1: each pair of a matching question is written"),
        ("Q?{#abc}", "line 1: 'abc' is not a number"),
        ("Q?{#1..x}", "line 1: 'x' is not a number"),
        ("Q?{#\n=3:oops}", "line 2: 'oops' is not a number"),
        ("Q?{# }", "line 1: a numerical question needs an answer"),
        ("::T::{T}", "line 1: the question has no text"),
        ("$CATEGORY: A\nQ?{T}", "line 2: leave a blank line after a $CATEGORY: line"),
        ("// [id:lost]\n\nQ?{T}", "line 1: put [id:...] and [tag:...] comments directly above"),
        ("// [id:a] [id:b]\nQ?{T}", "line 1: a question can have only one [id:...]"),
        ("// [id:a]\nQ?{T}\n\n// [id:a]\nR?{T}", "line 5: the id 'a' is already used on line 2"),
        (b"Q?{T}\n\nR\xff?", "line 3: the file is not UTF-8 text"),
    ],
)
def test_error_messages(source, message):
    if message is None:
        parse_gift(source)
        return
    found = errors(source)
    assert any(line.startswith(message) for line in found), found


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("Q?{=a}\n\nR?{~a ~b}", "line 3: The positive weights must add up to 100%"),
        ("Q?{=a ~%-50%b}", "line 1: In a single choice question weights must be between 0 and 100"),
        ("Q?{=only}", None),
        ("Q?{~%100%a}", "line 1: Give at least two options."),
        ("Q?{=a -> 1 = -> 2}", "line 1: A matching question needs at least two pairs"),
        ("Q?{=%50%a}", "line 1: Give at least one answer with 100% weight."),
        ("Q?{#5..1}", "line 1: Answer 1: the minimum (5) is greater than the maximum (1)."),
        ("Q?{#=%150%3}", "line 1: Weights must be between 0 and 100 (answer 1 has 150)."),
        ("Q?{~ ~a =b}", "line 1: Option 1 has no text."),
    ],
)
def test_registry_validation_is_reported_with_the_line(source, message):
    if message is None:
        assert parse_gift(source)[0].type == SA
        return
    found = errors(source)
    assert any(line.startswith(message) for line in found), found


def test_all_errors_of_a_file_are_collected():
    source = "A?{T}\n\nB?{=a\n\nC?{#x}\n\nD?{T}\n\nE?{true}"
    with pytest.raises(GiftSyntaxError) as caught:
        parse_gift(source)
    assert [issue.line for issue in caught.value.errors] == [3, 5, 9]
    assert str(caught.value).splitlines()[0] == (
        "line 3: the answer block opened with { is never closed"
    )
    assert all(isinstance(issue, GiftIssue) for issue in caught.value.errors)


# --- fuzzing -----------------------------------------------------------------------------

GIFTISH = st.sampled_from(
    [
        *"ab ~=#{}:\\\n\r->%[]/$TF0123.*\t",
        "\\n",
        "TRUE",
        "::",
        "//",
        "$CATEGORY:",
        "[html]",
        "####",
        "{#",
        "..",
        "[id:x]",
        "[tag:y]",
        "\ufeff",
        "\ue000",
        "\ue00f",
    ]
)


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.lists(GIFTISH, max_size=60).map("".join), st.text(), st.binary()))
def test_any_input_gives_questions_or_a_syntax_error(source):
    try:
        questions = parse_gift(source)
    except GiftSyntaxError as error:
        assert error.errors
        assert all(issue.line >= 1 for issue in error.errors)
    else:
        assert all(q.line >= 1 for q in questions)
