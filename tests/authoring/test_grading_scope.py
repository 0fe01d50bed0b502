"""Regrades and full marks reach only the students of the cohorts the organiser runs; an
admin's reach every student. Quizzes and questions are shared, grades are per student."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from camp.accounts.models import Role
from camp.bank import services as bank
from camp.bank.models import QuestionVersion
from camp.bank.services import QuestionDraft
from camp.extensions import db
from camp.quizzes import attempts, services
from camp.quizzes.models import Attempt, AttemptQuestion, GradeChange

NOW = datetime(2026, 8, 20, 9, 0, tzinfo=UTC)


def post(client, url):
    page = client.get(url).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    return client.post(url, data={"csrf_token": token}, follow_redirects=True)


def choose(paper_question, text):
    options = paper_question.version.spec["options"]
    return {"selected": next(i for i, o in enumerate(options) if o["text"] == text)}


def submitted_attempt(student, quiz, picks):
    """`student` answers each question with the option text in `picks`, and submits."""
    attempt = db.session.get(Attempt, services.start_attempt(student, quiz, NOW))
    paper = attempts.paper_of(attempt)
    responses = {pq.slot.position: choose(pq, pick) for pq, pick in zip(paper, picks, strict=True)}
    services.save_responses(attempt, responses, NOW)
    attempts.submit_attempt(attempt, NOW)
    db.session.commit()
    return attempt


@pytest.fixture
def world(make):
    """Two organisers each run a cohort with one student. Both students answered the
    flawed question `flawed` wrongly ("No") and the other question rightly: 50 %."""
    a, b = make.user(Role.ORGANISER), make.user(Role.ORGANISER)
    ada, bob = make.user(name="Ada Student"), make.user(name="Bob Student")
    make.member(make.cohort(organiser=a), ada)
    make.member(make.cohort(organiser=b), bob)
    flawed = make.choice_question("flawed-1", right="Yes", wrong=("No",))
    fine = make.choice_question("fine-1", right="Right", wrong=("Wrong",))
    quiz = make.quiz([flawed, fine], title="Shared quiz")
    return {
        "a": a,
        "b": b,
        "quiz": quiz,
        "flawed": flawed,
        "ada": submitted_attempt(ada, quiz, ["No", "Right"]).id,
        "bob": submitted_attempt(bob, quiz, ["No", "Right"]).id,
    }


def flawed_slot(attempt_id):
    """(fraction, version number) of the flawed question on an attempt, and its score."""
    db.session.expire_all()
    fraction, number = db.session.execute(
        select(AttemptQuestion.fraction, QuestionVersion.number)
        .join(QuestionVersion, QuestionVersion.id == AttemptQuestion.question_version_id)
        .where(AttemptQuestion.attempt_id == attempt_id, AttemptQuestion.position == 1)
    ).one()
    return fraction, number, db.session.get(Attempt, attempt_id).score


def fix_the_key(question):
    """A new version where "No" was right after all."""
    fixed = QuestionDraft(
        type="single_choice",
        text="Pick Yes",
        spec={
            "options": [
                {"text": "Yes", "weight": 0, "feedback": ""},
                {"text": "No", "weight": 100, "feedback": ""},
            ]
        },
    )
    bank.revise_question(question, fixed)
    db.session.commit()


def urls(world):
    quiz, uid = world["quiz"].id, world["flawed"].uid
    return (
        f"/organiser/quizzes/{quiz}/full-marks/{uid}",
        f"/organiser/quizzes/{quiz}/regrade/{uid}",
    )


UNTOUCHED = (0.0, 1, pytest.approx(0.5))


def test_an_organisers_full_marks_change_only_their_students(client, login, world):
    full_url, _ = urls(world)
    login(world["a"])
    page = post(client, full_url).get_data(as_text=True)
    assert (
        "done, 1 attempt(s) changed. 1 attempt(s) of students in cohorts you do not run "
        "were left unchanged." in page
    )
    assert flawed_slot(world["ada"]) == (1.0, 1, 1.0)
    assert flawed_slot(world["bob"]) == UNTOUCHED
    change = db.session.scalar(select(GradeChange))
    assert change.user_id == world["a"].id
    assert change.detail["attempts"] == 1 and change.detail["scope"] == "own cohorts"


def test_an_organisers_regrade_changes_only_their_students(client, login, world):
    _, regrade_url = urls(world)
    fix_the_key(world["flawed"])
    login(world["a"])
    page = post(client, regrade_url).get_data(as_text=True)
    assert "done, 1 attempt(s) changed" in page
    assert flawed_slot(world["ada"]) == (1.0, 2, 1.0)
    assert flawed_slot(world["bob"]) == UNTOUCHED
    change = db.session.scalar(select(GradeChange))
    assert change.detail["changed"] == 1 and change.detail["scope"] == "own cohorts"
    # The other organiser regrades their own student later, on their own decision.
    login(world["b"])
    assert "done, 1 attempt(s) changed" in post(client, regrade_url).get_data(as_text=True)
    assert flawed_slot(world["bob"]) == (1.0, 2, 1.0)


@pytest.mark.parametrize("kind", ["full_marks", "regrade"])
def test_an_admin_changes_every_student(client, login, make, world, kind):
    full_url, regrade_url = urls(world)
    if kind == "regrade":
        fix_the_key(world["flawed"])
    login(make.user(Role.ADMIN))
    page = post(client, full_url if kind == "full_marks" else regrade_url).get_data(as_text=True)
    assert "done, 2 attempt(s) changed" in page
    version = 1 if kind == "full_marks" else 2
    assert flawed_slot(world["ada"]) == (1.0, version, 1.0)
    assert flawed_slot(world["bob"]) == (1.0, version, 1.0)
    assert db.session.scalar(select(GradeChange)).detail["scope"] == "all"


@pytest.mark.parametrize("which", [0, 1])
def test_the_confirmation_counts_only_the_organisers_students(client, login, make, world, which):
    url = urls(world)[which]
    login(world["a"])
    page = client.get(url).get_data(as_text=True)
    assert "<dt>Submitted attempts it changes</dt><dd>1</dd>" in page
    assert (
        "1 submitted attempt(s) of students in cohorts you do not run are left unchanged; "
        "an admin or their organiser can change them." in page
    )
    login(make.user(Role.ADMIN))
    page = client.get(url).get_data(as_text=True)
    assert "<dt>Submitted attempts it changes</dt><dd>2</dd>" in page
    assert "cohorts you do not run" not in page


@pytest.mark.parametrize("which", [0, 1])
def test_an_organiser_without_such_students_changes_nothing(client, login, make, world, which):
    url = urls(world)[which]
    fix_the_key(world["flawed"])
    nobody = make.user(Role.ORGANISER)
    make.cohort(organiser=nobody)
    login(nobody)
    page = client.get(url).get_data(as_text=True)
    assert "<dt>Submitted attempts it changes</dt><dd>0</dd>" in page
    assert "2 submitted attempt(s) of students in cohorts you do not run" in page
    response = post(client, url)
    assert response.status_code == 200
    assert (
        "no submitted attempt of a student in a cohort you run showed this question; "
        "nothing changed." in response.get_data(as_text=True)
    )
    assert flawed_slot(world["ada"]) == UNTOUCHED
    assert flawed_slot(world["bob"]) == UNTOUCHED
    assert db.session.scalar(select(GradeChange)) is None


def test_an_admin_is_told_when_no_attempt_showed_the_question(client, login, make, world):
    unused = make.choice_question("unused-1")
    login(make.user(Role.ADMIN))
    url = f"/organiser/quizzes/{world['quiz'].id}/full-marks/{unused.uid}"
    assert "<dt>Submitted attempts it changes</dt><dd>0</dd>" in client.get(url).get_data(
        as_text=True
    )
    page = post(client, url).get_data(as_text=True)
    assert "no submitted attempt showed this question; nothing changed." in page
    assert db.session.scalar(select(GradeChange)) is None
