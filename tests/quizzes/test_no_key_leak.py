"""No correct answer, weight or feedback reaches a student's browser before the review
policy allows it: not in the HTML, attributes, option values or the autosave replies."""

from __future__ import annotations

import re

from camp.bank.question_types import REGISTRY
from camp.bank.services import QuestionDraft
from camp.quizzes.models import Layout, ReviewWhen
from tests.accounts.test_views import csrf_token

SECRET = "SECRETKEY"  # every feedback text and every accepted answer carries this marker
ORDERED = ("Iota first", "Kappa second", "Lambda third")  # an ordering question's key


def drafts():
    fb = lambda n: f"{SECRET} feedback {n}"  # noqa: E731
    return [
        QuestionDraft(
            type="single_choice",
            text="Pick one",
            general_feedback=f"{SECRET} general",
            spec={
                "options": [
                    {"text": "Alpha", "weight": 100, "feedback": fb(1)},
                    {"text": "Beta", "weight": 0, "feedback": fb(2)},
                ]
            },
        ),
        QuestionDraft(
            type="multiple_choice",
            text="Pick several",
            spec={
                "options": [
                    {"text": "Gamma", "weight": 50, "feedback": fb(3)},
                    {"text": "Delta", "weight": 50, "feedback": fb(4)},
                    {"text": "Epsilon", "weight": -100, "feedback": fb(5)},
                ]
            },
        ),
        QuestionDraft(
            type="true_false",
            text="Is it true?",
            spec={"answer": True, "feedback_true": fb(6), "feedback_false": fb(7)},
        ),
        QuestionDraft(
            type="short_answer",
            text="Name the city",
            spec={"answers": [{"text": f"{SECRET}city", "weight": 100, "feedback": fb(8)}]},
        ),
        QuestionDraft(
            type="numerical",
            text="How many years?",
            spec={
                "answers": [{"kind": "exact", "value": 31415.0, "weight": 100, "feedback": fb(9)}]
            },
        ),
        QuestionDraft(
            type="matching",
            text="Match them",
            spec={
                "pairs": [
                    {"left": "Patent", "right": "Zeta invention"},
                    {"left": "Trademark", "right": "Eta sign"},
                    {"left": "", "right": "Theta distractor"},
                ]
            },
        ),
        QuestionDraft(
            type="ordering",
            text="Put them in order",
            spec={"items": list(ORDERED), "grading": "partial"},
        ),
        QuestionDraft(
            type="cloze",
            text="Fill in {#1}, {#2}, {#3} and {#4}.",
            spec={
                "gaps": [
                    {
                        "kind": "short_answer",
                        "mark": 1,
                        "answers": [{"text": f"{SECRET}town", "weight": 100, "feedback": fb(10)}],
                    },
                    {
                        "kind": "numerical",
                        "mark": 2,
                        "answers": [
                            {"kind": "exact", "value": 31415.0, "weight": 100, "feedback": fb(11)}
                        ],
                    },
                    {
                        "kind": "choice",
                        "display": "dropdown",
                        "mark": 1,
                        "answers": [
                            {"text": "Iota", "weight": 100, "feedback": fb(12)},
                            {"text": "Kappa", "weight": 0, "feedback": fb(13)},
                        ],
                    },
                    {
                        "kind": "choice",
                        "display": "vertical",
                        "mark": 1,
                        "answers": [
                            {"text": "Lambda", "weight": 0, "feedback": fb(14)},
                            {"text": "Mu", "weight": 100, "feedback": fb(15)},
                        ],
                    },
                ]
            },
        ),
        QuestionDraft(type="essay", text="Explain", general_feedback=f"{SECRET} essay", spec={}),
        QuestionDraft(type="description", text="Read this first.", spec={}),
    ]


def assert_no_key(text: str) -> None:
    assert SECRET not in text
    assert "31415" not in text
    assert "weight" not in text.lower()
    assert not re.search(r"\bcorrect\b", text, re.IGNORECASE)
    # Option values are opaque per attempt: never the option's index.
    assert not re.search(r'name="q\d+(-\d+)?" value="\d"', text)
    assert not re.search(r'<option value="\d">', text)
    # An ordering question's items never appear in their right order.
    at = [text.find(item) for item in ORDERED]
    assert -1 in at or at != sorted(at)


def test_no_page_of_an_attempt_carries_the_key(client, login, make):
    questions = [make.question(d) for d in drafts()]
    quiz = make.quiz(
        questions,
        layout=Layout.ONE_PER_PAGE,
        review_feedback=ReviewWhen.NEVER,
        review_answers=ReviewWhen.NEVER,
        review_marks=ReviewWhen.NEVER,
    )
    login(make.user())
    token = csrf_token(client, f"/quizzes/{quiz.id}")
    assert_no_key(client.get(f"/quizzes/{quiz.id}").get_data(as_text=True))
    url = client.post(f"/quizzes/{quiz.id}/start", data={"csrf_token": token}).location
    attempt_id = re.search(r"/attempts/(\d+)", url).group(1)
    widgets_seen = set()
    for page in range(1, len(questions) + 1):
        html = client.get(f"{url}?page={page}").get_data(as_text=True)
        assert_no_key(html)
        widgets_seen.update(re.findall(r'class="question type-(\w+)', html))
        answers = {}
        for name, value in re.findall(r'name="(q\d+(?:-\d+)?)" value="([0-9a-f]{12})"', html):
            answers.setdefault(name, value)
        for name in re.findall(r'<select id="[^"]+" name="(q\d+-\d+)"', html):
            answers[name] = re.findall(
                rf'name="{name}"[^>]*>.*?<option value="([0-9a-f]+(?::\d)?)"', html, re.DOTALL
            )[0]
        for name in re.findall(r'<(?:input type="text"|textarea)[^>]* name="(q\d+)"', html):
            answers[name] = "31415" if "decimal" in html else "an answer"
        positions = re.findall(r'name="positions" value="(\d+)"', html)
        reply = client.post(
            f"/attempts/{attempt_id}/autosave",
            data={"positions": positions, **answers},
            headers={"X-CSRFToken": token},
        )
        assert reply.status_code == 200
        assert SECRET not in reply.get_data(as_text=True)
        assert_no_key(client.get(f"{url}?page={page}").get_data(as_text=True).replace("31415", ""))
    assert widgets_seen == set(REGISTRY)
    summary = client.get(f"/attempts/{attempt_id}/summary").get_data(as_text=True)
    assert_no_key(summary)
    client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token})
    review = client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert SECRET not in review
    assert "✓ Correct" not in review and "Incorrect" not in review  # marks: never


def test_matching_choices_do_not_follow_the_pairs(make):
    from camp.quizzes.paper import draw_paper

    question = make.question(drafts()[5])
    quiz = make.quiz([question])
    [drawn] = draw_paper(quiz, "seed")
    # Alphabetical (case-folded): Eta, Theta, Zeta; never the pair order Zeta, Eta, Theta.
    texts = ["Zeta invention", "Eta sign", "Theta distractor"]
    from camp.bank.question_types import get_type

    choices = get_type("matching").student_view(question.versions[0].spec, drawn.option_order)[
        "choices"
    ]
    assert [c["text"] for c in choices] == sorted(texts)
