"""The question type registry: validation, the student's view, responses, grading, summaries."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from camp.bank.question_types import (
    REGISTRY,
    TYPE_NAMES,
    InvalidResponse,
    QuestionType,
    UnknownQuestionType,
    get_type,
)

NAMES = [
    "single_choice",
    "multiple_choice",
    "true_false",
    "short_answer",
    "numerical",
    "matching",
    "ordering",
    "cloze",
    "essay",
    "description",
]
SINGLE = {
    "options": [
        {"text": "Paris", "weight": 100, "feedback": "Right."},
        {"text": "Lyon", "weight": 0, "feedback": "No, Lyon is not the capital."},
        {"text": "Versailles", "weight": 50, "feedback": "It was, once."},
    ]
}
MULTIPLE = {
    "options": [
        {"text": "Patent", "weight": 50, "feedback": "Yes"},
        {"text": "Design", "weight": 50, "feedback": ""},
        {"text": "Novel", "weight": -100, "feedback": "No"},
        {"text": "Song", "weight": 0, "feedback": ""},
    ]
}
TRUE_FALSE = {"answer": False, "feedback_true": "Picked true", "feedback_false": "Picked false"}
SHORT = {
    "answers": [
        {"text": "no one", "weight": 100, "feedback": "Exactly."},
        {"text": "nobody", "weight": 100, "feedback": ""},
        {"text": "grant*", "weight": 20, "feedback": "Not quite."},
        {"text": "a.b (c)", "weight": 50, "feedback": ""},
        {"text": "*", "weight": 0, "feedback": "Anything else."},
    ]
}
NUMERICAL = {
    "answers": [
        {"kind": "tolerance", "value": 3.14, "tolerance": 0.01, "weight": 100, "feedback": "Good"},
        {"kind": "range", "min": 3, "max": 3.5, "weight": 50, "feedback": "Close"},
        {"kind": "exact", "value": -2, "weight": 10, "feedback": "Negative"},
        {"kind": "any", "weight": 0, "feedback": "Any other number"},
    ]
}
MATCHING = {
    "pairs": [
        {"left": "Canada", "right": "Ottawa"},
        {"left": "Italy", "right": "Rome"},
        {"left": "Vatican", "right": "Rome"},
        {"left": "", "right": "Bern"},
    ]
}
ORDERING = {"items": ["Invent", "File", "Grant"], "grading": "partial"}
CLOZE = {
    "gaps": [
        {"kind": "short_answer", "mark": 1, "answers": SHORT["answers"]},
        {"kind": "numerical", "mark": 2, "answers": NUMERICAL["answers"]},
        {"kind": "choice", "display": "dropdown", "mark": 1, "answers": SINGLE["options"]},
    ]
}
VALID = {
    "single_choice": SINGLE,
    "multiple_choice": MULTIPLE,
    "true_false": TRUE_FALSE,
    "short_answer": SHORT,
    "numerical": NUMERICAL,
    "matching": MATCHING,
    "ordering": ORDERING,
    "cloze": CLOZE,
    "essay": {"response_lines": 5},
    "description": {},
}


# --- the registry ------------------------------------------------------------------------


def test_registry_names_are_the_contract():
    assert list(REGISTRY) == NAMES == list(TYPE_NAMES)
    for name in NAMES:
        kind = get_type(name)
        assert isinstance(kind, QuestionType)
        assert kind.name == name
        assert kind.label and kind.label[0].isupper()
    assert get_type("single_choice").label == "Single choice"


def test_flags():
    assert [n for n in NAMES if not get_type(n).auto_graded] == ["essay", "description"]
    assert [n for n in NAMES if not get_type(n).gradable] == ["description"]


@pytest.mark.parametrize("name", ["", "Essay", "riddle", None, ["essay"]])
def test_unknown_type(name):
    with pytest.raises(UnknownQuestionType) as caught:
        get_type(name)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("name", NAMES)
def test_valid_examples_validate(name):
    assert get_type(name).validate(VALID[name]) == []


# --- validation messages -----------------------------------------------------------------


def opts(*weights):
    return {
        "options": [{"text": f"o{i}", "weight": w, "feedback": ""} for i, w in enumerate(weights)]
    }


def answers(*weights, **extra):
    return {"answers": [{"text": f"a{i}", "weight": w, **extra} for i, w in enumerate(weights)]}


@pytest.mark.parametrize(
    ("name", "spec", "message"),
    [
        ("single_choice", opts(100), "Give at least two options."),
        ("single_choice", opts(50, 0), "Give at least one answer with 100% weight."),
        ("single_choice", opts(100, -50), "In a single choice question weights must be"),
        (
            "single_choice",
            opts(100, 150),
            "Weights must be between -100 and 100 (option 2 has 150).",
        ),
        ("single_choice", opts(100, "x"), "Option 2: the weight must be a number"),
        ("single_choice", opts(100, math.nan), "Option 2: the weight must be a number"),
        ("single_choice", opts(100, True), "Option 2: the weight must be a number"),
        (
            "single_choice",
            {"options": [{"text": " ", "weight": 100}, {"text": "b", "weight": 0}]},
            "Option 1 has no text.",
        ),
        (
            "single_choice",
            {"options": [{"text": "a", "weight": 100, "feedback": 3}, "b"]},
            "Option 1: the feedback must be text.",
        ),
        ("single_choice", {"options": "abc"}, "Give the options as a list."),
        ("single_choice", {"options": [1, 2]}, "Option 1 must be an object."),
        ("single_choice", {**opts(100, 0), "shuffle": True}, "Unknown setting 'shuffle'."),
        ("multiple_choice", opts(50, 40, -100), "The positive weights must add up to 100%"),
        (
            "multiple_choice",
            opts(0, 0),
            "The positive weights must add up to 100% (they add up to 0%).",
        ),
        ("multiple_choice", opts(60, 60), "The positive weights must add up to 100%"),
        ("multiple_choice", opts(50, 50, -101), "Weights must be between -100 and 100"),
        ("true_false", {"answer": "yes"}, "Say whether the statement is true or false"),
        ("true_false", {"answer": True, "feedback_true": 1}, "The feedback for true must be text."),
        ("short_answer", {"answers": []}, "Give at least one accepted answer."),
        ("short_answer", answers(50), "Give at least one answer with 100% weight."),
        (
            "short_answer",
            answers(100, -10),
            "Weights must be between 0 and 100 (answer 2 has -10).",
        ),
        ("short_answer", {"answers": [{"text": "", "weight": 100}]}, "Answer 1 has no text."),
        ("numerical", {"answers": []}, "Give at least one numerical answer."),
        (
            "numerical",
            {"answers": [{"kind": "exact", "weight": 100}]},
            "Answer 1: the value must be a number.",
        ),
        (
            "numerical",
            {"answers": [{"kind": "tolerance", "value": 1, "tolerance": -1, "weight": 100}]},
            "Answer 1: the tolerance cannot be negative.",
        ),
        (
            "numerical",
            {"answers": [{"kind": "range", "min": 2, "max": 1, "weight": 100}]},
            "Answer 1: the minimum (2) is greater than the maximum (1).",
        ),
        (
            "numerical",
            {"answers": [{"kind": "about", "weight": 100}]},
            "Answer 1: the kind must be exact, tolerance, range or any.",
        ),
        (
            "numerical",
            {"answers": [{"kind": "exact", "value": math.inf, "weight": 100}]},
            "Answer 1: the value must be a number.",
        ),
        (
            "numerical",
            {"answers": [{"kind": "exact", "value": 1, "weight": 50}]},
            "Give at least one answer with 100% weight.",
        ),
        (
            "matching",
            {"pairs": [{"left": "a", "right": "1"}, {"left": "", "right": "2"}]},
            "A matching question needs at least two pairs with a question on the left.",
        ),
        (
            "matching",
            {"pairs": [{"left": "a", "right": "1"}, {"left": "b", "right": ""}]},
            "Pair 2: the right side has no text.",
        ),
        ("matching", {"pairs": [{"left": 1, "right": "1"}]}, "Pair 1: the left side must be text."),
        ("essay", {"response_lines": 0}, "The answer box height (response_lines) must be"),
        ("essay", {"response_lines": True}, "The answer box height (response_lines) must be"),
        ("description", {"text": "x"}, "Unknown setting 'text'."),
    ],
)
def test_validation_messages(name, spec, message):
    problems = get_type(name).validate(spec)
    assert any(p.startswith(message) for p in problems), problems


def test_multiple_choice_allows_rounded_thirds():
    assert get_type("multiple_choice").validate(opts(33.333, 33.333, 33.333, -100)) == []
    assert get_type("multiple_choice").validate(opts(33, 33, 33)) != []


# --- validate never raises ---------------------------------------------------------------

JSONISH = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=5)
    | st.sampled_from(
        ["exact", "tolerance", "range", "any", "text", "weight", "left", "right", "choice"]
    ),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "options",
                    "answers",
                    "pairs",
                    "text",
                    "weight",
                    "feedback",
                    "kind",
                    "value",
                    "tolerance",
                    "min",
                    "max",
                    "left",
                    "right",
                    "answer",
                    "feedback_true",
                    "feedback_false",
                    "response_lines",
                    "gaps",
                    "mark",
                    "display",
                    "x",
                ]
            ),
            children,
            max_size=6,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(NAMES), spec=JSONISH)
def test_validate_never_raises(name, spec):
    kind = get_type(name)
    problems = kind.validate(spec)
    assert isinstance(problems, list) and all(isinstance(p, str) and p for p in problems)
    if isinstance(spec, dict):
        assert kind.check(spec) == problems  # the safety net in validate() was not needed
    else:
        assert problems


REQUIRED = {
    "single_choice": "options",
    "multiple_choice": "options",
    "true_false": "answer",
    "short_answer": "answers",
    "numerical": "answers",
    "matching": "pairs",
    "ordering": "items",
    "cloze": "gaps",
}


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(sorted(REQUIRED)), garbage=JSONISH, mode=st.sampled_from("dki"))
def test_malformed_specs_give_messages(name, garbage, mode):
    spec = json.loads(json.dumps(VALID[name]))
    key = REQUIRED[name]
    if mode == "d":
        del spec[key]
    elif mode == "k":
        spec["unexpected"] = garbage
    else:
        if garbage == spec[key] or (key == "answer" and isinstance(garbage, bool)):
            return
        if isinstance(garbage, list) and garbage and all(isinstance(g, dict) for g in garbage):
            return  # a list of objects may happen to be valid; other tests cover items
        spec[key] = garbage
    assert get_type(name).validate(spec)


# --- grading stays in [0, 1] -------------------------------------------------------------

TEXT = st.text(alphabet="abc *.AB", min_size=1, max_size=6).filter(str.strip)
FEEDBACK = st.text(max_size=5)


@st.composite
def valid_specs(draw):
    name = draw(st.sampled_from(NAMES))
    if name in ("single_choice", "multiple_choice"):
        count = draw(st.integers(2, 5))
        if name == "single_choice":
            weights = [100.0] + [draw(st.floats(0, 100)) for _ in range(count - 1)]
        else:
            right = draw(st.integers(1, count))
            weights = [100 / right] * right + [
                draw(st.floats(-100, 0)) for _ in range(count - right)
            ]
        spec = {
            "options": [
                {"text": draw(TEXT), "weight": w, "feedback": draw(FEEDBACK)} for w in weights
            ]
        }
    elif name == "true_false":
        spec = {"answer": draw(st.booleans()), "feedback_true": "t", "feedback_false": "f"}
    elif name == "short_answer":
        weights = [100.0, *draw(st.lists(st.floats(0, 100), max_size=3))]
        spec = {"answers": [{"text": draw(TEXT), "weight": w, "feedback": ""} for w in weights]}
    elif name == "numerical":
        number = st.floats(-1e6, 1e6)
        items = []
        for weight in [100.0, *draw(st.lists(st.floats(0, 100), max_size=3))]:
            kind = draw(st.sampled_from(["exact", "tolerance", "range", "any"]))
            item = {"kind": kind, "weight": weight, "feedback": ""}
            if kind in ("exact", "tolerance"):
                item["value"] = draw(number)
            if kind == "tolerance":
                item["tolerance"] = draw(st.floats(0, 10))
            if kind == "range":
                item["min"], item["max"] = sorted([draw(number), draw(number)])
            items.append(item)
        spec = {"answers": items}
    elif name == "matching":
        pairs = [{"left": draw(TEXT), "right": draw(TEXT)} for _ in range(draw(st.integers(2, 4)))]
        pairs += [{"left": "", "right": draw(TEXT)} for _ in range(draw(st.integers(0, 2)))]
        spec = {"pairs": pairs}
    elif name == "ordering":
        items = draw(
            st.lists(
                TEXT, min_size=3, max_size=8, unique_by=lambda t: " ".join(t.split()).casefold()
            )
        )
        spec = {"items": items, "grading": draw(st.sampled_from(["partial", "all_or_nothing"]))}
    elif name == "cloze":
        gaps = [
            {"kind": "short_answer", "mark": draw(st.integers(1, 3)), "answers": SHORT["answers"]},
            {"kind": "numerical", "mark": 1, "answers": NUMERICAL["answers"]},
            {
                "kind": "choice",
                "display": draw(st.sampled_from(["dropdown", "vertical", "horizontal"])),
                "mark": draw(st.integers(1, 3)),
                "answers": SINGLE["options"],
            },
        ]
        spec = {"gaps": draw(st.permutations(gaps))}
    else:
        spec = {}
    assert get_type(name).validate(spec) == [], spec
    return name, spec


@st.composite
def responses(draw, name, spec):
    index = st.integers(-2, 8)
    canonical = {
        "single_choice": st.fixed_dictionaries({"selected": st.none() | index}),
        "multiple_choice": st.fixed_dictionaries({"selected": st.lists(index, max_size=6)}),
        "true_false": st.fixed_dictionaries({"value": st.none() | st.booleans()}),
        "matching": st.fixed_dictionaries(
            {"matches": st.dictionaries(st.sampled_from(["0", "1", "2", "3", "x"]), index)}
        ),
        "ordering": st.fixed_dictionaries(
            {"positions": st.dictionaries(st.sampled_from(["0", "1", "2", "3", "9", "x"]), index)}
        ),
        "cloze": st.fixed_dictionaries(
            {
                "gaps": st.dictionaries(
                    st.sampled_from(["1", "2", "3", "4", "x"]),
                    st.none() | index | st.text(max_size=6) | st.sampled_from(["3.14", "nobody"]),
                )
            }
        ),
    }.get(
        name,
        st.fixed_dictionaries(
            {
                "text": st.text(max_size=12)
                | st.from_regex(r"-?\d{1,4}([.,]\d{1,3})?", fullmatch=True)
            }
        ),
    )
    return draw(st.one_of(canonical, JSONISH))


@settings(max_examples=500, deadline=None)
@given(data=st.data(), named=valid_specs())
def test_grade_stays_between_0_and_1(data, named):
    name, spec = named
    kind = get_type(name)
    response = data.draw(responses(name, spec))
    grade = kind.grade(spec, response)
    if kind.auto_graded:
        assert grade is not None and 0.0 <= grade <= 1.0
    else:
        assert grade is None
    assert all(isinstance(text, str) and text for text in kind.feedback(spec, response))
    try:
        clean = kind.normalise_response(spec, response)
    except InvalidResponse:
        return
    assert kind.normalise_response(spec, clean) == clean
    assert json.loads(json.dumps(clean)) == clean


SECRET_KEYS = {
    "weight",
    "feedback",
    "answer",
    "answers",
    "tolerance",
    "min",
    "max",
    "value",
    "pairs",
    "right",
    "feedback_true",
    "feedback_false",
}


def keys_and_strings(value, keys, strings):
    if isinstance(value, dict):
        for key, item in value.items():
            keys.add(key)
            keys_and_strings(item, keys, strings)
    elif isinstance(value, list):
        for item in value:
            keys_and_strings(item, keys, strings)
    elif isinstance(value, str):
        strings.add(value)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), named=valid_specs())
def test_student_view_shows_no_key(data, named):
    name, spec = named
    kind = get_type(name)
    count = kind.shufflable_count(spec)
    order = data.draw(st.none() | st.permutations(range(count)).map(list))
    view = kind.student_view(spec, order)
    keys, strings = set(), set()
    keys_and_strings(view, keys, strings)
    assert not keys & SECRET_KEYS
    allowed = {view["widget"]}
    if name in ("single_choice", "multiple_choice"):
        allowed |= {o["text"] for o in spec["options"]}
        assert sorted(o["index"] for o in view["options"]) == list(range(count))
        if order is not None:
            assert [o["index"] for o in view["options"]] == order
    if name == "matching":
        allowed |= {p["left"] for p in spec["pairs"]} | {p["right"] for p in spec["pairs"]}
    if name == "ordering":
        allowed |= set(spec["items"])
        assert [item["text"] for item in view["items"]] != spec["items"]
    if name == "cloze":
        allowed |= {"text", "number", "choice", "dropdown", "vertical", "horizontal"}
        allowed |= {
            a["text"] for gap in spec["gaps"] if gap["kind"] == "choice" for a in gap["answers"]
        }
        shown = [o["index"] for gap in view["gaps"] for o in gap.get("options", [])]
        assert sorted(shown) == list(range(count))
    assert strings <= allowed
    assert json.loads(json.dumps(view)) == view


# --- choice types ------------------------------------------------------------------------


def test_single_choice():
    kind = get_type("single_choice")
    assert kind.student_view(SINGLE) == {
        "widget": "radio",
        "options": [
            {"index": 0, "text": "Paris"},
            {"index": 1, "text": "Lyon"},
            {"index": 2, "text": "Versailles"},
        ],
    }
    assert [o["index"] for o in kind.student_view(SINGLE, [2, 0, 1])["options"]] == [2, 0, 1]
    assert kind.shufflable_count(SINGLE) == 3
    assert [kind.grade(SINGLE, {"selected": i}) for i in (0, 1, 2)] == [1.0, 0.0, 0.5]
    assert kind.grade(SINGLE, {"selected": None}) == kind.grade(SINGLE, {}) == 0.0
    assert kind.feedback(SINGLE, {"selected": 1}) == ["No, Lyon is not the capital."]
    assert kind.feedback(SINGLE, {"selected": None}) == []
    assert kind.correct_answer_text(SINGLE) == "The correct answer is: Paris"
    assert kind.answers_summary(SINGLE)[2] == {
        "text": "Versailles",
        "weight": 50.0,
        "feedback": "It was, once.",
    }


@pytest.mark.parametrize("order", [[0, 1], [0, 1, 1], [0, 1, 3], [0, 1, True], "012"])
def test_bad_display_order(order):
    with pytest.raises(ValueError, match="permutation"):
        get_type("single_choice").student_view(SINGLE, order)


@pytest.mark.parametrize(
    "raw", [{"selected": 3}, {"selected": -1}, {"selected": True}, {"selected": "1"}, [1], "x"]
)
def test_single_choice_rejects_bad_responses(raw):
    with pytest.raises(InvalidResponse):
        get_type("single_choice").normalise_response(SINGLE, raw)
    assert get_type("single_choice").grade(SINGLE, raw) == 0.0


def test_multiple_choice():
    kind = get_type("multiple_choice")
    assert kind.student_view(MULTIPLE)["widget"] == "checkbox"
    assert kind.normalise_response(MULTIPLE, {"selected": [1, 0, 1]}) == {"selected": [0, 1]}
    assert kind.normalise_response(MULTIPLE, None) == {"selected": []}
    assert kind.grade(MULTIPLE, {"selected": [0, 1]}) == 1.0
    assert kind.grade(MULTIPLE, {"selected": [0]}) == 0.5
    assert kind.grade(MULTIPLE, {"selected": [0, 1, 3]}) == 1.0
    assert kind.grade(MULTIPLE, {"selected": [0, 2]}) == 0.0  # -50% is floored at 0
    assert kind.grade(MULTIPLE, {"selected": []}) == 0.0
    assert kind.feedback(MULTIPLE, {"selected": [2, 0, 1]}) == ["Yes", "No"]
    assert kind.correct_answer_text(MULTIPLE) == "The correct answers are: Patent; Design"
    thirds = opts(33.333, 33.333, 33.334)
    assert kind.grade(thirds, {"selected": [0, 1, 2]}) == 1.0
    assert kind.grade(opts(33.4, 33.4, 33.4), {"selected": [0, 1, 2]}) == 1.0  # capped


def test_true_false_feedback_is_by_choice_made():
    kind = get_type("true_false")
    assert kind.student_view(TRUE_FALSE) == {"widget": "true_false"}
    assert kind.grade(TRUE_FALSE, {"value": False}) == 1.0
    assert kind.grade(TRUE_FALSE, {"value": True}) == 0.0
    assert kind.grade(TRUE_FALSE, {"value": None}) == 0.0
    assert kind.feedback(TRUE_FALSE, {"value": True}) == ["Picked true"]
    assert kind.feedback(TRUE_FALSE, {"value": False}) == ["Picked false"]
    assert kind.correct_answer_text(TRUE_FALSE) == "The correct answer is 'False'."
    assert kind.answers_summary(TRUE_FALSE) == [
        {"text": "true", "weight": 0.0, "feedback": "Picked true"},
        {"text": "false", "weight": 100.0, "feedback": "Picked false"},
    ]
    with pytest.raises(InvalidResponse):
        kind.normalise_response(TRUE_FALSE, {"value": "true"})


# --- short answer ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "grade", "feedback"),
    [
        ("no one", 1.0, ["Exactly."]),
        ("  No   ONE ", 1.0, ["Exactly."]),
        ("no\tone", 1.0, ["Exactly."]),
        ("NOBODY", 1.0, []),
        ("Grant", 0.2, ["Not quite."]),
        ("grant's wife", 0.2, ["Not quite."]),
        ("a.b (c)", 0.5, []),
        ("axb (c)", 0.0, ["Anything else."]),
        ("someone", 0.0, ["Anything else."]),
        ("", 0.0, []),
        ("   ", 0.0, []),
    ],
)
def test_short_answer_matching(text, grade, feedback):
    kind = get_type("short_answer")
    assert kind.grade(SHORT, {"text": text}) == grade
    assert kind.feedback(SHORT, {"text": text}) == feedback


def test_short_answer_details():
    kind = get_type("short_answer")
    assert kind.student_view(SHORT) == {"widget": "text"}
    assert kind.normalise_response(SHORT, {"text": "  x "}) == {"text": "x"}
    assert kind.normalise_response(SHORT, {}) == {"text": ""}
    with pytest.raises(InvalidResponse, match="too long"):
        kind.normalise_response(SHORT, {"text": "x" * 1001})
    with pytest.raises(InvalidResponse):
        kind.normalise_response(SHORT, {"text": 5})
    assert kind.correct_answer_text(SHORT) == "Accepted answers: no one; nobody"
    wildcard = {"answers": [{"text": "*ab*", "weight": 100, "feedback": ""}]}
    assert kind.grade(wildcard, {"text": "xxABx"}) == 1.0
    assert kind.grade(wildcard, {"text": "a b"}) == 0.0
    best = {"answers": [{"text": "*", "weight": 30}, {"text": "yes", "weight": 100}]}
    assert kind.grade(best, {"text": "yes"}) == 1.0


# --- numerical ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "grade", "feedback"),
    [
        ("3.14", 1.0, ["Good"]),
        ("3.13", 1.0, ["Good"]),
        ("3.15", 1.0, ["Good"]),
        ("3,14", 1.0, ["Good"]),
        (" +3.14 ", 1.0, ["Good"]),
        ("314e-2", 1.0, ["Good"]),
        ("3.151", 0.5, ["Close"]),
        ("3", 0.5, ["Close"]),
        ("3.5", 0.5, ["Close"]),
        ("3.5001", 0.0, ["Any other number"]),
        ("-2", 0.1, ["Negative"]),
        ("-2.0000001", 0.0, ["Any other number"]),
        ("pi", 0.0, []),
        ("3.14.1", 0.0, []),
        ("1,000.5", 0.0, []),
        ("nan", 0.0, []),
        ("inf", 0.0, []),
        ("1e999", 0.0, []),
        ("", 0.0, []),
    ],
)
def test_numerical_grading(text, grade, feedback):
    kind = get_type("numerical")
    assert kind.grade(NUMERICAL, {"text": text}) == grade
    assert kind.feedback(NUMERICAL, {"text": text}) == feedback


def test_numerical_details():
    kind = get_type("numerical")
    assert kind.student_view(NUMERICAL) == {"widget": "number"}
    assert kind.normalise_response(NUMERICAL, {"text": " 3,5 "}) == {"text": "3,5"}
    assert [a["text"] for a in kind.answers_summary(NUMERICAL)] == [
        "3.14:0.01",
        "3..3.5",
        "-2",
        "*",
    ]
    assert kind.correct_answer_text(NUMERICAL) == "The correct answer is: 3.14 (± 0.01)"
    exact = {"answers": [{"kind": "exact", "value": 0.3, "weight": 100}]}
    assert kind.grade(exact, {"text": "0.30"}) == 1.0
    assert kind.grade(exact, {"text": "0.31"}) == 0.0
    big = {"answers": [{"kind": "tolerance", "value": 1e6, "tolerance": 1, "weight": 100}]}
    assert kind.grade(big, {"text": "1000001"}) == 1.0
    assert kind.grade(big, {"text": "1000001.01"}) == 0.0


# --- matching ----------------------------------------------------------------------------


def test_matching_view_hides_the_key():
    kind = get_type("matching")
    view = kind.student_view(MATCHING)
    assert view == {
        "widget": "matching",
        "stems": [
            {"index": 0, "text": "Canada"},
            {"index": 1, "text": "Italy"},
            {"index": 2, "text": "Vatican"},
        ],
        "choices": [
            {"index": 0, "text": "Bern"},
            {"index": 1, "text": "Ottawa"},
            {"index": 2, "text": "Rome"},
        ],
    }
    assert kind.shufflable_count(MATCHING) == 3
    shuffled = kind.student_view(MATCHING, [2, 0, 1])["choices"]
    assert [c["text"] for c in shuffled] == ["Rome", "Bern", "Ottawa"]


def test_matching_grading():
    kind = get_type("matching")
    ottawa, rome, bern = 1, 2, 0
    assert kind.grade(MATCHING, {"matches": {"0": ottawa, "1": rome, "2": rome}}) == 1.0
    assert kind.grade(MATCHING, {"matches": {"0": ottawa, "1": bern}}) == pytest.approx(1 / 3)
    assert kind.grade(MATCHING, {"matches": {}}) == 0.0
    assert kind.normalise_response(MATCHING, {"matches": {2: rome, "0": None}}) == {
        "matches": {"2": rome}
    }
    for bad in (
        {"matches": {"3": 0}},
        {"matches": {"0": 3}},
        {"matches": {"x": 0}},
        {"matches": {"0": "1"}},
        {"matches": [0]},
    ):
        with pytest.raises(InvalidResponse):
            kind.normalise_response(MATCHING, bad)
    assert kind.feedback(MATCHING, {"matches": {"0": ottawa}}) == []
    assert kind.correct_answer_text(MATCHING) == (
        "The correct answer is: Canada → Ottawa; Italy → Rome; Vatican → Rome"
    )
    assert [a["text"] for a in kind.answers_summary(MATCHING)] == [
        "Canada -> Ottawa",
        "Italy -> Rome",
        "Vatican -> Rome",
        "-> Bern",
    ]
    assert [a["weight"] for a in kind.answers_summary(MATCHING)] == [100, 100, 100, 0]


# --- essay and description ---------------------------------------------------------------


def test_essay():
    kind = get_type("essay")
    assert kind.student_view({}) == {"widget": "textarea", "lines": 15}
    assert kind.student_view({"response_lines": 5})["lines"] == 5
    assert kind.normalise_response({}, {"text": "a\r\nb"}) == {"text": "a\nb"}
    assert kind.normalise_response({}, {"text": " \n "}) == {"text": ""}
    assert kind.normalise_response({}, {"text": "x" * 20000}) == {"text": "x" * 20000}
    with pytest.raises(InvalidResponse, match="at most 20000"):
        kind.normalise_response({}, {"text": "x" * 20001})
    assert kind.grade({}, {"text": "An answer"}) is None
    assert kind.correct_answer_text({}) == ""
    assert kind.answers_summary({}) == []


def test_description():
    kind = get_type("description")
    assert kind.student_view({}) == {"widget": "none"}
    assert kind.grade({}, None) is None
    assert kind.normalise_response({}, {"anything": 1}) == {}
    assert kind.feedback({}, None) == []
    assert kind.shufflable_count({}) == 0
