"""The attempt lifecycle, edge by edge, through the services (no requests)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from camp.bank import services as bank
from camp.bank.services import QuestionDraft
from camp.extensions import db
from camp.quizzes import answers, attempts, grading, services
from camp.quizzes.errors import (
    AttemptFinished,
    DeadlinePassed,
    NoAttemptsLeft,
    QuizClosed,
    QuizNotOpen,
)
from camp.quizzes.models import Attempt, AttemptState, GradeChange, QuizOverride, QuizWindow

NOW = datetime(2026, 8, 20, 9, 0, tzinfo=UTC)


@pytest.fixture
def student(make):
    return make.user()


@pytest.fixture
def questions(make):
    return [make.choice_question(right=f"Right {i}") for i in range(3)]


def choose(paper_question, text):
    """The response choosing the option with this text."""
    options = paper_question.version.spec["options"]
    return {"selected": next(i for i, o in enumerate(options) if o["text"] == text)}


def start(student, quiz, now):
    """The attempt that Start gives (services.start_attempt returns its id)."""
    return db.session.get(Attempt, services.start_attempt(student, quiz, now))


def test_start_twice_gives_one_attempt(make, student, questions):
    quiz = make.quiz(questions)
    first = services.start_attempt(student, quiz, NOW)
    second = services.start_attempt(student, quiz, NOW + timedelta(seconds=5))
    db.session.commit()
    assert first == second
    assert db.session.scalar(select(func.count(Attempt.id))) == 1


def test_a_reload_shows_the_same_paper_and_answers(make, student):
    pool = [make.choice_question(category="Pool", right=f"R{i}") for i in range(8)]
    quiz = make.quiz(shuffle_questions=True, shuffle_options=True)
    from camp.quizzes.models import QuizSlot

    quiz.slots.append(QuizSlot(position=1, kind="random", category_id=pool[0].category_id, count=4))
    db.session.commit()
    attempt = start(student, quiz, NOW)
    paper = attempts.paper_of(attempt)
    services.save_responses(attempt, {1: {"selected": 2}}, NOW)
    db.session.commit()
    db.session.expire_all()
    again = attempts.paper_of(db.session.get(Attempt, attempt.id))
    assert [(p.version.id, p.slot.option_order) for p in again] == [
        (p.version.id, p.slot.option_order) for p in paper
    ]
    assert len(again) == 4 and len({p.version.question_id for p in again}) == 4
    assert again[0].slot.response == {"selected": 2}


def test_an_answer_after_the_deadline_is_refused_and_the_attempt_closed(make, student, questions):
    quiz = make.quiz(questions, time_limit_minutes=10)
    attempt = start(student, quiz, NOW)
    paper = attempts.paper_of(attempt)
    services.save_responses(attempt, {1: choose(paper[0], "Right 0")}, NOW + timedelta(minutes=9))
    late = NOW + timedelta(minutes=11)
    with pytest.raises(DeadlinePassed):
        services.save_responses(attempt, {2: choose(paper[1], "Right 1")}, late)
    assert attempt.state == AttemptState.SUBMITTED and attempt.auto_submitted
    assert attempt.submitted_at == NOW + timedelta(minutes=10)
    assert attempt.score == pytest.approx(1 / 3)


def test_an_answer_in_the_grace_period_is_kept(make, student, questions):
    quiz = make.quiz(questions, time_limit_minutes=10)
    attempt = start(student, quiz, NOW)
    paper = attempts.paper_of(attempt)
    just_late = NOW + timedelta(minutes=10, seconds=20)
    services.save_responses(attempt, {1: choose(paper[0], "Right 0")}, just_late)
    assert attempt.state == AttemptState.IN_PROGRESS


def test_an_overdue_attempt_is_closed_by_whoever_touches_it(make, student, questions):
    quiz = make.quiz(questions, time_limit_minutes=5)
    attempt = start(student, quiz, NOW)
    paper = attempts.paper_of(attempt)
    services.save_responses(attempt, {2: choose(paper[1], "Right 1")}, NOW + timedelta(minutes=1))
    db.session.commit()
    assert attempts.close_overdue(NOW + timedelta(minutes=4)) == 0
    assert attempts.close_overdue(NOW + timedelta(hours=1)) == 1
    db.session.refresh(attempt)
    assert attempt.state == AttemptState.SUBMITTED
    assert attempt.score == pytest.approx(1 / 3)
    assert attempt.submitted_at == NOW + timedelta(minutes=5)


def test_starting_again_after_an_overdue_attempt_closes_it_first(make, student, questions):
    quiz = make.quiz(questions, time_limit_minutes=5)
    first = start(student, quiz, NOW)
    second = start(student, quiz, NOW + timedelta(hours=1))
    assert first.state == AttemptState.SUBMITTED and second.number == 2


def test_double_submit_grades_once(make, student, questions):
    quiz = make.quiz(questions)
    attempt = start(student, quiz, NOW)
    paper = attempts.paper_of(attempt)
    services.save_responses(attempt, {1: choose(paper[0], "Right 0")}, NOW)
    assert attempts.submit_attempt(attempt, NOW) is True
    assert attempts.submit_attempt(attempt, NOW + timedelta(seconds=1)) is False
    assert attempt.submitted_at == NOW
    with pytest.raises(AttemptFinished):
        services.save_responses(attempt, {2: choose(paper[1], "Right 1")}, NOW)
    assert attempt.score == pytest.approx(1 / 3)


def test_no_new_start_when_attempts_are_used_up(make, student, questions):
    quiz = make.quiz(questions, attempts_allowed=2)
    for minute in range(2):
        attempt = start(student, quiz, NOW + timedelta(minutes=minute))
        attempts.submit_attempt(attempt, NOW + timedelta(minutes=minute))
    with pytest.raises(NoAttemptsLeft, match="used all your attempts"):
        services.start_attempt(student, quiz, NOW + timedelta(minutes=5))


def test_extra_attempts_and_extra_time_for_one_student(make, student, questions):
    other = make.user()
    quiz = make.quiz(questions, attempts_allowed=1, time_limit_minutes=10)
    db.session.add(
        QuizOverride(quiz_id=quiz.id, user_id=student.id, extra_minutes=15, extra_attempts=1)
    )
    db.session.commit()
    mine = start(student, quiz, NOW)
    theirs = start(other, quiz, NOW)
    assert mine.deadline == NOW + timedelta(minutes=25)
    assert theirs.deadline == NOW + timedelta(minutes=10)
    attempts.submit_attempt(mine, NOW)
    attempts.submit_attempt(theirs, NOW)
    assert start(student, quiz, NOW).number == 2
    with pytest.raises(NoAttemptsLeft):
        services.start_attempt(other, quiz, NOW)


def test_a_closed_quiz_cannot_be_started(make, student, questions):
    cohort = make.cohort()
    make.member(cohort, student)
    quiz = make.quiz(questions)
    db.session.add(
        QuizWindow(
            quiz_id=quiz.id,
            cohort_id=cohort.id,
            opens_at=NOW - timedelta(days=2),
            closes_at=NOW - timedelta(days=1),
        )
    )
    db.session.commit()
    with pytest.raises(QuizClosed, match="This quiz is closed"):
        services.start_attempt(student, quiz, NOW)


def test_a_quiz_not_yet_open_cannot_be_started(make, student, questions):
    cohort = make.cohort()
    make.member(cohort, student)
    quiz = make.quiz(questions)
    db.session.add(
        QuizWindow(quiz_id=quiz.id, cohort_id=cohort.id, opens_at=NOW + timedelta(hours=1))
    )
    db.session.commit()
    with pytest.raises(QuizNotOpen):
        services.start_attempt(student, quiz, NOW)
    assert start(student, quiz, NOW + timedelta(hours=2)).number == 1


def test_the_database_refuses_a_second_attempt_in_progress(make, student, questions):
    quiz = make.quiz(questions)
    services.start_attempt(student, quiz, NOW)
    db.session.commit()
    db.session.add(
        Attempt(
            quiz_id=quiz.id,
            user_id=student.id,
            number=2,
            seed="x",
            state=AttemptState.IN_PROGRESS,
            started_at=NOW,
        )
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_editing_a_used_question_keeps_the_attempts_paper_and_score(make, student):
    question = make.choice_question(right="Paris")
    quiz = make.quiz([question])
    attempt = start(student, quiz, NOW)
    [paper_question] = attempts.paper_of(attempt)
    services.save_responses(attempt, {1: choose(paper_question, "Paris")}, NOW)
    attempts.submit_attempt(attempt, NOW)
    db.session.commit()
    version = bank.current_version(question)
    edited = QuestionDraft(
        type="single_choice",
        text="Pick the capital",
        spec={
            "options": [
                {"text": "Paris", "weight": 0, "feedback": ""},
                {"text": "Lyon", "weight": 100, "feedback": ""},
            ]
        },
    )
    bank.revise_question(question, edited)
    db.session.commit()
    db.session.expire_all()
    [after] = attempts.paper_of(db.session.get(Attempt, attempt.id))
    assert after.version.id == version.id and after.version.text == "Pick Paris"
    assert db.session.get(Attempt, attempt.id).score == 1.0


def test_regrade_after_a_fix_and_full_marks_are_recorded(make, student):
    organiser = make.user("organiser")
    make.member(make.cohort(organiser=organiser), student)
    question = make.choice_question(right="Paris", wrong=("Lyon",))
    quiz = make.quiz([question])
    attempt = start(student, quiz, NOW)
    [pq] = attempts.paper_of(attempt)
    services.save_responses(attempt, {1: choose(pq, "Lyon")}, NOW)
    attempts.submit_attempt(attempt, NOW)
    assert attempt.score == 0
    fixed = QuestionDraft(
        type="single_choice",
        text="Pick Paris",
        spec={
            "options": [
                {"text": "Paris", "weight": 100, "feedback": ""},
                {"text": "Lyon", "weight": 100, "feedback": "Also accepted."},
            ]
        },
    )
    bank.revise_question(question, fixed)
    assert grading.regrade_question(quiz, question, actor=organiser, now=NOW) == 1
    assert attempt.score == 1.0
    assert grading.give_full_marks(quiz, question, actor=organiser, now=NOW) == 1
    kinds = db.session.scalars(select(GradeChange.kind).order_by(GradeChange.id)).all()
    assert kinds == ["regrade", "full_marks"]


def test_essays_wait_for_a_grader_and_then_update_the_score(make, student):
    organiser = make.user("organiser")
    essay = make.question(QuestionDraft(type="essay", text="Explain the 3C advice.", spec={}))
    choice = make.choice_question(right="Yes")
    quiz = make.quiz([essay, choice])
    attempt = start(student, quiz, NOW)
    paper = attempts.paper_of(attempt)
    services.save_responses(
        attempt, {1: {"text": "Comprehension..."}, 2: choose(paper[1], "Yes")}, NOW
    )
    attempts.submit_attempt(attempt, NOW)
    assert attempt.score is None and attempt.needs_grading
    essay_slot = attempts.paper_of(attempt)[0].slot
    grading.grade_by_hand(
        essay_slot, fraction=0.5, comment="Good start.", grader=organiser, now=NOW
    )
    assert attempt.score == 0.75 and not attempt.needs_grading


@pytest.mark.parametrize(
    ("method", "expected"), [("highest", 1.0), ("average", 0.5), ("first", 0.0), ("last", 1.0)]
)
def test_quiz_grade_by_method(make, student, method, expected):
    question = make.choice_question(right="Yes", wrong=("No",))
    quiz = make.quiz([question], grading_method=method)
    for minute, answer in enumerate(["No", "Yes"]):
        attempt = start(student, quiz, NOW + timedelta(minutes=minute))
        [pq] = attempts.paper_of(attempt)
        services.save_responses(attempt, {1: choose(pq, answer)}, NOW + timedelta(minutes=minute))
        attempts.submit_attempt(attempt, NOW + timedelta(minutes=minute))
    assert grading.quiz_grade(quiz, attempts.attempts_of(student, quiz)) == expected


def test_a_batch_of_saves_stores_open_attempts_and_names_the_submitted_ones(make, questions):
    """Group commit writes several students' answers at once: one submitted attempt in the
    batch keeps its answers, the others are stored and logged."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL saves a page in one statement (test_pg_save)")
    quiz = make.quiz(questions)
    open_attempt = start(make.user(), quiz, NOW)
    done_attempt = start(make.user(), quiz, NOW)
    db.session.commit()
    attempts.submit_attempt(done_attempt, NOW)
    db.session.commit()
    batch = []
    for attempt in (open_attempt, done_attempt):
        paper = attempts.paper_rows(attempt.id)
        prepared = answers.prepare_responses(
            open_attempt, {1: choose(paper[0], "Right 0")}, NOW, paper=paper[:1]
        )
        batch.append((attempt.id, prepared))

    finished = answers.write_answer_batch(batch, NOW + timedelta(minutes=1))
    db.session.commit()

    assert finished == {done_attempt.id}
    stored = attempts.paper_rows(open_attempt.id)[0].slot
    assert stored.answered and stored.response == choose(
        attempts.paper_of(open_attempt)[0], "Right 0"
    )
    assert not attempts.paper_rows(done_attempt.id)[0].slot.answered
    from camp.quizzes.models import ResponseLog

    assert db.session.scalar(select(func.count(ResponseLog.id))) == 1


