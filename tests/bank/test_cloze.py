"""Embedded answers (cloze): Moodle's gap syntax in and out, grading by marks, responses,
reports, statistics rows, and a student's view that never carries the key."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from camp.bank.presentation import key_view, student_question_view, version_lines
from camp.bank.question_types import InvalidResponse, get_type
from camp.bank.types.base import AuthoringError, Posted

KIND = get_type("cloze")

AUTHORED = (
    "Berlin is the capital of {1:SHORTANSWER:=Germany#Right.~%50%Prussia#It was, once.~*#No.}.\n\n"
    "Pi to two places: {2:NM:=3.14:0.01#Good.~%50%3#Roughly.~*#Not that.}\n\n"
    "The capital of France is {:MC:Lyon#No.~=Paris#Yes.~Nice}.\n\n"
    "Say it exactly: {1:SAC:=DNA}; pick a colour {1:MCV:=Red~Blue#Cold.} and a side "
    "{1:MULTICHOICE_H:%0%Left~=Right}."
)
STORED = (
    "Berlin is the capital of {#1}.\n\n"
    "Pi to two places: {#2}\n\n"
    "The capital of France is {#3}.\n\n"
    "Say it exactly: {#4}; pick a colour {#5} and a side {#6}."
)


def ans(text, weight, feedback=""):
    return {"text": text, "weight": float(weight), "feedback": feedback}


SPEC = {
    "gaps": [
        {
            "kind": "short_answer",
            "mark": 1,
            "answers": [
                ans("Germany", 100, "Right."),
                ans("Prussia", 50, "It was, once."),
                ans("*", 0, "No."),
            ],
        },
        {
            "kind": "numerical",
            "mark": 2,
            "answers": [
                {
                    "kind": "tolerance",
                    "value": 3.14,
                    "tolerance": 0.01,
                    "weight": 100.0,
                    "feedback": "Good.",
                },
                {"kind": "exact", "value": 3.0, "weight": 50.0, "feedback": "Roughly."},
                {"kind": "any", "weight": 0.0, "feedback": "Not that."},
            ],
        },
        {
            "kind": "choice",
            "display": "dropdown",
            "mark": 1,
            "answers": [ans("Lyon", 0, "No."), ans("Paris", 100, "Yes."), ans("Nice", 0)],
        },
        {"kind": "short_answer_case", "mark": 1, "answers": [ans("DNA", 100)]},
        {
            "kind": "choice",
            "display": "vertical",
            "mark": 1,
            "answers": [ans("Red", 100), ans("Blue", 0, "Cold.")],
        },
        {
            "kind": "choice",
            "display": "horizontal",
            "mark": 1,
            "answers": [ans("Left", 0), ans("Right", 100)],
        },
    ]
}
CANONICAL = (
    "Berlin is the capital of "
    "{1:SHORTANSWER:=Germany#Right.~%50%Prussia#It was, once.~*#No.}.\n\n"
    "Pi to two places: {2:NUMERICAL:=3.14:0.01#Good.~%50%3#Roughly.~*#Not that.}\n\n"
    "The capital of France is {1:MULTICHOICE:Lyon#No.~=Paris#Yes.~Nice}.\n\n"
    "Say it exactly: {1:SHORTANSWER_C:=DNA}; pick a colour {1:MULTICHOICE_V:=Red~Blue#Cold.} "
    "and a side {1:MULTICHOICE_H:Left~=Right}."
)


def problems_of(text: str) -> list[str]:
    with pytest.raises(AuthoringError) as caught:
        KIND.authored(text, {})
    return caught.value.problems


# --- reading and writing Moodle's syntax --------------------------------------------------


def test_the_type_is_registered_with_its_contract_names():
    assert KIND.name == "cloze"
    assert KIND.label == "Embedded answers (cloze)"
    assert KIND.has_breakdown and KIND.shows_text_itself and KIND.auto_graded


def test_every_kind_of_gap_is_read_into_the_spec_and_the_text_keeps_placeholders():
    text, spec = KIND.authored(AUTHORED, {})
    assert text == STORED
    assert spec == SPEC
    assert KIND.validate(spec) == []
    assert "Germany" not in text and "3.14" not in text


def test_the_authoring_text_is_canonical_moodle_syntax_and_reads_back_the_same():
    assert KIND.authoring_text(STORED, SPEC) == CANONICAL
    assert KIND.authored(CANONICAL, {}) == (STORED, SPEC)


@pytest.mark.parametrize(
    ("word", "kind", "display"),
    [
        ("SHORTANSWER", "short_answer", None),
        ("SA", "short_answer", None),
        ("MW", "short_answer", None),
        ("SHORTANSWER_C", "short_answer_case", None),
        ("SAC", "short_answer_case", None),
        ("MWC", "short_answer_case", None),
        ("NUMERICAL", "numerical", None),
        ("NM", "numerical", None),
        ("MULTICHOICE", "choice", "dropdown"),
        ("MC", "choice", "dropdown"),
        ("MULTICHOICE_S", "choice", "dropdown"),
        ("MULTICHOICE_V", "choice", "vertical"),
        ("MCV", "choice", "vertical"),
        ("MULTICHOICE_H", "choice", "horizontal"),
        ("MCHS", "choice", "horizontal"),
    ],
)
def test_every_type_word_and_its_short_form(word, kind, display):
    _, spec = KIND.authored(f"Gap: {{1:{word}:=7~8}}", {})
    [gap] = spec["gaps"]
    assert (gap["kind"], gap.get("display")) == (kind, display)


def test_marks_weights_and_feedback():
    _, spec = KIND.authored("{:SA:=a}{3:SA:%33,5%b#half-ish~=c~d#no}", {})
    first, second = spec["gaps"]
    assert first["mark"] == 1 and second["mark"] == 3
    assert second["answers"] == [ans("b", 33.5, "half-ish"), ans("c", 100), ans("d", 0, "no")]


def test_escapes_and_html_character_references():
    _, spec = KIND.authored(
        r"{1:SA:=a\}b\~c\#d\\#feedback with \} and \~ and # as it is~x}"
        " and {1:MC:=it&#39;s#ok~no &amp; never}",
        {},
    )
    short, choice = spec["gaps"]
    assert short["answers"][0] == ans("a}b~c#d\\", 100, "feedback with } and ~ and # as it is")
    assert choice["answers"] == [ans("it&#39;s", 100, "ok"), ans("no &amp; never", 0)]
    text = KIND.authoring_text("{#1} and {#2}", spec)
    assert KIND.authored(text, {})[1] == spec


def test_braces_that_are_no_gap_stay_text():
    text, spec = KIND.authored(r"Sets {1, 2} and $\frac{1}{2}$: {1:SA:=x}", {})
    assert text == r"Sets {1, 2} and $\frac{1}{2}$: {#1}"
    assert len(spec["gaps"]) == 1


def test_numerical_answers():
    _, spec = KIND.authored("{1:NUMERICAL:=-2,5~%20%1e3:5~%10%1..2~*}", {})
    assert spec["gaps"][0]["answers"] == [
        {"kind": "exact", "value": -2.5, "weight": 100.0, "feedback": ""},
        {"kind": "tolerance", "value": 1000.0, "tolerance": 5.0, "weight": 20.0, "feedback": ""},
        {"kind": "range", "min": 1.0, "max": 2.0, "weight": 10.0, "feedback": ""},
        {"kind": "any", "weight": 0.0, "feedback": ""},
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("A {1:SA:=a} then {2:MULTIRESPONSE:=a~=b}", "Gap 2: Camp has no MULTIRESPONSE gaps"),
        ("{1:MR:=a~=b}", "Gap 1: Camp has no MR gaps"),
        ("{1:SA:=a} {1:RIDDLE:=a}", "Gap 2: unknown gap type RIDDLE"),
        ("{1:sa:=a}", "Gap 1: unknown gap type sa"),
        ("{1:SA:=a} and {1:SA:=b", "Gap 2 is not closed"),
        ("{0:SA:=a}", "Gap 1: the mark must be a whole number from 1 to 1000"),
        ("{1:SA:=a~}", "Gap 1: answer 2 is empty"),
        ("{1:SA:}", "Gap 1: answer 1 is empty"),
        ("{1:SA:%lots%a}", "Gap 1: answer 1: %lots% is not a weight"),
        ("{1:NM:=three}", "Gap 1: answer 1 (three) is not a number"),
        ("{1:NM:=3:x}", "Gap 1: answer 1 (3:x) is not a number"),
        ("{1:SA:%50%a}", "Gap 1: Give at least one answer with 100% weight."),
        ("{1:MC:=a}", "Gap 1: Give at least two options."),
        ("{1:SA:%150%a}", "Gap 1: Weights must be between 0 and 100"),
        ("No gap at all.", "Put at least one gap in the text"),
        ("Literal {#1} and {1:SA:=a}", "{#1}"),
    ],
)
def test_mistakes_are_named_by_gap(text, message):
    problems = problems_of(text)
    assert any(message in problem for problem in problems), problems


def test_every_gap_with_a_mistake_is_reported():
    problems = problems_of("{1:SA:=a~} {1:SA:=b} {1:MCV:=c}")
    assert [p.split(":")[0] for p in problems] == ["Gap 1", "Gap 3"]


TEXT = st.text(alphabet="ab *}~#\\%=&;{:1\n", min_size=1, max_size=8).filter(
    lambda t: t.strip() and t.strip() == t
)


@st.composite
def gap_specs(draw):
    gaps = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["short_answer", "short_answer_case", "numerical", "choice"]))
        weights = [100.0, *draw(st.lists(st.sampled_from([0.0, 12.5, 50.0, 100.0]), max_size=3))]
        if kind == "choice" and len(weights) < 2:
            weights.append(0.0)
        answers = []
        for weight in weights:
            feedback = draw(st.just("") | TEXT)
            if kind == "numerical":
                value = draw(st.floats(-1e6, 1e6, allow_nan=False))
                answers.append(
                    {"kind": "exact", "value": value, "weight": weight, "feedback": feedback}
                )
            else:
                answers.append({"text": draw(TEXT), "weight": weight, "feedback": feedback})
        gap = {"kind": kind, "mark": draw(st.integers(1, 5)), "answers": answers}
        if kind == "choice":
            gap["display"] = draw(st.sampled_from(["dropdown", "vertical", "horizontal"]))
        gaps.append(gap)
    return {"gaps": gaps}


@settings(max_examples=200, deadline=None)
@given(spec=gap_specs())
def test_any_spec_survives_the_round_trip_through_the_form(spec):
    assert KIND.validate(spec) == []
    text = " ".join(f"{{#{n}}}" for n in range(1, len(spec["gaps"]) + 1))
    assert KIND.authored(KIND.authoring_text(text, spec), {}) == (text, spec)


def test_a_gap_the_text_lost_is_written_at_the_end():
    spec = {"gaps": SPEC["gaps"][:2]}
    assert KIND.authoring_text("Only {#1} here.", spec).endswith(
        "\n\n{2:NUMERICAL:=3.14:0.01#Good.~%50%3#Roughly.~*#Not that.}"
    )


# --- checking a stored spec ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "essay"}, "Gap 1: the kind must be"),
        ({"mark": 0}, "Gap 1: the mark must be a whole number from 1 to 1000"),
        ({"mark": True}, "Gap 1: the mark must be"),
        ({"display": "dropdown"}, "Gap 1: only a choice gap has a display"),
        ({"answers": "x"}, "Gap 1: Give the answers as a list."),
        ({"shuffle": True}, "Gap 1: Unknown setting 'shuffle'."),
    ],
)
def test_stored_specs_are_checked(change, message):
    spec = json.loads(json.dumps(SPEC))
    spec["gaps"][0].update(change)
    assert any(message in problem for problem in KIND.validate(spec)), KIND.validate(spec)


def test_a_choice_gap_needs_a_known_display():
    spec = json.loads(json.dumps(SPEC))
    del spec["gaps"][2]["display"]
    assert "Gap 3: the display must be dropdown, vertical or horizontal." in KIND.validate(spec)


# --- responses and grading ----------------------------------------------------------------

RIGHT = {"gaps": {"1": "germany", "2": "3,141", "3": 1, "4": "DNA", "5": 0, "6": 1}}


def test_every_gap_right_is_full_marks():
    assert KIND.grade(SPEC, RIGHT) == 1.0


def test_the_fraction_weighs_each_gap_by_its_mark():
    # Gap 1 half (1 mark), gap 2 half (2 marks), gap 3 right, gap 4 wrong case, 5 and 6 empty:
    # (0.5 + 2 * 0.5 + 1 + 0) / 7
    response = {"gaps": {"1": "Prussia", "2": "3", "3": 1, "4": "dna"}}
    assert KIND.grade(SPEC, response) == pytest.approx(2.5 / 7)
    assert KIND.feedback(SPEC, response) == [
        "Gap 1: It was, once.",
        "Gap 2: Roughly.",
        "Gap 3: Yes.",
    ]
    assert KIND.grade(SPEC, {"gaps": {}}) == 0.0
    assert KIND.grade(SPEC, {"gaps": {"2": "x"}}) == 0.0


def test_normalise_keeps_answered_gaps_in_order():
    raw = {"gaps": {"3": 0, "1": "  Berlin ", "2": "", "4": None, "06": 1}}
    clean = KIND.normalise_response(SPEC, raw)
    assert clean == {"gaps": {"1": "Berlin", "3": 0, "6": 1}}
    assert list(clean["gaps"]) == ["1", "3", "6"]
    assert KIND.normalise_response(SPEC, clean) == clean
    assert KIND.normalise_response(SPEC, None) == {"gaps": {}}
    assert KIND.normalise_response(SPEC, {}) == {"gaps": {}}


@pytest.mark.parametrize(
    "raw",
    [
        "text",
        {"gaps": "1"},
        {"gaps": {"7": "a"}},
        {"gaps": {"0": "a"}},
        {"gaps": {"x": "a"}},
        {"gaps": {"1": 3}},
        {"gaps": {"1": "a" * 1001}},
        {"gaps": {"3": "1"}},
        {"gaps": {"3": True}},
        {"gaps": {"3": 3}},
        {"gaps": {"3": -1}},
    ],
)
def test_bad_responses_are_refused(raw):
    with pytest.raises(InvalidResponse):
        KIND.normalise_response(SPEC, raw)
    assert KIND.grade(SPEC, raw) == 0.0


def test_reports_read_each_gap():
    assert KIND.describe(SPEC, RIGHT) == (
        "Gap 1: germany; Gap 2: 3,141; Gap 3: Paris; Gap 4: DNA; Gap 5: Red; Gap 6: Right"
    )
    assert KIND.describe(SPEC, {"gaps": {"3": 0}}) == "Gap 3: Lyon"
    assert KIND.describe(SPEC, {"gaps": {}}) == ""
    assert KIND.correct_answer_text(SPEC) == (
        "The correct answers are: Gap 1: Germany; Gap 2: 3.14 (± 0.01); Gap 3: Paris; "
        "Gap 4: DNA; Gap 5: Red; Gap 6: Right"
    )
    summary = KIND.answers_summary(SPEC)
    assert summary[:3] == [
        {"text": "Gap 1: Germany", "weight": 100.0, "feedback": "Right."},
        {"text": "Gap 1: Prussia", "weight": 50.0, "feedback": "It was, once."},
        {"text": "Gap 1: *", "weight": 0.0, "feedback": "No."},
    ]
    assert {"text": "Gap 2: 3.14:0.01", "weight": 100.0, "feedback": "Good."} in summary
    assert len(summary) == 3 + 3 + 3 + 1 + 2 + 2


def test_statistics_rows_are_each_gaps_answers():
    rows = KIND.breakdown(SPEC)
    texts = [row.text for row in rows]
    assert texts == [
        "Gap 1: Germany",
        "Gap 1: Prussia",
        "Gap 1: *",
        "Gap 2: 3.14:0.01",
        "Gap 2: 3",
        "Gap 2: *",
        "Gap 2: (any other answer)",
        "Gap 3: Lyon",
        "Gap 3: Paris",
        "Gap 3: Nice",
        "Gap 4: DNA",
        "Gap 4: (any other answer)",
        "Gap 5: Red",
        "Gap 5: Blue",
        "Gap 6: Left",
        "Gap 6: Right",
    ]
    assert [row.correct for row in rows][:3] == [True, False, False]
    picked = KIND.picked(SPEC, {"gaps": {"1": "prussia", "3": 2, "4": "rna"}})
    assert [texts[i] for i in picked] == [
        "Gap 1: Prussia",
        "Gap 3: Nice",
        "Gap 4: (any other answer)",
    ]
    assert [texts[i] for i in KIND.picked(SPEC, RIGHT)] == [
        "Gap 1: Germany",
        "Gap 2: 3.14:0.01",
        "Gap 3: Paris",
        "Gap 4: DNA",
        "Gap 5: Red",
        "Gap 6: Right",
    ]
    assert KIND.picked(SPEC, {"gaps": {}}) == []
    assert KIND.picked(SPEC, {"gaps": {"3": 9}}) == []


def test_gift_cannot_write_it():
    from camp.formats.gift import GiftWriteError

    with pytest.raises(GiftWriteError, match="GIFT cannot write embedded answers"):
        KIND.write_gift(SPEC, "moodle")


# --- the student's view -------------------------------------------------------------------


@dataclass
class Version:
    text: str = STORED
    spec: dict = None
    type: str = "cloze"
    title: str = ""
    text_format: str = "markdown"
    general_feedback: str = ""
    extras: dict = None

    def __post_init__(self):
        self.spec = self.spec if self.spec is not None else SPEC
        self.extras = self.extras if self.extras is not None else {}


KEY_WORDS = ["Germany", "Prussia", "3.14", "DNA", "Right.", "It was", "Good.", "Cold.", "weight"]


def test_the_student_view_has_no_key():
    view = KIND.student_view(SPEC)
    dumped = json.dumps(view)
    for word in ("Germany", "Prussia", "3.14", "DNA", "weight", "feedback", "answers", "mark"):
        assert word not in dumped
    assert [gap["input"] for gap in view["gaps"]] == [
        "text",
        "number",
        "choice",
        "text",
        "choice",
        "choice",
    ]
    assert [o["text"] for o in view["gaps"][2]["options"]] == ["Lyon", "Paris", "Nice"]


def test_one_order_shuffles_each_choice_gap_within_itself():
    # Flat items: gap 3 options 0-2, gap 5 options 3-4, gap 6 options 5-6.
    assert KIND.shufflable_count(SPEC) == 7
    assert KIND.unshuffled_order(SPEC) == list(range(7))
    view = KIND.student_view(SPEC, [6, 4, 1, 5, 3, 2, 0])
    gaps = {gap["number"]: gap for gap in view["gaps"]}
    assert [o["index"] for o in gaps[3]["options"]] == [1, 2, 0]
    assert [o["index"] for o in gaps[5]["options"]] == [1, 0]
    assert [o["index"] for o in gaps[6]["options"]] == [1, 0]
    with pytest.raises(ValueError):
        KIND.student_view(SPEC, [0, 1, 2])


def token(index):
    return f"tok{index:02d}xxxxxxx"


def page(version=None, response=None, order=None):
    return student_question_view(
        version or Version(),
        number=3,
        order=order,
        value_for=token,
        response=response,
        field_name="q3",
    )


def render(view, disabled=False):
    from flask import render_template_string

    return render_template_string(
        '{% from "_macros/question.html" import question %}{{ question(view, disabled) }}',
        view=view,
        disabled=disabled,
    )


def test_the_page_puts_an_input_at_each_gap_and_never_the_key(app):
    view = page(order=[2, 1, 0, 3, 4, 5, 6])
    assert view["shows_text_itself"] is True
    with app.test_request_context():
        html = render(view)
    for word in KEY_WORDS:
        assert word not in html, word
    assert "{#" not in html
    assert '<span class="question-number">Question 3</span>' in html
    assert html.count('class="question-text') == 1  # the text once, not in the legend too
    label = r'<label for="q3-gap-1" class="visually-hidden">Gap 1</label>\s*'
    assert re.search(label + r'<input type="text" id="q3-gap-1" name="q3-1"', html)
    assert re.search(r'<input type="text" id="q3-gap-2" name="q3-2"[^>]*inputmode="decimal"', html)
    select = re.search(r'<select id="q3-gap-3" name="q3-3".*?</select>', html, re.DOTALL).group(0)
    assert re.findall(r'<option value="([^"]*)"', select) == ["", token(2), token(1), token(0)]
    assert ">Nice</option>" in select
    assert re.search(r'role="radiogroup" aria-labelledby="q3-gap-5-name"', html)
    assert '<span id="q3-gap-5-name" class="visually-hidden">Gap 5</span>' in html
    assert re.findall(r'name="q3-5" value="([^"]+)"', html) == [token(3), token(4)]
    assert "cloze-horizontal" in html and "cloze-vertical" in html
    # The inputs sit where the gaps were, inside the author's paragraphs.
    assert re.search(
        r"<p>Berlin is the capital of <label[^>]*>Gap 1</label>\s*<input[^>]*>\.</p>", html
    )


def test_saved_answers_are_shown_again(app):
    response = {"gaps": {"1": 'Ber"lin', "3": 1, "5": 1}}
    with app.test_request_context():
        html = render(page(response=response), disabled=True)
    assert 'value="Ber&#34;lin"' in html or 'value="Ber&quot;lin"' in html
    assert re.search(rf'<option value="{token(1)}" selected>Paris</option>', html)
    assert re.search(rf'value="{token(4)}" checked disabled', html)
    assert html.count(" disabled") == 1 + 1 + 1 + 1 + 2 + 2


def test_author_markup_cannot_reach_the_page_through_answers(app):
    text, spec = KIND.authored(
        '<b>Bold</b> <img alt="{1:SA:=x}" src="https://example.org/a.png"> and '
        "{1:MC:=<script>alert(1)</script>ok~<b>no</b>} "
        "{1:MCV:=<em>yes</em>~<img src=x onerror=alert(1)>}",
        {},
    )
    version = Version(text=text, spec=spec, text_format="html")
    with app.test_request_context():
        html = render(page(version))
    assert "<script" not in html and "onerror" not in html
    assert "&lt;b&gt;no&lt;/b&gt;" in html  # a drop-down shows the plain text of an option
    assert "<em>yes</em>" in html  # a radio's label shows it as the question's format allows
    # The gap written inside an attribute cannot open it: its input comes after the text.
    assert 'alt="{#1}"' in html
    assert html.index('name="q3-1"') > html.index("<img")


def test_reading_the_posted_form_maps_tokens_back_to_each_gap():
    tokens = {token(i): i for i in range(7)}

    def index_of(value):
        if value not in tokens:
            raise InvalidResponse("not an option")
        return tokens[value]

    fields = MultiDict({"q3-1": " Berlin ", "q3-2": "", "q3-3": token(1), "q3-6": token(6)})
    response = KIND.read_form(SPEC, Posted(fields, "q3", index_of))
    assert KIND.normalise_response(SPEC, response) == {"gaps": {"1": "Berlin", "3": 1, "6": 1}}
    with pytest.raises(InvalidResponse):
        KIND.read_form(SPEC, Posted(MultiDict({"q3-3": token(5)}), "q3", index_of))  # gap 6's
    with pytest.raises(InvalidResponse):
        KIND.read_form(SPEC, Posted(MultiDict({"q3-5": "bogus"}), "q3", index_of))


def test_the_answer_key_and_the_version_text_for_organisers():
    key = key_view(Version())
    assert key["type_label"] == "Embedded answers (cloze)"
    assert key["correct_answer_text"].startswith("The correct answers are: Gap 1: Germany")
    assert str(key["answers"][0]["html"]) == "Gap 1: Germany"
    lines = version_lines(Version())
    assert lines[lines.index("Text:") + 1] == "    " + CANONICAL.split("\n")[0]
    assert "  1. [100%] Gap 1: Germany" in lines
