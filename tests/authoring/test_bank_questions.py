"""Writing, editing, previewing, comparing and retiring questions through the bank screens."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from camp.bank import services
from camp.bank.gift_io import apply_import, read_gift
from camp.bank.models import Question
from camp.extensions import db
from tests.authoring.conftest import form_fields, post_form
from tests.formats.test_gift_roundtrip import FIXTURES

COMMON = {"category": "IP basics/Marks", "title": "", "text_format": "markdown", "tags": ""}

FORMS = {
    "single_choice": (
        {
            "text": "Which right protects a logo?",
            "options-0-text": "A trademark",
            "options-0-weight": "100",
            "options-0-feedback": "Right.",
            "options-1-text": "A patent",
            "options-1-weight": "0",
        },
        {
            "options": [
                {"text": "A trademark", "weight": 100.0, "feedback": "Right."},
                {"text": "A patent", "weight": 0.0, "feedback": ""},
            ]
        },
    ),
    "multiple_choice": (
        {
            "text": "Which are industrial property?",
            "options-0-text": "Patents",
            "options-0-weight": "50",
            "options-1-text": "Trademarks",
            "options-1-weight": "50%",
            "options-3-text": "Novels",
            "options-3-weight": "-100",
            "options-3-feedback": "Copyright.",
        },
        {
            "options": [
                {"text": "Patents", "weight": 50.0, "feedback": ""},
                {"text": "Trademarks", "weight": 50.0, "feedback": ""},
                {"text": "Novels", "weight": -100.0, "feedback": "Copyright."},
            ]
        },
    ),
    "true_false": (
        {
            "text": "A trade secret must be registered.",
            "answer": "false",
            "feedback_true": "No registration is needed.",
            "feedback_false": "Right.",
        },
        {
            "answer": False,
            "feedback_true": "No registration is needed.",
            "feedback_false": "Right.",
        },
    ),
    "short_answer": (
        {
            "text": "Which organisation runs the PCT?",
            "answers-0-text": "WIPO",
            "answers-0-weight": "100",
            "answers-1-text": "World * Organization",
            "answers-1-weight": "100",
            "answers-1-feedback": "Yes.",
        },
        {
            "answers": [
                {"text": "WIPO", "weight": 100.0, "feedback": ""},
                {"text": "World * Organization", "weight": 100.0, "feedback": "Yes."},
            ]
        },
    ),
    "numerical": (
        {
            "text": "Pi to two places?",
            "answers-0-kind": "tolerance",
            "answers-0-value": "3.14",
            "answers-0-tolerance": "0,01",
            "answers-0-weight": "100",
            "answers-1-kind": "range",
            "answers-1-min": "3",
            "answers-1-max": "4",
            "answers-1-weight": "50",
            "answers-1-feedback": "Close.",
        },
        {
            "answers": [
                {
                    "kind": "tolerance",
                    "value": 3.14,
                    "tolerance": 0.01,
                    "weight": 100.0,
                    "feedback": "",
                },
                {"kind": "range", "min": 3.0, "max": 4.0, "weight": 50.0, "feedback": "Close."},
            ]
        },
    ),
    "matching": (
        {
            "text": "Match each right with what it protects.",
            "pairs-0-left": "Patent",
            "pairs-0-right": "an invention",
            "pairs-1-left": "Trademark",
            "pairs-1-right": "a sign",
            "pairs-2-right": "a recipe",
        },
        {
            "pairs": [
                {"left": "Patent", "right": "an invention"},
                {"left": "Trademark", "right": "a sign"},
                {"left": "", "right": "a recipe"},
            ]
        },
    ),
    "ordering": (
        {
            "text": "Put the steps of a patent in order.",
            "grading": "all_or_nothing",
            "items-0-text": "Invent",
            "items-1-text": "File an application",
            "items-3-text": "Grant",
        },
        {"items": ["Invent", "File an application", "Grant"], "grading": "all_or_nothing"},
    ),
    "cloze": (
        {"text": "A {1:SA:=logo#Yes.~*#No.} is protected by a {2:MC:patent~=trademark}."},
        {
            "gaps": [
                {
                    "kind": "short_answer",
                    "mark": 1,
                    "answers": [
                        {"text": "logo", "weight": 100.0, "feedback": "Yes."},
                        {"text": "*", "weight": 0.0, "feedback": "No."},
                    ],
                },
                {
                    "kind": "choice",
                    "display": "dropdown",
                    "mark": 2,
                    "answers": [
                        {"text": "patent", "weight": 0.0, "feedback": ""},
                        {"text": "trademark", "weight": 100.0, "feedback": ""},
                    ],
                },
            ]
        },
    ),
    "essay": (
        {"text": "Explain why IP matters.", "response_lines": "5"},
        {"response_lines": 5},
    ),
    "description": ({"text": "The next questions are about patents."}, {}),
}
# A type whose answers are written in the text stores the text without them.
STORED_TEXT = {"cloze": "A {#1} is protected by a {#2}."}


@pytest.mark.parametrize("type_name", FORMS)
def test_each_type_is_created_through_its_form(client, organiser, type_name):
    fields, spec = FORMS[type_name]
    url = f"/organiser/bank/new?type={type_name}"
    assert client.get(url).status_code == 200
    data = {**COMMON, **fields, "uid": f"made-{type_name}", "tags": "ip, forms , ip"}
    response = post_form(client, url, data)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.location == f"/organiser/bank/made-{type_name}"
    question = services.find_question(f"made-{type_name}")
    version = services.current_version(question)
    text = STORED_TEXT.get(type_name, fields["text"])
    assert (version.type, version.text, version.spec) == (type_name, text, spec)
    assert version.created_by_id == organiser.id
    assert question.tag_names == ["forms", "ip"]
    assert question.category.path == "IP basics/Marks"
    assert client.get(response.location).status_code == 200


def test_type_chooser_lists_every_type_and_unknown_type_is_404(client, organiser):
    page = client.get("/organiser/bank/new").get_data(as_text=True)
    assert page.count("/organiser/bank/new?type=") == len(FORMS)
    assert client.get("/organiser/bank/new?type=riddle").status_code == 404


def test_a_bad_form_rerenders_with_messages_and_keeps_what_was_typed(client, organiser):
    url = "/organiser/bank/new?type=single_choice"
    data = {
        **COMMON,
        "title": "Kept title",
        "text": "Which right protects a <logo>?",
        "options-0-text": "A trademark",
        "options-0-weight": "lots",
        "options-1-text": "A patent",
        "options-1-weight": "0",
        "options-2-feedback": "Feedback without an option",
    }
    response = post_form(client, url, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter a percentage" in page
    assert "Write the option text, or clear the whole row." in page
    assert 'value="Kept title"' in page
    assert "Which right protects a &lt;logo&gt;?" in page
    assert 'value="lots"' in page
    assert "Feedback without an option" in page
    assert services.find_question("anything") is None

    data["options-0-weight"] = "50"
    del data["options-2-feedback"]
    page = post_form(client, url, data).get_data(as_text=True)
    assert "Give at least one answer with 100% weight." in page
    assert 'value="50"' in page


def test_row_and_answer_mistakes_are_named_beside_their_fields(client, organiser):
    data = {**COMMON, "text": "Pi?", "answers-0-kind": "tolerance", "answers-0-value": "3,14"}
    data |= {"answers-0-weight": "100", "answers-1-kind": "range", "answers-1-min": "three"}
    page = post_form(client, "/organiser/bank/new?type=numerical", data).get_data(as_text=True)
    assert "This kind of answer needs a tolerance (±)." in page
    assert "Enter a number such as 3.14 or -2." in page
    assert 'value="three"' in page and 'value="3,14"' in page
    data = {**COMMON, "text": ""}
    response = post_form(client, "/organiser/bank/new?type=true_false", data)
    assert response.status_code == 400
    assert "Choose whether the statement is true or false." in response.get_data(as_text=True)
    assert "Write the question text." in response.get_data(as_text=True)
    data = {**COMMON, "text": "Match", "pairs-0-left": "Only one", "pairs-0-right": "pair"}
    page = post_form(client, "/organiser/bank/new?type=matching", data).get_data(as_text=True)
    assert "at least two pairs with a question on the left" in page


def test_an_ordering_question_needs_three_to_eight_different_items(client, organiser):
    url = "/organiser/bank/new?type=ordering"
    page = client.get(url).get_data(as_text=True)
    assert page.count('name="items-') == 6  # six rows to start with
    assert re.search(r'value="partial"\s+checked|checked[^>]*value="partial"', page)
    data = {**COMMON, "text": "Order", "items-0-text": "Invent", "items-1-text": "Grant"}
    page = post_form(client, url, data).get_data(as_text=True)
    assert "Give at least 3 items (there are 2)." in page
    data |= {"items-2-text": "grant"}
    page = post_form(client, url, data).get_data(as_text=True)
    assert "Items 2 and 3 are the same" in page
    data = {**COMMON, "text": "Order", **{f"items-{i}-text": f"Step {i}" for i in range(9)}}
    page = post_form(client, url, data).get_data(as_text=True)
    assert "Give at most 8 items (there are 9)." in page
    assert services.find_question("anything") is None


def test_an_ordering_question_is_edited_through_its_form(client, organiser, add_question):
    spec = {"items": ["Invent", "File", "Grant"], "grading": "partial"}
    question = add_question("ordering", uid="steps", spec=spec, text="Order the steps.")
    page = client.get("/organiser/bank/steps/edit").get_data(as_text=True)
    assert 'value="Invent"' in page and 'value="Grant"' in page
    assert page.count('name="items-') == 6  # three items and at least two blank rows
    fields = form_fields(page)
    assert fields["grading"] == "partial"
    fields["grading"] = "all_or_nothing"
    fields["items-1-text"] = "File an application"
    fields["items-3-text"] = "Publish"
    response = client.post("/organiser/bank/steps/edit", data=fields)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert question.version_count == 2
    version = services.current_version(question)
    assert version.spec == {
        "items": ["Invent", "File an application", "Grant", "Publish"],
        "grading": "all_or_nothing",
    }
    preview = client.get("/organiser/bank/steps").get_data(as_text=True)
    assert "Give each item its place, 1 for first." in preview
    assert "The correct order is: 1. Invent; 2. File an application; 3. Grant" in preview


def test_a_duplicate_id_is_reported_beside_the_form(client, organiser, add_question):
    add_question(uid="taken")
    data = {**COMMON, **FORMS["true_false"][0], "uid": "taken"}
    response = post_form(client, "/organiser/bank/new?type=true_false", data)
    assert response.status_code == 400
    assert "already exists" in response.get_data(as_text=True)


def test_edit_adds_version_two_and_the_diff_shows_the_change(client, organiser, add_question):
    question = add_question(uid="logo", tags=["marks"], title="Logo")
    page = client.get("/organiser/bank/logo/edit").get_data(as_text=True)
    assert 'value="Logo"' in page and "A trademark" in page and 'value="marks"' in page
    assert 'name="uid"' not in page
    data = {
        **COMMON,
        "category": "Default",
        "title": "Logo",
        "text": "Which right protects a brand logo?",
        "text_format": "moodle",
        "tags": "marks",
        "options-0-text": "A trademark",
        "options-0-weight": "100",
        "options-0-feedback": "Right.",
        "options-1-text": "A patent",
        "options-1-weight": "0",
        "options-1-feedback": "No.",
    }
    response = post_form(client, "/organiser/bank/logo/edit", data)
    assert response.status_code == 302
    assert question.version_count == 2
    assert "Saved as version 2." in client.get(response.location).get_data(as_text=True)

    diff = client.get("/organiser/bank/logo/versions?a=1&b=2").get_data(as_text=True)
    assert "- removed" in diff and "+ added" in diff
    assert "<del>    Which right protects a logo?</del>" in diff
    assert "<ins>    Which right protects a brand logo?</ins>" in diff
    assert client.get("/organiser/bank/logo/versions").get_data(as_text=True) == diff

    again = post_form(client, "/organiser/bank/logo/edit", data)
    assert "No changes: no new version" in client.get(again.location).get_data(as_text=True)
    assert question.version_count == 2


def test_edit_moves_category_and_retags_without_a_new_version(client, organiser, add_question):
    question = add_question(uid="logo", tags=["marks"])
    data = {
        **COMMON,
        "category": "Elsewhere",
        "text": "Which right protects a logo?",
        "text_format": "moodle",
        "tags": "brands",
        "options-0-text": "A trademark",
        "options-0-weight": "100",
        "options-0-feedback": "Right.",
        "options-1-text": "A patent",
        "options-1-weight": "0",
        "options-1-feedback": "No.",
    }
    response = post_form(client, "/organiser/bank/logo/edit", data)
    assert response.status_code == 302
    assert question.version_count == 1
    assert question.tag_names == ["brands"] and question.category.path == "Elsewhere"


def test_imported_questions_save_unchanged_from_their_edit_form(client, organiser):
    """Every question of the GIFT fixture comes back from its edit form as the same content."""
    apply_import(read_gift((FIXTURES / "question_types.gift").read_bytes()))
    db.session.commit()
    uids = db.session.scalars(select(Question.uid)).all()
    assert len(uids) > 10
    for uid in uids:
        page = client.get(f"/organiser/bank/{uid}/edit").get_data(as_text=True)
        response = client.post(f"/organiser/bank/{uid}/edit", data=form_fields(page))
        assert response.status_code == 302, (uid, response.get_data(as_text=True))
        assert services.find_question(uid).version_count == 1, uid


def test_retire_hides_a_question_from_the_default_list_and_restore_brings_it_back(
    client, organiser, add_question
):
    add_question(uid="old-one")
    add_question(uid="kept-one")
    assert "old-one" in client.get("/organiser/bank").get_data(as_text=True)
    response = post_form(
        client, "/organiser/bank/old-one/retire", {}, token_from="/organiser/bank/old-one"
    )
    assert response.status_code == 302
    assert response.location == "/organiser/bank/old-one"
    assert "Question old-one retired" in client.get(response.location).get_data(as_text=True)
    listing = client.get("/organiser/bank").get_data(as_text=True)
    assert "old-one" not in listing and "kept-one" in listing
    assert "old-one" in client.get("/organiser/bank?retired=y").get_data(as_text=True)
    assert services.find_question("old-one").retired

    post_form(client, "/organiser/bank/old-one/restore", {}, token_from="/organiser/bank/old-one")
    assert "old-one" in client.get("/organiser/bank").get_data(as_text=True)
    assert not services.find_question("old-one").retired


def test_retire_without_csrf_token_is_refused(client, organiser, add_question):
    add_question(uid="keep")
    assert client.post("/organiser/bank/keep/retire").status_code == 400
    assert not services.find_question("keep").retired
