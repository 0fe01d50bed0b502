"""The student's view of a question: everything needed to answer, nothing of the key."""

from __future__ import annotations

import re

import pytest

from camp.accounts.models import Role
from camp.bank.presentation import (
    diff_lines,
    key_view,
    student_question_view,
    version_lines,
)
from camp.bank.services import QuestionDraft
from tests.authoring.conftest import csrf_token

SECRETS = ("Sekrit", "37.5", "12.5", "weight", "feedback", "correct")


def _fb(n):
    return f"Sekrit feedback {n}"


DRAFTS = {
    "single_choice": {
        "options": [
            {"text": "Trademark", "weight": 100.0, "feedback": _fb(1)},
            {"text": "Patent", "weight": 37.5, "feedback": _fb(2)},
            {"text": "Copyright", "weight": 0.0, "feedback": ""},
        ]
    },
    "multiple_choice": {
        "options": [
            {"text": "Patents", "weight": 62.5, "feedback": _fb(1)},
            {"text": "Designs", "weight": 37.5, "feedback": _fb(2)},
            {"text": "Novels", "weight": -12.5, "feedback": _fb(3)},
        ]
    },
    "true_false": {"answer": False, "feedback_true": _fb(1), "feedback_false": _fb(2)},
    "short_answer": {"answers": [{"text": "Sekrit answer", "weight": 100.0, "feedback": _fb(1)}]},
    "numerical": {
        "answers": [
            {
                "kind": "tolerance",
                "value": 314159.0,
                "tolerance": 0.5,
                "weight": 100.0,
                "feedback": _fb(1),
            },
            {"kind": "range", "min": 3.0, "max": 4.0, "weight": 37.5, "feedback": _fb(2)},
        ]
    },
    "matching": {
        "pairs": [
            {"left": "Patent", "right": "Inventions"},
            {"left": "Trademark", "right": "Brands"},
            {"left": "", "right": "Recipes"},
        ]
    },
    "essay": {"response_lines": 4},
    "description": {},
}


def draft(type_, text="Question text here.", text_format="markdown"):
    return QuestionDraft(
        type=type_,
        text=text,
        spec=DRAFTS[type_],
        title="Title",
        text_format=text_format,
        general_feedback="Sekrit general",
    )


def render_macro(app, view, **kwargs):
    macro = app.jinja_env.get_template("_macros/question.html").module.question
    return str(macro(view, **kwargs))


def assert_no_key(text):
    lowered = text.lower()
    for secret in SECRETS:
        assert secret.lower() not in lowered, secret
    assert "314159" not in text  # the numerical answer


@pytest.mark.parametrize("type_name", DRAFTS)
def test_student_view_and_macro_hold_nothing_of_the_key(app, type_name):
    version = draft(type_name)
    assert not version.problems()
    view = student_question_view(version, number=3)
    assert view["number"] == 3 and view["field_name"] == "answer"
    assert "Question text here." in view["text_html"]
    assert_no_key(repr({k: v for k, v in view.items() if k != "title"}))
    assert_no_key(render_macro(app, view))


@pytest.mark.parametrize("type_name", DRAFTS)
def test_question_page_student_preview_holds_nothing_of_the_key(
    client, organiser, add_question, type_name
):
    version = draft(type_name)
    add_question(
        type_name,
        uid=f"p-{type_name}",
        text=version.text,
        spec=version.spec,
        general_feedback=version.general_feedback,
    )
    page = client.get(f"/organiser/bank/p-{type_name}").get_data(as_text=True)
    student = page.split('id="student-preview"')[1].split('id="answer-key"')[0]
    assert_no_key(student)
    assert "disabled" in student or type_name == "description"
    key = page.split('id="answer-key"')[1]
    if type_name != "essay" and type_name != "description":
        assert "Sekrit" in key


WIDGETS = {
    "single_choice": ['type="radio"', "<fieldset>", "<legend"],
    "multiple_choice": ['type="checkbox"', "Select all that apply."],
    "true_false": ['type="radio"', 'value="true"', 'value="false"', ">True<", ">False<"],
    "short_answer": ['type="text"', 'for="q1-answer"'],
    "numerical": ['type="text" inputmode="decimal"', 'for="q1-answer"'],
    "matching": ["<select", '<option value="" selected>Choose…</option>', 'for="q1-stem-1"'],
    "essay": ["<textarea", 'rows="4"', 'for="q1-answer"'],
    "description": ["Question text here."],
}


