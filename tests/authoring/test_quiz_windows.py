"""Cohort windows on the organiser's access page, under the rule of `policy.may_take`: a quiz
with no window is for every student; once any cohort has a window, only cohorts with a
window may take it. Saving with both times empty keeps a window open at any time; a second
button removes a cohort's window and says what that means now.

Every request goes through the page as a browser would: the form's own fields, its CSRF
token and the button pressed.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from sqlalchemy import event, select

from camp.accounts.models import Role
from camp.authoring import quiz_queries
from camp.db import utcnow
from camp.extensions import db
from camp.quizzes.models import Attempt, QuizWindow
from tests.authoring.conftest import csrf_token

EMPTY = "No window: may take it at any time (no cohort has a window)"
SHUT_OUT = "No window: may not take it, because other cohorts have windows"
WARNING = "students of other cohorts (other organisers&#39; too) and students in no cohort"

FORM = re.compile(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', re.S)
INPUT = re.compile(r"<input\b[^>]*>")
BUTTON = re.compile(r"<button\b([^>]*)>(.*?)</button>", re.S)
ATTR = re.compile(r'([\w-]+)="([^"]*)"')


def press(client, url, button, **typed):
    """GET `url`, then post the form whose button reads `button` as a browser would: its
    inputs (with `typed` values by name) and the pressed button's name and value."""
    page = client.get(url).get_data(as_text=True)
    for action, body in FORM.findall(page):
        for attrs, text in BUTTON.findall(body):
            if unescape(text).strip() != button:
                continue
            data = {}
            for tag in INPUT.findall(body):
                a = dict(ATTR.findall(tag))
                if "name" in a:
                    data[a["name"]] = unescape(a.get("value", ""))
            data.update(typed)
            a = dict(ATTR.findall(attrs))
            if "name" in a:
                data[a["name"]] = a.get("value", "")
            return client.post(unescape(action), data=data)
    raise AssertionError(f"no button {button!r} on {url}")


def windows_of(quiz):
    db.session.expire_all()
    return {
        w.cohort_id: (w.opens_at, w.closes_at)
        for w in db.session.scalars(select(QuizWindow).where(QuizWindow.quiz_id == quiz.id))
    }


def add_window(quiz, cohort, opens_at=None, closes_at=None):
    db.session.add(
        QuizWindow(quiz_id=quiz.id, cohort_id=cohort.id, opens_at=opens_at, closes_at=closes_at)
    )
    db.session.commit()


@pytest.fixture
def world(make, login):
    """An organiser running "Mine" (with a student), another organiser running "Theirs"
    (with a student), and a quiz without windows. The organiser is logged in."""
    organiser, other = make.user(Role.ORGANISER), make.user(Role.ORGANISER)
    mine = make.cohort("Mine", organiser=organiser)
    theirs = make.cohort("Theirs", organiser=other)
    student, their_student = make.user(name="Pupil"), make.user(name="Stranger")
    make.member(mine, student)
    make.member(theirs, their_student)
    quiz = make.quiz([make.choice_question()])
    login(organiser)
    return {
        "organiser": organiser,
        "mine": mine,
        "theirs": theirs,
        "student": student,
        "their_student": their_student,
        "quiz": quiz,
        "url": f"/organiser/quizzes/{quiz.id}/access",
    }


def test_the_page_says_who_may_take_a_quiz_without_windows(client, world):
    page = client.get(world["url"]).get_data(as_text=True)
    assert "every student may take the quiz" in page
    assert "only cohorts with a window may" in page
    assert EMPTY in page and SHUT_OUT not in page
    assert WARNING in page
    assert "Save the window for Mine" in page
    assert "Remove the window for Mine" not in page  # nothing to remove yet
    assert "Always open" not in page and "may take the quiz at any time." not in page
    assert "Theirs" not in page and "Stranger" not in page


def test_saving_empty_times_keeps_a_window_open_at_any_time(client, world):
    mine, url = world["mine"], world["url"]
    response = press(client, url, "Save the window for Mine")
    assert response.status_code == 302
    assert windows_of(world["quiz"]) == {mine.id: (None, None)}
    page = client.get(url).get_data(as_text=True)
    assert "Window for Mine saved: open at any time." in page
    assert "Only cohorts with a window may take the quiz now" in page  # it was the first
    assert "Window: may take it at any time." in page
    assert EMPTY not in page and WARNING not in page
    assert "Remove the window for Mine" in page
    # Saving again keeps the one row, and the flash no longer says it is the first.
    assert press(client, url, "Save the window for Mine").status_code == 302
    assert windows_of(world["quiz"]) == {mine.id: (None, None)}
    page = client.get(url).get_data(as_text=True)
    assert "Window for Mine saved: open at any time." in page
    assert "Only cohorts with a window may take the quiz now" not in page


