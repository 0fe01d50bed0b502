"""A student's answers in live sessions count towards their mastery of each learning
objective, as "live", beside (never inside) the mastery their graded quizzes show."""

from __future__ import annotations

import pytest

from camp.extensions import db
from camp.live import services as live
from camp.live.plan import ItemDraft, LiveSettings
from camp.reports.cohort import GridOptions, cohort_report
from camp.reports.progress import student_progress
from tests.live.conftest import T0, at, letter_of
from tests.reports.conftest import NOW, add_students, later, take


def session_for(course, questions, *, cohort=None, host=None):
    """A live session (guests allowed) asking these bank questions, then a poll."""
    items = [ItemDraft.question(course.questions[uid].id) for uid in questions]
    items.append(ItemDraft.poll("Coffee or tea?", ["Coffee", "Tea"]))
    session = live.create_session(
        host or course.organiser,
        "Live hour",
        [cohort or course.cohort],
        items,
        LiveSettings(allow_guests=True),
        T0,
    )
    db.session.commit()
    return session


def join(session, user=None, nickname=None):
    participant, _token = live.join(session, user=user, nickname=nickname, now=T0)
    db.session.commit()
    return participant


def play(session, answers, *, skip=()):
    """Ask each item in turn; `answers[n]` maps participants to the option text they pick
    (a poll's letter) for the item at position n + 1. Positions in `skip` are skipped
    after their answers."""
    clock = 0
    for position, given in enumerate(answers, 1):
        if position == 1:
            item = live.start(session, at(clock))
        elif live.current_item(session).position != position:  # not opened by a skip
            item = live.next_item(session, at(clock))
        else:
            item = live.current_item(session)
            clock = (item.opened_at - T0).total_seconds()
        for participant, choice in given.items():
            letter = choice if len(choice) == 1 else letter_of(session, choice, at(clock))
            live.answer(
                participant, item.id, {"answer": letter}, f"{participant.id}", at(clock + 1)
            )
        if position in skip:
            live.skip(session, at(clock + 2))
        else:
            live.reveal(session, at(clock + 2))
        db.session.commit()
        clock += 30


@pytest.fixture
def student(make, course):
    (student,) = add_students(make, course, ["Zoë"])
    return student


def by_tag(mastery):
    return {m.objective.tag: (m.earned, m.graded) for m in mastery}


def test_live_answers_count_per_objective_apart_from_quiz_mastery(course, student):
    take(student, course.quizzes[0], {"tr-1"}, later(1))  # quizzes: tr-1 right, tr-2, tr-3 wrong
    session = session_for(course, ["tr-1", "tr-2", "tr-3"])
    me = join(session, student)
    play(
        session,
        [
            {me: "trademarks right 1"},
            {me: "Wrong A"},
            {me: "trademarks right 3"},
            {me: "A"},  # the poll: no right answer, no mastery
        ],
    )
    progress = student_progress(student, NOW)
    live_mastery = {m.objective.tag: m for m in progress.live_mastery}
    assert by_tag(progress.live_mastery)["trademarks-a"] == (1.0, 2)
    assert live_mastery["trademarks-a"].share == pytest.approx(0.5)
    assert by_tag(progress.live_mastery)["trademarks-b"] == (1.0, 1)
    assert live_mastery["patents-a"].share is None and live_mastery["patents-a"].graded == 0
    # The quiz mastery is what the quiz alone says.
    assert by_tag(progress.mastery)["trademarks-a"] == (1.0, 2)
    assert by_tag(progress.mastery)["trademarks-b"] == (0.0, 1)
    assert [m.objective.tag for m in progress.live_mastery] == [
        m.objective.tag for m in progress.mastery
    ]


def test_guests_polls_and_skipped_items_are_not_counted(make, course, student):
    classmate = add_students(make, course, ["Classmate"])[0]
    session = session_for(course, ["tr-1", "tr-3"])
    me, guest, other = (
        join(session, student),
        join(session, nickname="Zoë"),
        join(session, classmate),
    )
    play(
        session,
        [
            {me: "trademarks right 1", guest: "trademarks right 1", other: "Wrong B"},
            {me: "trademarks right 3", guest: "trademarks right 3"},  # then skipped
            {me: "B", guest: "A", other: "A"},
        ],
        skip={2},
    )
    mine = by_tag(student_progress(student, NOW).live_mastery)
    assert mine["trademarks-a"] == (1.0, 1)  # the guest with my name is not me
    assert mine["trademarks-b"] == (0.0, 0)  # the skipped item counts for nothing
    assert by_tag(student_progress(classmate, NOW).live_mastery)["trademarks-a"] == (0.0, 1)


def test_live_answers_count_whichever_cohort_the_session_was_for(make, course, student):
    elsewhere = make.cohort("Summer school", organiser=course.other_organiser)
    make.member(elsewhere, student)
    session = session_for(course, ["pa-1"], cohort=elsewhere, host=course.other_organiser)
    play(session, [{join(session, student): "patents right 1"}, {}])
    assert by_tag(student_progress(student, NOW).live_mastery)["patents-a"] == (1.0, 1)
    # The cohort report counts its students' live answers wherever they gave them.
    report = cohort_report(course.cohort, GridOptions())
    assert by_tag(report.live_mastery)["patents-a"] == (1.0, 1)
    assert by_tag(report.mastery)["patents-a"] == (0.0, 0)
    other = cohort_report(elsewhere, GridOptions())
    assert by_tag(other.live_mastery)["patents-a"] == (1.0, 1)


def test_the_progress_page_shows_a_live_sessions_column(client, login, course, student):
    session = session_for(course, ["tr-1"])
    play(session, [{join(session, student): "trademarks right 1"}, {}])
    login(student)
    page = client.get("/progress").get_data(as_text=True)
    assert "Live sessions" in page
    assert 'data-label="Live sessions"' in page
    assert "100%" in page and "(1 answer)" in page
    assert "no live answers" in page  # the objectives not asked live


def test_the_cohort_report_shows_the_live_column(client, login, course, student):
    session = session_for(course, ["tr-1"])
    play(session, [{join(session, student): "Wrong A"}, {}])
    login(course.organiser)
    page = client.get(f"/organiser/cohorts/{course.cohort.id}/report").get_data(as_text=True)
    assert 'data-label="Live sessions"' in page and "(1 answer)" in page