@pytest.mark.parametrize("type_name", DRAFTS)
def test_each_widget_is_accessible_markup(app, type_name):
    html = render_macro(app, student_question_view(draft(type_name), number=1))
    for expected in WIDGETS[type_name]:
        assert expected in html, expected
    if type_name == "description":
        assert "<input" not in html and "<fieldset" not in html
    for control in re.findall(r'<(?:input|select|textarea)[^>]* id="([^"]+)"', html):
        assert f'for="{control}"' in html, control


def test_saved_answers_and_opaque_values_show_in_the_view(app):
    token = "tok{}".format
    view = student_question_view(
        draft("multiple_choice"), number=1, order=[2, 0, 1], value_for=token,
        response={"selected": [0, 2]},
    )  # fmt: skip
    assert [(o["value"], o["checked"]) for o in view["options"]] == [
        ("tok2", True),
        ("tok0", True),
        ("tok1", False),
    ]
    matching = student_question_view(
        draft("matching"), number=2, value_for=token, response={"matches": {"1": 0}},
        field_name="q-7",
    )  # fmt: skip
    assert [s["selected"] for s in matching["stems"]] == ["", "tok0"]
    assert [s["field_name"] for s in matching["stems"]] == ["q-7-0", "q-7-1"]
    html = render_macro(app, matching)
    assert '<option value="tok0" selected>Brands</option>' in html
    tf = student_question_view(draft("true_false"), number=1, response={"value": False})
    assert [o["checked"] for o in tf["options"]] == [False, True]
    essay = student_question_view(draft("essay"), number=1, response={"text": "\nMy <essay>"})
    html = render_macro(app, essay)
    assert ">\n\nMy &lt;essay&gt;</textarea>" in html


def test_key_view_lists_weights_feedback_and_the_right_answer():
    key = key_view(draft("single_choice"))
    assert key["correct_answer_text"] == "The correct answer is: Trademark"
    assert [a["weight"] for a in key["answers"]] == ["100%", "37.5%", "0%"]
    assert "Sekrit feedback 1" in key["answers"][0]["feedback_html"]
    assert "Sekrit general" in key["general_feedback_html"]
    assert key_view(draft("essay"))["grading"] == "Graded by an organiser."


def test_version_lines_and_diff_mark_added_and_removed_lines():
    before = version_lines(draft("single_choice"))
    after = version_lines(draft("single_choice", text="Changed text."))
    diff = diff_lines(before, after)
    assert [(d.kind, d.text) for d in diff if d.kind != "same"] == [
        ("removed", "    Question text here."),
        ("added", "    Changed text."),
    ]
    assert "  2. [37.5%] Patent" in before


HOSTILE = (
    '<p>Pick one <script>alert("x")</script><img src="x" onerror="alert(1)">'
    '<a href="javascript:alert(2)">link</a></p>'
)


@pytest.mark.parametrize("text_format", ["html", "markdown", "moodle", "plain"])
def test_hostile_question_text_renders_sanitised(client, organiser, add_question, text_format):
    spec = {
        "options": [
            {
                "text": "<b onmouseover=alert(3)>Yes</b><script>bad()</script>",
                "weight": 100.0,
                "feedback": "<script>fb()</script>",
            },
            {"text": "No", "weight": 0.0, "feedback": ""},
        ]
    }
    add_question(
        uid="hostile", text=HOSTILE, text_format=text_format, spec=spec,
        title="<script>title()</script>", general_feedback='<img src=x onerror="gf()">',
    )  # fmt: skip
    page = client.get("/organiser/bank/hostile").get_data(as_text=True)
    assert "<script" not in page.lower()
    assert not re.search(r"<[^>]+\son\w+=", page)
    assert not re.search(r"<a\s[^>]*javascript:", page)
    assert "Pick one" in page


def test_a_student_gets_403_on_every_bank_page(app, client, make, login, add_question):
    add_question(uid="any")
    login(make.user(Role.STUDENT))
    token = csrf_token(client, "/account")
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("authoring.bank.")]
    assert len(rules) >= 10
    for rule in rules:
        url = rule.build({"uid": "any"})[1]
        if "GET" in rule.methods:
            assert client.get(url).status_code == 403, url
        else:
            assert client.post(url, data={"csrf_token": token}).status_code == 403, url