def test_a_window_with_times_then_empty_times_again(client, world):
    mine, url = world["mine"], world["url"]
    prefix = f"cohort-{mine.id}"
    response = press(
        client,
        url,
        "Save the window for Mine",
        **{f"{prefix}-opens_at": "2026-09-01T08:00", f"{prefix}-closes_at": ""},
    )
    assert response.status_code == 302
    assert windows_of(world["quiz"]) == {mine.id: (datetime(2026, 9, 1, 8, tzinfo=UTC), None)}
    page = client.get(url).get_data(as_text=True)
    assert "Window for Mine saved." in page and "open at any time" not in page
    response = press(
        client,
        url,
        "Save the window for Mine",
        **{f"{prefix}-opens_at": "", f"{prefix}-closes_at": ""},
    )
    assert response.status_code == 302
    assert windows_of(world["quiz"]) == {mine.id: (None, None)}


def test_removing_a_window_while_other_cohorts_have_one(client, world):
    quiz, mine, theirs, url = world["quiz"], world["mine"], world["theirs"], world["url"]
    add_window(quiz, mine, closes_at=datetime(2026, 9, 1, tzinfo=UTC))
    add_window(quiz, theirs)
    page = client.get(url).get_data(as_text=True)
    assert (
        "This quiz has 2 windows, so only cohorts with a window may take it."
        " 1 cohort you do not run has a window on this quiz." in page
    )
    assert "Theirs" not in page
    assert "Removing it means Mine may no longer take the quiz" in page
    assert WARNING not in page
    # A half-typed time does not stand in the way of removing.
    response = press(
        client, url, "Remove the window for Mine", **{f"cohort-{mine.id}-opens_at": "soon"}
    )
    assert response.status_code == 302
    assert windows_of(quiz) == {theirs.id: (None, None)}
    page = client.get(url).get_data(as_text=True)
    assert (
        "Window for Mine removed. Mine may no longer take it: only cohorts with a window may."
        in page
    )
    assert SHUT_OUT in page and EMPTY not in page
    assert "Remove the window for Mine" not in page


def test_removing_the_last_window_opens_the_quiz_to_every_student(client, world):
    quiz, mine, url = world["quiz"], world["mine"], world["url"]
    add_window(quiz, mine)
    page = client.get(url).get_data(as_text=True)
    assert "Removing it opens the quiz to every student again" in page
    assert press(client, url, "Remove the window for Mine").status_code == 302
    assert windows_of(quiz) == {}
    page = client.get(url).get_data(as_text=True)
    assert "Window for Mine removed: the quiz is open to every student again." in page
    assert EMPTY in page


def test_removing_a_window_that_is_gone_says_so(client, world):
    quiz, mine, url = world["quiz"], world["mine"], world["url"]
    add_window(quiz, mine)
    page = client.get(url).get_data(as_text=True)
    db.session.execute(QuizWindow.__table__.delete())
    db.session.commit()
    token = csrf_token(client, url)
    response = client.post(
        f"{url}/cohorts/{mine.id}", data={"csrf_token": token, f"cohort-{mine.id}-remove": "1"}
    )
    assert response.status_code == 302
    assert "Mine had no window on this quiz." in client.get(url).get_data(as_text=True)
    assert "Remove the window for Mine" in page


def test_an_organiser_cannot_save_or_remove_a_window_of_a_cohort_they_do_not_run(client, world):
    quiz, theirs, url = world["quiz"], world["theirs"], world["url"]
    add_window(quiz, theirs, opens_at=datetime(2026, 9, 1, tzinfo=UTC))
    token = csrf_token(client, url)
    target = f"{url}/cohorts/{theirs.id}"
    prefix = f"cohort-{theirs.id}"
    for data in ({f"{prefix}-remove": "1"}, {}, {f"{prefix}-opens_at": "2026-10-01T08:00"}):
        response = client.post(target, data={"csrf_token": token, **data})
        assert response.status_code == 403, data
    assert windows_of(quiz) == {theirs.id: (datetime(2026, 9, 1, tzinfo=UTC), None)}


def test_an_admin_sees_every_cohort_and_no_count_of_others(client, world, make, login):
    add_window(world["quiz"], world["theirs"])
    admin = make.user(Role.ADMIN)
    login(admin)
    page = client.get(world["url"]).get_data(as_text=True)
    assert "Remove the window for Theirs" in page and "Save the window for Mine" in page
    assert "you do not run" not in page
    admin_counts = quiz_queries.window_counts(world["quiz"], admin)
    organiser_counts = quiz_queries.window_counts(world["quiz"], world["organiser"])
    assert (admin_counts.total, admin_counts.others) == (1, 0)
    assert (organiser_counts.total, organiser_counts.others) == (1, 1)


