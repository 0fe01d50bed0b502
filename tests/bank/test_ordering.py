"""Ordering questions: the spec's checks, grading in both modes, responses, the student's view
(never the key, even unshuffled), the posted form, report wording and GIFT's refusal."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from camp.bank.question_types import InvalidResponse, get_type
from camp.bank.types.base import Posted, Rendering
from camp.formats.gift import GiftQuestion, GiftWriteError, write_gift

KIND = get_type("ordering")
STEPS = ["Invent", "File an application", "Examination", "Grant"]
PARTIAL = {"items": STEPS, "grading": "partial"}
WHOLE = {"items": STEPS, "grading": "all_or_nothing"}
# Items are indexed alphabetically: Examination 0, File an application 1, Grant 2, Invent 3.
CANON = sorted(STEPS)
RIGHT = {"positions": {"0": 3, "1": 2, "2": 4, "3": 1}}


def placing(**places):
    """A response from item -> place, the items named by their first word."""
    index = {text.split()[0]: str(i) for i, text in enumerate(CANON)}
    return {"positions": {index[word]: place for word, place in places.items()}}


def test_a_valid_spec_and_the_registry():
    assert KIND.label == "Ordering"
    assert KIND.validate(PARTIAL) == [] and KIND.validate(WHOLE) == []
    assert KIND.shufflable_count(PARTIAL) == 4
    assert KIND.auto_graded and KIND.gradable and not KIND.has_breakdown


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"items": ["a", "b"], "grading": "partial"}, "Give at least 3 items (there are 2)."),
        (
            {"items": [str(i) for i in range(9)], "grading": "partial"},
            "Give at most 8 items (there are 9).",
        ),
        ({"items": ["a", " ", "c"], "grading": "partial"}, "Item 2 has no text."),
        ({"items": ["a", 3, "c"], "grading": "partial"}, "Item 2 must be text."),
        ({"items": "a, b, c", "grading": "partial"}, "Give the items as a list."),
        ({"grading": "partial"}, "Give the items as a list."),
        (
            {"items": ["Grant", "Filing", " grant"], "grading": "partial"},
            'Items 1 and 3 are the same ("Grant"): students could not tell them apart.',
        ),
        (
            {"items": STEPS},
            'Choose the grading: "all_or_nothing" (marks only for the whole order) or '
            '"partial" (a share for each item in its place).',
        ),
        ({"items": STEPS, "grading": "mostly"}, "Choose the grading"),
        ({**PARTIAL, "shuffle": True}, "Unknown setting 'shuffle'."),
    ],
)
def test_validation_messages(spec, message):
    problems = KIND.validate(spec)
    assert any(problem.startswith(message) for problem in problems), problems


def test_partial_credit_counts_the_items_in_their_place():
    assert placing(Invent=1, File=2, Examination=3, Grant=4) == RIGHT
    assert KIND.grade(PARTIAL, RIGHT) == 1.0
    assert KIND.grade(PARTIAL, placing(Invent=2, File=1, Examination=3, Grant=4)) == 0.5
    assert KIND.grade(PARTIAL, placing(Grant=4)) == 0.25
    assert KIND.grade(PARTIAL, placing(Grant=1, Invent=4)) == 0.0
    assert KIND.grade(PARTIAL, {"positions": {}}) == 0.0
    assert KIND.grade(PARTIAL, None) == 0.0
    # Two items given one place: each item is judged on its own, so it never earns more.
    assert KIND.grade(PARTIAL, placing(Invent=1, File=1, Examination=3, Grant=4)) == 0.75
    assert KIND.grade(PARTIAL, {"positions": {"0": 9}}) == 0.0  # unreadable: no answer


def test_all_or_nothing_needs_every_item_in_its_place():
    assert KIND.grade(WHOLE, RIGHT) == 1.0
    assert KIND.grade(WHOLE, placing(Invent=1, File=2, Examination=4, Grant=3)) == 0.0
    assert KIND.grade(WHOLE, placing(Invent=1, File=2, Examination=3)) == 0.0
    assert KIND.feedback(WHOLE, RIGHT) == []


def test_an_answer_keeps_its_items_when_the_author_fixes_the_order():
    """Indices follow the items, not their places: regrading after a fix of the key grades
    what the student did against the new key."""
    wrong_key = {"items": ["Invent", "Examination", "File an application", "Grant"]}
    answer = placing(Invent=1, File=2, Examination=3, Grant=4)
    assert KIND.grade({**wrong_key, "grading": "partial"}, answer) == 0.5
    assert KIND.grade(PARTIAL, answer) == 1.0


@settings(max_examples=200, deadline=None)
@given(places=st.lists(st.integers(1, 4), min_size=4, max_size=4))
def test_duplicates_never_beat_a_proper_order(places):
    response = {"positions": {str(i): p for i, p in enumerate(places)}}
    right = sum(p == STEPS.index(CANON[i]) + 1 for i, p in enumerate(places))
    assert KIND.grade(PARTIAL, response) == right / 4
    assert KIND.grade(WHOLE, response) == (1.0 if right == 4 else 0.0)


def test_responses_are_cleaned():
    assert KIND.normalise_response(PARTIAL, None) == {"positions": {}}
    assert KIND.normalise_response(PARTIAL, {}) == {"positions": {}}
    messy = {"positions": {3: 4, "0": 1, "1": None, "2": 1}}
    assert KIND.normalise_response(PARTIAL, messy) == {"positions": {"0": 1, "2": 1, "3": 4}}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"positions": {"4": 1}}, "That item does not exist."),
        ({"positions": {"-1": 1}}, "This answer could not be read."),
        ({"positions": {"x": 1}}, "This answer could not be read."),
        ({"positions": {"0": 0}}, "Places go from 1 to 4."),
        ({"positions": {"0": 5}}, "Places go from 1 to 4."),
        ({"positions": {"0": "2"}}, "This answer could not be read."),
        ({"positions": {"0": True}}, "This answer could not be read."),
        ({"positions": {"0": 1.0}}, "This answer could not be read."),
        ({"positions": [1, 2, 3, 4]}, "This answer could not be read."),
        ("1234", "This answer could not be read."),
    ],
)
def test_bad_responses_are_refused_with_a_reason(raw, message):
    with pytest.raises(InvalidResponse, match=message):
        KIND.normalise_response(PARTIAL, raw)


def test_the_key_and_answers_in_words():
    assert KIND.correct_answer_text(PARTIAL) == (
        "The correct order is: 1. Invent; 2. File an application; 3. Examination; 4. Grant"
    )
    assert [(a["text"], a["weight"]) for a in KIND.answers_summary(PARTIAL)] == [
        (step, 25.0) for step in STEPS
    ]
    # All or nothing: every item is a required part of the one right answer (as in matching).
    assert [a["weight"] for a in KIND.answers_summary(WHOLE)] == [100.0] * 4
    given = placing(Invent=1, File=3, Examination=2, Grant=4)
    assert KIND.describe(PARTIAL, given) == (
        "1. Invent; 2. Examination; 3. File an application; 4. Grant"
    )
    assert KIND.describe(PARTIAL, placing(Invent=1, Grant=1, File=4)) == (
        "1. Grant; 1. Invent; 4. File an application; no place: Examination"
    )
    assert KIND.describe(PARTIAL, {"positions": {}}) == ""


def shown_texts(spec, order=None):
    return [item["text"] for item in KIND.student_view(spec, order)["items"]]


def test_the_student_view_carries_no_key():
    view = KIND.student_view(PARTIAL, [2, 0, 3, 1])
    assert view == {
        "widget": "ordering",
        "items": [{"text": CANON[i]} for i in (2, 0, 3, 1)],
        "places": 4,
    }
    # Unshuffled, or a shuffle that happens to give the right order: never the key.
    assert shown_texts(PARTIAL) not in (STEPS, STEPS[::-1])
    assert shown_texts(PARTIAL, [3, 1, 0, 2]) == shown_texts(PARTIAL)
    assert shown_texts(PARTIAL, [0, 1, 2, 3]) == CANON  # alphabetical: not the key here


ITEMS = st.lists(
    st.text(alphabet="abcAB 1", min_size=1, max_size=4).map(str.strip).filter(bool),
    min_size=3,
    max_size=8,
    unique_by=str.casefold,
)


@settings(max_examples=300, deadline=None)
@given(items=ITEMS, data=st.data())
def test_the_unshuffled_order_is_never_the_key_and_follows_the_set_of_items(items, data):
    spec = {"items": items, "grading": "partial"}
    if KIND.validate(spec):
        return  # e.g. two items equal once spaces are squashed
    order = KIND.unshuffled_order(spec)
    assert sorted(order) == list(range(len(items)))
    shown = shown_texts(spec)
    assert shown == [sorted(items, key=lambda t: (t.casefold(), t))[i] for i in order]
    assert shown not in (items, items[::-1])
    assert shown_texts(spec, data.draw(st.permutations(range(len(items))))) != items
    # What the student sees depends on the set of items, not on their order in the spec,
    # except where that would show one of the two specs its key (or the key reversed).
    other = list(data.draw(st.permutations(items)))
    mine, theirs = shown_texts(spec), shown_texts({"items": other, "grading": "partial"})
    assert mine == theirs or theirs in (items, items[::-1]) or mine in (other, other[::-1])


def rendering(order=None, response=None):
    return Rendering(
        order=order,
        response=response,
        prefix="q3",
        field_name="q3",
        value_for=lambda index: f"tok{index}x",
        inline=lambda text: text,
        plain=lambda text: text,
    )


def test_the_page_has_a_place_select_per_item_with_opaque_values():
    saved = {"positions": {"2": 1, "0": 1}}
    view = KIND.view(PARTIAL, rendering([2, 0, 3, 1], saved))
    assert [item["html"] for item in view["items"]] == [CANON[i] for i in (2, 0, 3, 1)]
    first = view["items"][0]
    assert first["id"] == "q3-item-1" and first["field_name"] == "q3-1"
    assert [c["value"] for c in first["places"]] == [f"tok2x:{p}" for p in range(1, 5)]
    assert [c["text"] for c in first["places"]] == ["1", "2", "3", "4"]
    assert [c["selected"] for c in first["places"]] == [True, False, False, False]
    assert not any(c["selected"] for c in view["items"][2]["places"])
    assert view["hint_id"] == "q3-hint" and view["shared_places"] == [1]
    assert KIND.view(PARTIAL, rendering())["shared_places"] == []


def posted(fields):
    tokens = {f"tok{i}x": i for i in range(4)}

    def index_of(token):
        if token not in tokens:
            raise InvalidResponse("That answer is not one of the options.")
        return tokens[token]

    return Posted(MultiDict(fields), "q3", index_of)


def test_the_posted_selects_become_a_response():
    fields = {"q3-1": "tok2x:3", "q3-2": "tok0x:1", "q3-3": "", "q3-4": "tok1x:2", "q9-1": "x"}
    assert KIND.read_form(PARTIAL, posted(fields)) == {"positions": {"2": 3, "0": 1, "1": 2}}
    assert KIND.read_form(PARTIAL, posted({})) == {"positions": {}}


@pytest.mark.parametrize(
    "value", ["tok9x:1", "2:1", "tok1x", "tok1x:", "tok1x:one", "tok1x:²", "tok1x:" + "9" * 5000]
)
def test_tampered_selects_are_refused(value):
    with pytest.raises(InvalidResponse):
        KIND.read_form(PARTIAL, posted({"q3-1": value}))


def test_one_item_posted_twice_is_refused():
    with pytest.raises(InvalidResponse):
        KIND.read_form(PARTIAL, posted({"q3-1": "tok1x:1", "q3-2": "tok1x:2"}))


def test_gift_cannot_write_an_ordering_question_and_says_which():
    with pytest.raises(GiftWriteError, match="GIFT cannot write ordering questions"):
        KIND.write_gift(PARTIAL, "moodle")
    question = GiftQuestion(
        line=0, type="ordering", text="Put in order", id="steps-1", spec=PARTIAL
    )
    with pytest.raises(GiftWriteError, match=r"^question 'steps-1': GIFT cannot write ordering"):
        write_gift([question])


def test_a_version_diff_names_the_grading():
    from camp.bank.presentation import diff_lines, version_lines

    class Version:
        type, title, text, text_format, general_feedback = "ordering", "", "Order", "plain", ""
        extras: dict = {}

        def __init__(self, grading: str) -> None:
            self.spec = {"items": ["A", "B", "C"], "grading": grading}

    changed = [
        line.text
        for line in diff_lines(
            version_lines(Version("partial")), version_lines(Version("all_or_nothing"))
        )
        if line.kind != "same"
    ]
    assert "Grading: partial credit" in changed and "Grading: all or nothing" in changed
