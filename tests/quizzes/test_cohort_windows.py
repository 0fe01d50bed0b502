"""Cohort windows keep a quiz to its cohorts: a quiz with any window is taken only by
members of a cohort it has a window for, on every attempt route; a quiz without windows
stays open to every logged-in user.

The world: cohort A (run by an organiser) with a student, cohort B with a student, a
student in no cohort, and a quiz whose only window is cohort B's.
"""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import event, func, select

from camp.accounts import session_user
from camp.accounts.models import MemberRole, Role
from camp.db import utcnow
from camp.extensions import db
from camp.quizzes import attempts, services, views
from camp.quizzes.errors import NotInCohort, QuizNotOpen
from camp.quizzes.models import Attempt, AttemptState, QuizWindow
from camp.quizzes.paper import draw_paper
from camp.snapshot_reads import SnapshotRead

REFUSAL = "not in a cohort this quiz is set for"


@pytest.fixture
def app_config():
    # Forms post without a token here; CSRF has its own tests.
    return {"WTF_CSRF_ENABLED": False}


def add_window(quiz, cohort, *, opens_in: timedelta | None, closes_in: timedelta | None):
    now = utcnow()
    db.session.add(
        QuizWindow(
            quiz_id=quiz.id,
            cohort_id=cohort.id,
            opens_at=None if opens_in is None else now + opens_in,
            closes_at=None if closes_in is None else now + closes_in,
        )
    )
    db.session.commit()


# Cohort B's window: opening tomorrow, or open now until tomorrow.
WINDOWS = {
    "future": {"opens_in": timedelta(days=1), "closes_in": timedelta(days=2)},
    "open": {"opens_in": -timedelta(hours=1), "closes_in": timedelta(days=1)},
}


@pytest.fixture(params=sorted(WINDOWS))
def world(request, make):
    organiser = make.user(Role.ORGANISER)
    cohort_a = make.cohort(organiser=organiser)
    cohort_b = make.cohort()
    in_a, in_b, loner = make.user(), make.user(), make.user()
    make.member(cohort_a, in_a)
    make.member(cohort_b, in_b)
    # One attempt, and the answers shown after it: what the finding saw leak.
    quiz = make.quiz(
        [make.choice_question(right="Geneva", wrong=("Beijing",), text="Where is WIPO?")],
        attempts_allowed=1,
    )
    add_window(quiz, cohort_b, **WINDOWS[request.param])
    return SimpleNamespace(
        window=request.param,
        organiser=organiser,
        in_a=in_a,
        in_b=in_b,
        loner=loner,
        quiz=quiz,
        cohort_a=cohort_a,
        cohort_b=cohort_b,
    )


@pytest.fixture(params=["in_a", "loner"])
def outsider(request, world):
    return getattr(world, request.param)


def started_before_the_fix(user, quiz) -> Attempt:
    """An attempt written as the old start wrote it, without asking who may take the quiz."""
    seed = "started-before-the-fix"
    plan = attempts.AttemptPlan(1, seed, None, draw_paper(quiz, seed))
    attempt_id = attempts.write_attempt(attempts.NewAttempt(user.id, quiz.id, plan, utcnow()))
    db.session.commit()
    return db.session.get(Attempt, attempt_id)


def logged_in(client, login, user):
    """Requests as `user` (each request reads its user afresh, as in production)."""
    login(user)

    def send(method: str, url: str, **kwargs):
        return client.open(url, method=method, **kwargs)

    return send


def attempt_count() -> int:
    return db.session.scalar(select(func.count(Attempt.id)))


# Through the services


def test_limits_say_who_may_take_the_quiz(world):
    assert not attempts.limits_for_user(world.quiz, world.in_a).eligible
    assert not attempts.limits_for_user(world.quiz, world.loner).eligible
    limits = attempts.limits_for_user(world.quiz, world.in_b)
    assert limits.eligible and limits.opens_at is not None


def test_an_outsider_cannot_start_through_the_service(world, outsider):
    with pytest.raises(NotInCohort):
        services.start_attempt(outsider, world.quiz, utcnow())
    assert attempt_count() == 0


def test_any_member_role_of_a_windowed_cohort_counts(world, make):
    organiser_of_b = make.user(Role.ORGANISER)
    make.member(world.cohort_b, organiser_of_b, role=MemberRole.ORGANISER)
    assert attempts.limits_for_user(world.quiz, organiser_of_b).eligible


def test_a_window_of_another_cohort_of_theirs_does_not_shut_them_out(world, make):
    """In cohorts A and B, where only B has a window: B's window is theirs."""
    make.member(world.cohort_b, world.in_a)
    limits = attempts.limits_for_user(world.quiz, world.in_a)
    assert limits.eligible
    assert limits.opens_at == db.session.scalar(select(QuizWindow.opens_at))