def test_a_batch_writes_each_value_as_the_session_would(make, questions):
    """The batch writes with SQLite's own connection: its answer, time and log read back
    as the session reads them, and its timestamps are stored in the same text as the
    session's (SQLite compares them as text: `saved_at > ?` must order them)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL saves a page in one statement (test_pg_save)")
    from sqlalchemy import text

    from camp.quizzes.models import AttemptQuestion, ResponseLog

    attempt = start(make.user(), make.quiz(questions), NOW)
    db.session.commit()
    paper = attempts.paper_rows(attempt.id)
    response = choose(paper[0], "Right 0")
    prepared = answers.prepare_responses(attempt, {1: response}, NOW, paper=paper[:1])
    when = NOW + timedelta(minutes=1, microseconds=0)
    answers.write_answer_batch([(attempt.id, prepared)], when)
    db.session.add(ResponseLog(attempt_question_id=prepared[0].slot_id, response={}, saved_at=when))
    db.session.commit()

    slot = db.session.get(AttemptQuestion, prepared[0].slot_id)
    assert (slot.response, slot.answered, slot.saved_at) == (response, True, when)
    logs = db.session.scalars(select(ResponseLog).order_by(ResponseLog.id)).all()
    assert [(log.response, log.saved_at, log.accepted) for log in logs] == [
        (response, when, True),
        ({}, when, True),
    ]
    texts = db.session.execute(text("SELECT saved_at FROM response_log ORDER BY id")).all()
    assert texts[0] == texts[1]
    slot_text = db.session.scalar(
        text(f"SELECT saved_at FROM attempt_questions WHERE id = {slot.id}")
    )
    assert slot_text == texts[0][0]
