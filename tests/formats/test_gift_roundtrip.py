"""write_gift: layout, escaping, what GIFT cannot say, and parse(write(qs)) == qs."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from camp.bank.question_types import get_type
from camp.formats.gift import (
    GiftQuestion,
    GiftWriteError,
    parse_gift,
    write_gift,
)

FIXTURES = Path(__file__).parent / "fixtures"
WS = " \t\n\r\0\x0b"


def without_lines(questions):
    return [dataclasses.replace(q, line=0) for q in questions]


def q(type_, spec, **kw):
    kw.setdefault("text", "Question text?")
    return GiftQuestion(line=0, type=type_, spec=spec, **kw)


# --- strategies --------------------------------------------------------------------------

AWKWARD = st.sampled_from(
    [
        *"~=#{}:\\\n[]%/$->_*",
        "\\n",
        "\\\\",
        "::",
        "//",
        "####",
        "[html]",
        "[moodle]",
        "->",
        "$CATEGORY:",
        "T",
        "TRUE",
        "\ue000",
        "\ue00f",
        "\ufeff",
        "\t",
        " ",
        "é",
        "中",
    ]
)
WORD = st.text(alphabet="abcXYZ019 .,'!?", min_size=1, max_size=6)


def text(min_size=1, *, arrow=True):
    pieces = st.lists(st.one_of(AWKWARD, WORD), min_size=min_size, max_size=8)
    result = pieces.map(lambda p: "".join(p).replace("\r", "").strip(WS))
    if not arrow:
        result = result.map(lambda t: t.replace(">", ")").strip(WS))
    return result.filter(lambda t: len(t) >= min_size)


def feedback(**kw):
    return st.one_of(st.just(""), text(**kw))


WEIGHTS = st.one_of(st.sampled_from([0.0, 10.0, 25.0, 33.33333, 50.0]), st.floats(0, 100))


@st.composite
def single_choice(draw):
    options = [{"text": draw(text()), "weight": 100.0, "feedback": draw(feedback())}]
    for _ in range(draw(st.integers(1, 4))):
        weight = draw(st.one_of(WEIGHTS, st.just(100.0)))
        options.append({"text": draw(text()), "weight": weight, "feedback": draw(feedback())})
    return {"options": draw(st.permutations(options))}


@st.composite
def multiple_choice(draw):
    right = draw(st.integers(1, 4))
    options = [
        {"text": draw(text()), "weight": 100 / right, "feedback": draw(feedback())}
        for _ in range(right)
    ]
    for _ in range(draw(st.integers(0 if right > 1 else 1, 3))):
        weight = draw(st.one_of(st.just(0.0), st.floats(-100, 0)))
        options.append({"text": draw(text()), "weight": weight, "feedback": draw(feedback())})
    return {"options": draw(st.permutations(options))}


@st.composite
def short_answer(draw):
    answers = [{"text": draw(text(arrow=False)), "weight": 100.0, "feedback": ""}]
    for _ in range(draw(st.integers(0, 3))):
        answers.append({"text": draw(text(arrow=False)), "weight": draw(WEIGHTS), "feedback": ""})
    for answer in answers:
        answer["feedback"] = draw(feedback(arrow=False))
    return {"answers": draw(st.permutations(answers))}


NUMBER = st.floats(allow_nan=False, allow_infinity=False)


@st.composite
def numerical_answer(draw, weight):
    kind = draw(st.sampled_from(["exact", "tolerance", "range", "any"]))
    answer = {"kind": kind}
    if kind in ("exact", "tolerance"):
        answer["value"] = draw(NUMBER)
    if kind == "tolerance":
        answer["tolerance"] = draw(st.floats(0, 1e6))
    if kind == "range":
        low, high = sorted([draw(NUMBER), draw(NUMBER)])
        answer.update(min=low, max=high)
    answer.update(weight=weight, feedback=draw(feedback()))
    return answer


@st.composite
def numerical(draw):
    answers = [draw(numerical_answer(100.0))]
    answers += [draw(numerical_answer(draw(WEIGHTS))) for _ in range(draw(st.integers(0, 3)))]
    return {"answers": draw(st.permutations(answers))}


@st.composite
def matching(draw):
    pairs = [
        {"left": draw(text(arrow=False)), "right": draw(text())}
        for _ in range(draw(st.integers(2, 4)))
    ]
    pairs += [{"left": "", "right": draw(text())} for _ in range(draw(st.integers(0, 2)))]
    return {"pairs": pairs}


@st.composite
def true_false(draw):
    return {
        "answer": draw(st.booleans()),
        "feedback_true": draw(feedback()),
        "feedback_false": draw(feedback()),
    }


SPECS = {
    "single_choice": single_choice(),
    "multiple_choice": multiple_choice(),
    "true_false": true_false(),
    "short_answer": short_answer(),
    "numerical": numerical(),
    "matching": matching(),
    "essay": st.just({}),
    "description": st.just({}),
}
META = st.text(alphabet="abc-_:.] [xyz09\\", min_size=1, max_size=10).map(lambda t: t.strip(WS))
META = META.filter(lambda t: t and not t.endswith("\\") and "[tag:" not in t)


@st.composite
def gift_question(draw, category):
    type_ = draw(st.sampled_from(sorted(SPECS)))
    spec = draw(SPECS[type_])
    assert get_type(type_).validate(spec) == [], spec
    tags = draw(st.lists(META, max_size=3, unique=True))
    return GiftQuestion(
        line=0,
        type=type_,
        text=draw(text()),
        text_format=draw(st.sampled_from(["moodle", "html", "markdown", "plain"])),
        title=draw(st.one_of(st.just(""), text())),
        id=draw(st.one_of(st.none(), META)),
        tags=tags,
        category=category,
        spec=spec,
        general_feedback="" if type_ == "description" else draw(feedback()),
    )


@st.composite
def question_lists(draw):
    categories = st.one_of(st.none(), text().map(lambda t: t.replace("\n", " ").strip(WS)))
    questions, ids = [], set()
    for _ in range(draw(st.integers(1, 5))):
        category = draw(categories) or None
        question = draw(gift_question(category))
        if question.id in ids:
            question.id = None
        ids.add(question.id)
        questions.append(question)
    return questions


# --- properties --------------------------------------------------------------------------


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(question_lists())
def test_parse_of_write_gives_the_questions_back(questions):
    written = write_gift(questions)
    assert without_lines(parse_gift(written)) == questions


@given(question_lists())
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_written_text_survives_crlf_and_a_bom(questions):
    written = write_gift(questions).replace("\n", "\r\n")
    assert without_lines(parse_gift(b"\xef\xbb\xbf" + written.encode())) == questions


# --- fixtures round trip -----------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.gift")), ids=lambda p: p.name)
def test_fixture_files_round_trip(path):
    questions = parse_gift(path.read_bytes())
    assert questions
    again = parse_gift(write_gift(questions))
    assert without_lines(again) == without_lines(questions)
    assert write_gift(again) == write_gift(questions)


# --- layout ------------------------------------------------------------------------------


def test_layout_of_a_single_choice_question():
    question = q(
        "single_choice",
        {
            "options": [
                {"text": "Paris", "weight": 100, "feedback": "Right: the capital."},
                {"text": "Lyon", "weight": 0, "feedback": ""},
                {"text": "Nice", "weight": 33.33333, "feedback": ""},
            ]
        },
        title="Capital",
        id="geo-01",
        tags=["france", "cities"],
        general_feedback="France's capital is Paris.",
    )
    assert write_gift([question]) == (
        "// [id:geo-01] [tag:france] [tag:cities]\n"
        "::Capital::Question text?{\n"
        "\t=Paris#Right\\: the capital.\n"
        "\t~Lyon\n"
        "\t~%33.33333%Nice\n"
        "\t####France's capital is Paris.\n"
        "}\n"
    )


def test_layout_of_other_types():
    questions = [
        q("true_false", {"answer": True, "feedback_true": "Yes", "feedback_false": "No"}),
        q("true_false", {"answer": False, "feedback_true": "", "feedback_false": "Right"}),
        q("essay", {}, general_feedback="Mention two rights."),
        q("description", {}, text="Read this first.", text_format="markdown"),
        q(
            "numerical",
            {
                "answers": [
                    {
                        "kind": "tolerance",
                        "value": 3.14,
                        "tolerance": 0.01,
                        "weight": 100,
                        "feedback": "Good",
                    },
                    {"kind": "range", "min": 1, "max": 5, "weight": 50, "feedback": ""},
                    {"kind": "exact", "value": 3, "weight": 10, "feedback": ""},
                    {"kind": "any", "weight": 0, "feedback": "No"},
                ]
            },
        ),
        q(
            "matching",
            {
                "pairs": [
                    {"left": "a", "right": "1"},
                    {"left": "b", "right": "2"},
                    {"left": "", "right": "3"},
                ]
            },
        ),
        q("short_answer", {"answers": [{"text": "x*", "weight": 100, "feedback": ""}]}),
    ]
    assert write_gift(questions).split("\n\n") == [
        "Question text?{TRUE#No#Yes}",
        "Question text?{FALSE##Right}",
        "Question text?{####Mention two rights.}",
        "[markdown]Read this first.",
        "Question text?{#\n\t=%100%3.14:0.01#Good\n\t=%50%1..5\n\t=%10%3\n\t=%0%*#No\n}",
        "Question text?{\n\t=a -> 1\n\t=b -> 2\n\t= -> 3\n}",
        "Question text?{\n\t=%100%x*\n}\n",
    ]


def test_category_records_are_written_when_the_category_changes():
    questions = [
        q("essay", {}, category=None),
        q("essay", {}, category="top/Unit 1"),
        q("essay", {}, category="top/Unit 1"),
        q("essay", {}, category="top/Unit 2"),
        q("essay", {}, category=None),
    ]
    written = write_gift(questions)
    assert written.count("$CATEGORY:") == 3
    assert "$CATEGORY: $course$/top/Unit 1\n" in written
    assert written.rstrip().endswith("$CATEGORY: $course$/\n\nQuestion text?{}")
    assert without_lines(parse_gift(written)) == questions


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("a~b=c#d{e}f:g\\h", "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h"),
        ("line one\nline two", "line one\\nline two"),
        ("[html] is not a format here", "[moodle][html] is not a format here"),
        ("// not a comment", "[moodle]// not a comment"),
        ("::not a title", "\\:\\:not a title"),
        ("$CATEGORY: no", "$CATEGORY\\: no"),
        ("%50% is a weight elsewhere", "[moodle]%50% is a weight elsewhere"),
    ],
)
def test_question_text_is_escaped_and_guarded(text, written):
    assert write_gift([q("essay", {}, text=text)]) == written + "{}\n"


@pytest.mark.parametrize(
    "question",
    [
        q("short_answer", {"answers": [{"text": "a->b", "weight": 100, "feedback": ""}]}),
        q("short_answer", {"answers": [{"text": "a", "weight": 100, "feedback": "x->y"}]}),
        q("matching", {"pairs": [{"left": "a->b", "right": "1"}, {"left": "c", "right": "2"}]}),
        q("description", {}, general_feedback="cannot"),
        q("essay", {}, id="bad\nid"),
        q("essay", {}, tags=["<b>"]),
        q("essay", {}, id="ends with \\"),
        q("unknown", {}),
    ],
)
def test_what_gift_cannot_say_raises(question):
    with pytest.raises(GiftWriteError):
        write_gift([question])


def test_ids_and_tags_with_brackets_round_trip():
    question = q("essay", {}, id="a]b", tags=["x]y", "z"])
    written = write_gift([question])
    assert written.startswith("// [id:a\\]b] [tag:x\\]y] [tag:z]\n")
    assert without_lines(parse_gift(written)) == [question]


def test_essay_response_lines_are_not_written():
    written = write_gift([q("essay", {"response_lines": 5})])
    assert parse_gift(written)[0].spec == {}


def test_invalid_specs_are_not_written():
    with pytest.raises(GiftWriteError, match="Give at least two options"):
        write_gift([q("single_choice", {"options": [{"text": "a", "weight": 100}]}, id="x")])