def test_in_several_windowed_cohorts_the_most_generous_window_applies(world, make):
    make.member(world.cohort_b, world.in_a)
    add_window(world.quiz, world.cohort_a, opens_in=-timedelta(days=3), closes_in=timedelta(days=9))
    limits = attempts.limits_for_user(world.quiz, world.in_a)
    opens, closes = limits.opens_at - utcnow(), limits.closes_at - utcnow()
    assert timedelta(days=-3, minutes=-1) < opens < timedelta(days=-3, minutes=1)
    assert timedelta(days=9, minutes=-1) < closes < timedelta(days=9, minutes=1)
    assert attempts.limits_for_user(world.quiz, world.in_b).closes_at < limits.closes_at


# The quiz page and start


def test_an_outsider_cannot_see_the_quiz_page(client, login, world, outsider):
    login(outsider)
    response = client.get(f"/quizzes/{world.quiz.id}")
    assert response.status_code == 403
    assert REFUSAL in response.get_data(as_text=True)


def test_an_outsider_cannot_start(client, login, world, outsider):
    login(outsider)
    response = client.post(f"/quizzes/{world.quiz.id}/start")
    assert response.status_code == 403
    assert REFUSAL in response.get_data(as_text=True)
    assert attempt_count() == 0


def test_an_outsider_cannot_continue_an_attempt_through_start(client, login, world, outsider):
    attempt = started_before_the_fix(outsider, world.quiz)
    login(outsider)
    response = client.post(f"/quizzes/{world.quiz.id}/start")
    assert response.status_code == 403
    db.session.expire_all()
    assert attempt_count() == 1 and attempt.state == AttemptState.IN_PROGRESS


def test_a_module_quiz_with_windows_is_kept_to_its_cohorts(client, login, make, world, outsider):
    module = make.module()
    quiz = make.quiz([make.choice_question()], module_id=module.id)
    add_window(quiz, world.cohort_b, opens_in=None, closes_in=None)
    login(outsider)
    assert client.get(f"/modules/{module.slug}/quiz").status_code == 403
    login(world.in_b)
    assert client.get(f"/modules/{module.slug}/quiz").status_code == 200


def test_the_cohorts_student_starts_once_the_window_is_open(client, login, world, monkeypatch):
    login(world.in_b)
    page = client.get(f"/quizzes/{world.quiz.id}")
    assert page.status_code == 200
    response = client.post(f"/quizzes/{world.quiz.id}/start", follow_redirects=True)
    if world.window == "future":
        assert "This quiz is not open yet." in page.get_data(as_text=True)
        assert "This quiz is not open yet." in response.get_data(as_text=True)
        assert attempt_count() == 0
        later = utcnow() + timedelta(days=1, hours=1)
        monkeypatch.setattr(views, "utcnow", lambda: later)
        response = client.post(f"/quizzes/{world.quiz.id}/start", follow_redirects=True)
    assert response.status_code == 200
    assert "Where is WIPO?" in response.get_data(as_text=True)
    assert attempt_count() == 1


def test_not_open_yet_is_still_what_the_service_says(world):
    if world.window == "future":
        with pytest.raises(QuizNotOpen, match="not open yet"):
            services.start_attempt(world.in_b, world.quiz, utcnow())
    else:
        attempt_id = services.start_attempt(world.in_b, world.quiz, utcnow())
        assert db.session.get(Attempt, attempt_id).number == 1


@pytest.mark.parametrize("module_quiz", [False, True])
def test_a_quiz_without_windows_is_open_to_a_student_in_no_cohort(client, login, make, module_quiz):
    module = make.module() if module_quiz else None
    quiz = make.quiz([make.choice_question()], module_id=module.id if module else None)
    other_cohort = make.cohort()
    make.member(other_cohort, make.user())
    loner = make.user()
    login(loner)
    url = f"/modules/{module.slug}/quiz" if module else f"/quizzes/{quiz.id}"
    assert client.get(url).status_code == 200
    response = client.post(f"/quizzes/{quiz.id}/start")
    assert response.status_code == 302 and "/attempts/" in response.location
    assert client.get(response.location).status_code == 200


# An attempt an outsider started before the fix