def test_the_student_of_a_cohort_saved_open_at_any_time_starts_the_quiz(client, world, login):
    """Another organiser's cohort has a window; saving empty times for mine lets my student
    in through the real start route."""
    quiz, url = world["quiz"], world["url"]
    add_window(quiz, world["theirs"], opens_at=utcnow() - timedelta(days=1))
    login(world["student"])
    token = csrf_token(client, "/account")
    assert client.get(f"/quizzes/{quiz.id}").status_code == 403
    assert client.post(f"/quizzes/{quiz.id}/start", data={"csrf_token": token}).status_code == 403
    login(world["organiser"])
    assert press(client, url, "Save the window for Mine").status_code == 302
    login(world["student"])
    assert client.get(f"/quizzes/{quiz.id}").status_code == 200
    response = client.post(f"/quizzes/{quiz.id}/start", data={"csrf_token": token})
    assert response.status_code == 302 and "/attempts/" in response.location
    assert client.get(response.location).status_code == 200
    assert db.session.scalar(select(Attempt.user_id)) == world["student"].id
    # Removing it again shuts the student out while the other cohort keeps its window.
    login(world["organiser"])
    assert press(client, url, "Remove the window for Mine").status_code == 302
    login(world["student"])
    assert client.get(f"/quizzes/{quiz.id}").status_code == 403


def test_window_counts_are_one_query_whatever_the_number_of_cohorts(client, world, make):
    quiz, organiser = world["quiz"], world["organiser"]
    add_window(quiz, world["mine"])

    def page_selects():
        statements = []

        def listener(_conn, _cursor, statement, *_args):
            if statement.lstrip().upper().startswith("SELECT"):
                statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(world["url"]).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    add_window(quiz, world["theirs"])
    one_other = page_selects()
    for n in range(4):
        add_window(quiz, make.cohort(f"Elsewhere {n}", organiser=make.user(Role.ORGANISER)))
    assert page_selects() == one_other
    assert "5 cohorts you do not run have a window on this quiz" in client.get(
        world["url"]
    ).get_data(as_text=True)

    db.session.refresh(quiz)  # the requests above committed, which expired both
    db.session.refresh(organiser)
    statements = []

    def listener(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        counts = quiz_queries.window_counts(quiz, organiser)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(statements) == 1
    assert (counts.total, counts.others) == (6, 5)


def test_the_window_forms_are_labelled_and_need_no_inline_script_or_style(client, world):
    quiz, mine, url = world["quiz"], world["mine"], world["url"]
    page = client.get(url).get_data(as_text=True)
    prefix = f"cohort-{mine.id}"
    for name in ("opens_at", "closes_at"):
        assert f'<label for="{prefix}-{name}">' in page
    save = re.search(r"<button\b([^>]*)>Save the window for Mine</button>", page)
    assert save, "no save button"
    described = dict(ATTR.findall(save.group(1)))["aria-describedby"]
    assert re.search(rf'id="{described}"[^>]*>[^<]*{re.escape(WARNING)}', page)
    add_window(quiz, mine)
    page = client.get(url).get_data(as_text=True)
    remove = re.search(r"<button\b([^>]*)>Remove the window for Mine</button>", page)
    assert remove, "no remove button"
    attrs = dict(ATTR.findall(remove.group(1)))
    assert attrs["type"] == "submit" and attrs["name"] == f"{prefix}-remove"
    assert re.search(rf'id="{attrs["aria-describedby"]}"[^>]*>Removing it', page)
    main = page.split('<main id="main"')[1].split("</main>")[0]
    assert "<script" not in main and "style=" not in main and " on" + "click" not in main


def test_window_times_are_typed_and_shown_in_the_camps_time_zone(app, client, world):
    """In Shanghai (UTC+8) 09:00 typed is 01:00 UTC stored, and the form shows 09:00 again,
    with the zone named."""
    app.config["CAMP_TIMEZONE"] = "Asia/Shanghai"
    mine, url = world["mine"], world["url"]
    prefix = f"cohort-{mine.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Opens (Asia/Shanghai)" in page and "All times are in Asia/Shanghai" in page
    response = press(
        client,
        url,
        "Save the window for Mine",
        **{f"{prefix}-opens_at": "2026-09-01T09:00", f"{prefix}-closes_at": ""},
    )
    assert response.status_code == 302
    assert windows_of(world["quiz"]) == {mine.id: (datetime(2026, 9, 1, 1, tzinfo=UTC), None)}
    page = client.get(url).get_data(as_text=True)
    assert f'name="{prefix}-opens_at" type="datetime-local" value="2026-09-01T09:00"' in page