@pytest.mark.parametrize("with_user", [True, False], ids=["read-with-user", "read-alone"])
def test_an_outsider_cannot_open_or_save_to_their_attempt(
    client, login, world, outsider, with_user, monkeypatch
):
    """In production the attempt pages read the attempt with the user; without that
    reader, the attempt is read on its own, and the refusal must not depend on which."""
    if not with_user:
        monkeypatch.setattr(session_user, "_readers", {})
    attempt = started_before_the_fix(outsider, world.quiz)
    send = logged_in(client, login, outsider)
    url = f"/attempts/{attempt.id}"
    page = send("GET", url)
    assert page.status_code == 403
    assert REFUSAL in page.get_data(as_text=True)
    assert "Where is WIPO?" not in page.get_data(as_text=True)
    form = {"positions": "1", "q1": "anything", "go": "next"}
    assert send("POST", url, data=form).status_code == 403
    saved = send("POST", f"{url}/autosave", data=form)
    assert saved.status_code == 403
    assert saved.json["saved"] is False and REFUSAL in saved.json["message"]
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).state == AttemptState.IN_PROGRESS


def test_an_outsider_cannot_see_the_summary_or_submit(client, login, world, outsider):
    attempt = started_before_the_fix(outsider, world.quiz)
    login(outsider)
    summary = client.get(f"/attempts/{attempt.id}/summary")
    assert summary.status_code == 403 and REFUSAL in summary.get_data(as_text=True)
    submitted = client.post(f"/attempts/{attempt.id}/submit")
    assert submitted.status_code == 403
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).state == AttemptState.IN_PROGRESS


def test_an_outsider_cannot_see_their_review_or_the_answers(client, login, world, outsider):
    attempt = started_before_the_fix(outsider, world.quiz)
    attempts.submit_attempt(attempt, utcnow())
    db.session.commit()
    login(outsider)
    for url in (f"/attempts/{attempt.id}/review", f"/attempts/{attempt.id}"):
        response = client.get(url, follow_redirects=True)
        body = response.get_data(as_text=True)
        assert response.status_code == 403, url
        assert "Geneva" not in body and "Where is WIPO?" not in body


def test_organisers_and_admins_still_see_an_outsiders_review(client, login, make, world):
    attempt = started_before_the_fix(world.in_a, world.quiz)
    attempts.submit_attempt(attempt, utcnow())
    db.session.commit()
    for viewer in (world.organiser, make.user(Role.ADMIN)):
        login(viewer)
        response = client.get(f"/attempts/{attempt.id}/review")
        assert response.status_code == 200
        assert "Where is WIPO?" in response.get_data(as_text=True)


def test_the_cohorts_student_takes_the_quiz_end_to_end(client, login, world, monkeypatch):
    if world.window == "future":
        later = utcnow() + timedelta(days=1, hours=1)
        monkeypatch.setattr(views, "utcnow", lambda: later)
    send = logged_in(client, login, world.in_b)
    url = send("POST", f"/quizzes/{world.quiz.id}/start").location
    page = send("GET", url).get_data(as_text=True)
    choice = re.search(r'name="q1" value="([^"]+)"', page).group(1)
    saved = send("POST", f"{url}/autosave", data={"positions": "1", "q1": choice})
    assert saved.status_code == 200 and saved.json["saved"] is True
    assert send("GET", f"{url}/summary").status_code == 200
    review = send("POST", f"{url}/submit").location
    assert send("GET", review).status_code == 200


# The hot attempt pages


@pytest.fixture
def reads(monkeypatch):
    """The statements a request reads through: each SnapshotRead once (on PostgreSQL it
    runs through the session, and is still counted once), and whatever else the session
    sends."""
    seen: list[str] = []
    inside = []
    real = SnapshotRead.rows

    def rows(self, params):
        seen.append("snapshot read")
        inside.append(True)
        try:
            return real(self, params)
        finally:
            inside.pop()

    def before(_conn, _cursor, statement, *_args):
        if not inside:
            seen.append(statement)

    monkeypatch.setattr(SnapshotRead, "rows", rows)
    event.listen(db.engine, "before_cursor_execute", before)
    yield seen
    event.remove(db.engine, "before_cursor_execute", before)


@pytest.mark.parametrize("who", ["in_b", "in_a"])
def test_the_attempt_page_still_reads_everything_in_one_statement(client, login, world, reads, who):
    """A room of 200 loads these pages at once: who may take the quiz is a column of the
    statement that reads the user and the attempt, not a query of its own."""
    student = getattr(world, who)
    attempt = started_before_the_fix(student, world.quiz)
    send = logged_in(client, login, student)
    reads.clear()
    response = send("GET", f"/attempts/{attempt.id}")
    assert response.status_code == (200 if who == "in_b" else 403)
    assert reads == ["snapshot read"]


def test_autosave_reads_no_more_than_before(client, login, world, reads):
    attempt = started_before_the_fix(world.in_b, world.quiz)
    send = logged_in(client, login, world.in_b)
    reads.clear()
    response = send("POST", f"/attempts/{attempt.id}/autosave", data={"positions": "1"})
    assert response.status_code == 200
    assert reads.count("snapshot read") == 1
    assert not [s for s in reads if "quiz_windows" in s or "memberships" in s]
