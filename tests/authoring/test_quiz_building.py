"""Building quizzes: the services (settings, slots, windows, accommodations) and the organiser's
quiz screens, request by request."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, func, select

from camp.accounts.models import MemberRole, Role
from camp.accounts.permissions import can_manage_student
from camp.bank import services as bank
from camp.extensions import db
from camp.quizzes import attempts, building, services
from camp.quizzes.building import QuizSettings
from camp.quizzes.errors import NoAttemptsLeft, QuizClosed, QuizError, QuizNotOpen
from camp.quizzes.models import Attempt, Quiz, QuizOverride, QuizSlot, QuizWindow

NOW = datetime(2026, 8, 20, 9, 0, tzinfo=UTC)


def positions(quiz):
    db.session.expire(quiz, ["slots"])
    return [(s.position, s.question_id) for s in quiz.slots]


# --- services ---------------------------------------------------------------------------------


def test_create_and_update_settings_check_every_rule(app):
    quiz = building.create_quiz(QuizSettings(title="  Week 1  "))
    assert quiz.id and quiz.title == "Week 1" and quiz.review_answers == "after_last_attempt"
    bad = QuizSettings(
        title="",
        time_limit_minutes=0,
        attempts_allowed=0,
        pass_mark=101,
        grading_method="best",
        review={**QuizSettings(title="x").review, "score": "sometimes"},
    )
    with pytest.raises(QuizError) as error:
        building.update_settings(quiz, bad)
    message = str(error.value)
    for words in ("title", "time limit", "Attempts allowed", "pass mark", "grading method"):
        assert words in message
    assert "Unknown review timing" in message
    review = {item: "never" for item in QuizSettings(title="x").review}
    building.update_settings(
        quiz, QuizSettings(title="Week 1", time_limit_minutes=20, attempts_allowed=2, review=review)
    )
    assert (quiz.time_limit_minutes, quiz.attempts_allowed, quiz.review_score) == (20, 2, "never")
    assert QuizSettings.of(quiz).review == review


def test_fixed_questions_skip_retired_and_refuse_duplicates(make):
    first, second, retired = (make.choice_question() for _ in range(3))
    bank.set_retired(retired, True)
    quiz = make.quiz([first])
    result = building.add_fixed_questions(quiz, [second.uid, first.uid, retired.uid, second.uid])
    assert result.added == [second.uid]
    assert result.duplicates == [first.uid]
    assert result.retired == [retired.uid]
    assert positions(quiz) == [(1, first.id), (2, second.id)]
    with pytest.raises(QuizError, match="no question with the id nope"):
        building.add_fixed_questions(quiz, ["nope"])
    with pytest.raises(QuizError, match="at least one"):
        building.add_fixed_questions(quiz, [])


def test_a_random_slot_by_category_and_tag_counts_and_draws_only_matches(make, app):
    wanted = [make.choice_question(category="Pool/Deep", tags=("ip",)) for _ in range(3)]
    make.choice_question(category="Pool", tags=("other",))
    make.choice_question(category="Elsewhere", tags=("ip",))
    bank.set_retired(make.choice_question(category="Pool", tags=("ip",)), True)
    quiz = make.quiz()
    added = building.add_random_slot(quiz, category_path="Pool", tag="ip", count=2)
    assert added.available == 3 and added.slot.position == 1
    narrow = building.add_random_slot(
        quiz, category_path="Pool", tag=" ip ", count=1, include_subcategories=False
    )
    assert narrow.available == 0 and narrow.slot.tag == "ip"
    building.remove_slot(quiz, narrow.slot.id)
    db.session.commit()
    attempt = db.session.get(Attempt, services.start_attempt(make.user(), quiz, NOW))
    drawn = {pq.version.question_id for pq in attempts.paper_of(attempt)}
    assert len(drawn) == 2 and drawn <= {q.id for q in wanted}


@pytest.mark.parametrize(
    ("category", "tag", "count", "message"),
    [
        (None, None, 1, "Choose a category, a tag, or both"),
        ("", "  ", 1, "Choose a category, a tag, or both"),
        ("Missing", None, 1, "no category 'Missing'"),
        (None, "ip", 0, "Draw 1 to"),
    ],
)
def test_a_random_slot_needs_a_source_and_a_count(make, category, tag, count, message):
    quiz = make.quiz()
    with pytest.raises(QuizError, match=message):
        building.add_random_slot(quiz, category_path=category, tag=tag, count=count)


def test_slots_move_and_close_gaps_when_removed(make):
    a, b, c, d = (make.choice_question() for _ in range(4))
    quiz = make.quiz([a, b, c, d])
    slot_a, _, _, slot_d = (s.id for s in quiz.slots)
    assert building.move_slot(quiz, slot_d, "up")
    assert building.move_slot(quiz, slot_a, "down")
    db.session.commit()
    assert positions(quiz) == [(1, b.id), (2, a.id), (3, d.id), (4, c.id)]
    building.remove_slot(quiz, slot_a)
    db.session.commit()
    assert positions(quiz) == [(1, b.id), (2, d.id), (3, c.id)]
    with pytest.raises(QuizError, match="not part of this quiz"):
        building.remove_slot(make.quiz([a]), slot_d)


def test_moving_a_slot_swaps_it_with_its_neighbour(make):
    a, b, c = (make.choice_question() for _ in range(3))
    quiz = make.quiz([a, b, c])
    slot_c = quiz.slots[2].id
    assert building.move_slot(quiz, slot_c, "up")
    assert [q for _, q in positions(quiz)] == [a.id, c.id, b.id]
    assert building.move_slot(quiz, slot_c, "up")
    assert [q for _, q in positions(quiz)] == [c.id, a.id, b.id]
    assert not building.move_slot(quiz, slot_c, "up")
    assert building.move_slot(quiz, slot_c, "down")
    assert [q for _, q in positions(quiz)] == [a.id, c.id, b.id]
    with pytest.raises(QuizError):
        building.move_slot(quiz, slot_c, "sideways")


def test_overrides_for_several_students_at_once_change_what_start_attempt_allows(make):
    question = make.choice_question()
    quiz = make.quiz([question], attempts_allowed=1, time_limit_minutes=10)
    ada, bob, cy = make.user(), make.user(), make.user()
    assert building.set_overrides(quiz, [ada, bob], 15, 1) == 2
    db.session.commit()
    for student in (ada, bob, cy):
        attempt = db.session.get(Attempt, services.start_attempt(student, quiz, NOW))
        expected = 25 if student is not cy else 10
        assert attempt.deadline == NOW + timedelta(minutes=expected)
        attempts.submit_attempt(attempt, NOW)
    assert db.session.get(Attempt, services.start_attempt(ada, quiz, NOW)).number == 2
    with pytest.raises(NoAttemptsLeft):
        services.start_attempt(cy, quiz, NOW)
    # Upsert: applying again replaces, never duplicates; zero and zero removes.
    building.set_overrides(quiz, [bob, cy], 5, 0)
    rows = {
        o.user_id: (o.extra_minutes, o.extra_attempts)
        for o in db.session.scalars(select(QuizOverride).where(QuizOverride.quiz_id == quiz.id))
    }
    assert rows == {ada.id: (15, 1), bob.id: (5, 0), cy.id: (5, 0)}
    building.set_overrides(quiz, [ada, bob], 0, 0)
    assert db.session.scalar(select(func.count(QuizOverride.id))) == 1
    assert building.remove_override(quiz, cy) and not building.remove_override(quiz, cy)
    for minutes, extra in ((-1, 0), (0, -1), (10**6, 0)):
        with pytest.raises(QuizError):
            building.set_overrides(quiz, [ada], minutes, extra)
    with pytest.raises(QuizError, match="at least one student"):
        building.set_overrides(quiz, [], 5, 0)


def test_windows_open_and_close_a_quiz_per_cohort(make):
    student = make.user()
    cohort = make.cohort()
    make.member(cohort, student)
    quiz = make.quiz([make.choice_question()])
    building.set_window(quiz, cohort, NOW + timedelta(hours=1), NOW + timedelta(hours=2))
    db.session.commit()
    with pytest.raises(QuizNotOpen):
        services.start_attempt(student, quiz, NOW)
    building.set_window(quiz, cohort, None, NOW - timedelta(minutes=1))
    assert db.session.scalar(select(func.count(QuizWindow.id))) == 1
    with pytest.raises(QuizClosed):
        services.start_attempt(student, quiz, NOW)
    # No times at all keeps the row: this cohort may take the quiz at any time.
    window = building.set_window(quiz, cohort, None, None)
    assert window is not None and (window.opens_at, window.closes_at) == (None, None)
    assert db.session.scalar(select(func.count(QuizWindow.id))) == 1
    assert db.session.get(Attempt, services.start_attempt(student, quiz, NOW)).number == 1
    with pytest.raises(QuizError, match="open before it closes"):
        building.set_window(quiz, cohort, NOW, NOW)
    with pytest.raises(QuizError, match="time zone"):
        building.set_window(quiz, cohort, datetime(2026, 1, 1), None)


def test_open_at_any_time_for_one_cohort_while_another_has_a_window(make):
    """Both times empty is a window of its own: the cohort may take the quiz at any time,
    even though another cohort's window keeps everyone else out."""
    mine, theirs = make.cohort(), make.cohort()
    student, outsider = make.user(), make.user()
    make.member(mine, student)
    quiz = make.quiz([make.choice_question()])
    building.set_window(quiz, theirs, NOW + timedelta(days=1), None)
    building.set_window(quiz, mine, None, None)
    db.session.commit()
    assert db.session.get(Attempt, services.start_attempt(student, quiz, NOW)).number == 1
    assert not attempts.limits_for_user(quiz, outsider).eligible


def test_remove_window_takes_the_cohort_out_and_says_whether_it_had_one(make):
    mine, theirs = make.cohort(), make.cohort()
    student, outsider = make.user(), make.user()
    make.member(mine, student)
    quiz = make.quiz([make.choice_question()])
    other_quiz = make.quiz([make.choice_question()])
    building.set_window(quiz, mine, None, None)
    building.set_window(quiz, theirs, None, NOW + timedelta(days=1))
    building.set_window(other_quiz, mine, None, None)
    db.session.commit()
    assert building.remove_window(quiz, mine) is True
    assert building.remove_window(quiz, mine) is False
    rows = db.session.execute(select(QuizWindow.quiz_id, QuizWindow.cohort_id)).all()
    assert sorted(rows) == sorted([(quiz.id, theirs.id), (other_quiz.id, mine.id)])
    # Another cohort still has a window: no window for mine means mine may not take it.
    assert not attempts.limits_for_user(quiz, student).eligible
    assert building.remove_window(quiz, theirs) is True
    db.session.commit()
    # No window left: the quiz is for every student again.
    assert attempts.limits_for_user(quiz, student).eligible
    assert attempts.limits_for_user(quiz, outsider).eligible


def test_who_manages_which_students(make):
    runner, other, admin = (
        make.user(Role.ORGANISER),
        make.user(Role.ORGANISER),
        make.user(Role.ADMIN),
    )
    student, stranger = make.user(), make.user()
    cohort = make.cohort(organiser=runner)
    make.member(cohort, student)
    make.member(make.cohort(organiser=other), stranger)
    assert can_manage_student(runner, student.id)
    assert not can_manage_student(runner, stranger.id)
    assert not can_manage_student(other, student.id)
    assert can_manage_student(admin, stranger.id)
    assert not can_manage_student(student, student.id)
    # An organiser who is a member as organiser is not one of the students managed.
    make.member(cohort, other, MemberRole.ORGANISER)
    assert can_manage_student(other, student.id)
    assert not can_manage_student(runner, other.id)


def test_the_quiz_list_is_one_query_whatever_the_number_of_quizzes(make, app):
    from camp.authoring import quiz_queries

    question = make.choice_question()
    for _ in range(5):
        quiz = make.quiz([question])
        building.add_random_slot(quiz, category_path="Bank", tag=None, count=3)
    student = make.user()
    services.start_attempt(student, quiz, NOW)
    db.session.commit()
    statements = []

    def listener(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        rows = quiz_queries.quiz_rows()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(statements) == 1
    assert len(rows) == 5
    last = next(r for r in rows if r.id == quiz.id)
    assert (last.slots, last.questions, last.attempts) == (2, 4, 1)


# --- requests ---------------------------------------------------------------------------------


def token(client):
    page = client.get("/organiser/quizzes").get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert match, "no CSRF token"
    return match.group(1)


def post(client, url, data=None, **kwargs):
    return client.post(url, data={**(data or {}), "csrf_token": token(client)}, **kwargs)


@pytest.fixture
def organiser(make, login):
    user = make.user(Role.ORGANISER)
    login(user)
    return user


def settings_data(**changes):
    data = {
        "title": "Week 1",
        "description": "",
        "time_limit_minutes": "",
        "attempts_allowed": "",
        "grading_method": "highest",
        "pass_mark": "70",
        "shuffle_questions": "y",
        "layout": "one_per_page",
        "review_score": "immediately",
        "review_responses": "immediately",
        "review_marks": "immediately",
        "review_feedback": "after_last_attempt",
        "review_answers": "after_last_attempt",
    }
    data.update(changes)
    return data


def test_create_a_quiz_and_change_its_review_policy(client, organiser):
    response = post(client, "/organiser/quizzes", {"title": "Week 1"})
    quiz = db.session.scalar(select(Quiz))
    assert response.status_code == 302
    assert response.location.endswith(f"/organiser/quizzes/{quiz.id}")
    page = client.get(response.location).get_data(as_text=True)
    assert "Quiz Week 1 created" in page and "After the last allowed attempt" in page
    response = post(
        client,
        f"/organiser/quizzes/{quiz.id}",
        settings_data(
            time_limit_minutes="30",
            attempts_allowed="3",
            review_answers="after_close",
            review_feedback="never",
            layout="all_on_one",
        ),
    )
    assert response.status_code == 302
    db.session.expire_all()
    quiz = db.session.get(Quiz, quiz.id)
    assert (quiz.review_answers, quiz.review_feedback, quiz.layout) == (
        "after_close",
        "never",
        "all_on_one",
    )
    assert (quiz.time_limit_minutes, quiz.attempts_allowed) == (30, 3)
    assert quiz.shuffle_questions and not quiz.shuffle_options
    listing = client.get("/organiser/quizzes").get_data(as_text=True)
    assert "Week 1" in listing


def test_bad_settings_re_render_with_messages_and_keep_what_was_typed(client, organiser, make):
    quiz = make.quiz(title="Week 1")
    response = post(
        client,
        f"/organiser/quizzes/{quiz.id}",
        settings_data(
            title="Renamed", time_limit_minutes="0", pass_mark="150", attempts_allowed="x"
        ),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Please correct the marked fields" in page
    assert "Number must be between 1 and" in page and "Number must be between 0 and 100" in page
    assert 'value="Renamed"' in page and 'value="150"' in page
    assert db.session.get(Quiz, quiz.id).title == "Week 1"
    empty = post(client, "/organiser/quizzes", {"title": "  "})
    assert empty.status_code == 400 and "Give the quiz a title" in empty.get_data(as_text=True)


def test_search_the_bank_add_fixed_and_random_slots_then_move_and_remove(client, organiser, make):
    logo = make.choice_question("logo-1", category="IP", tags=("marks",), text="Logo question")
    make.choice_question("patent-1", category="IP", tags=("patents",), text="Patent question")
    quiz = make.quiz()
    url = f"/organiser/quizzes/{quiz.id}"
    page = client.get(url, query_string={"q": "logo"}).get_data(as_text=True)
    assert "logo-1" in page and "patent-1" not in page
    response = post(client, f"{url}/questions?q=logo", {"uids": ["logo-1"]})
    assert response.status_code == 302 and "q=logo" in response.location
    response = post(
        client,
        f"{url}/random",
        {
            "random-category": "IP",
            "random-tag": "patents",
            "random-count": "2",
            "random-include_subcategories": "y",
        },
    )
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "1 question(s) to draw from now" in page and "fewer than the 2 asked for" in page
    assert "2 at random" in page and "1 available now" in page
    slots = list(db.session.scalars(select(QuizSlot).order_by(QuizSlot.position)))
    assert [(s.kind, s.question_id, s.tag) for s in slots] == [
        ("fixed", logo.id, None),
        ("random", None, "patents"),
    ]
    again = post(client, f"{url}/questions", {"uids": ["logo-1"]}, follow_redirects=True)
    assert "Already in this quiz: logo-1" in again.get_data(as_text=True)
    post(client, f"{url}/slots", {"slot_id": slots[1].id, "action": "up"})
    db.session.expire_all()
    assert [s.kind for s in db.session.get(Quiz, quiz.id).slots] == ["random", "fixed"]
    post(client, f"{url}/slots", {"slot_id": slots[1].id, "action": "remove"})
    db.session.expire_all()
    assert [(s.kind, s.position) for s in db.session.get(Quiz, quiz.id).slots] == [("fixed", 1)]


def test_bad_slot_input_re_renders_with_messages(client, organiser, make):
    make.choice_question(category="IP")
    quiz = make.quiz()
    url = f"/organiser/quizzes/{quiz.id}"
    response = post(client, f"{url}/random", {"random-count": "3"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose a category, a tag, or both" in page and 'value="3"' in page
    assert f'value="{quiz.title}"' in page  # the settings form shows the saved settings
    response = post(client, f"{url}/random", {"random-category": "IP", "random-count": "0"})
    assert response.status_code == 400
    assert "Number must be between 1 and" in response.get_data(as_text=True)
    response = post(client, f"{url}/questions", {"uids": ["missing"]})
    assert response.status_code == 400
    assert "no question with the id missing" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(QuizSlot.id))) == 0


def test_a_module_quiz_warns_that_the_loader_owns_it(app, client, organiser, make):
    module = make.module(title="Why IP matters")
    quiz = make.quiz(module_id=module.id)
    page = client.get(f"/organiser/quizzes/{quiz.id}").get_data(as_text=True)
    assert "camp content load" in page and "Why IP matters" in page
    assert f"/organiser/quizzes/{quiz.id}/access" in page
    assert f"/organiser/quizzes/{quiz.id}/stats" in page
    assert "Why IP matters" in client.get("/organiser/quizzes").get_data(as_text=True)


def test_windows_and_accommodations_through_the_access_page(client, organiser, make):
    cohort = make.cohort("Mine", organiser=organiser)
    students = [make.user(name=f"Student {i}") for i in range(3)]
    for student in students:
        make.member(cohort, student)
    quiz = make.quiz([make.choice_question()], time_limit_minutes=10, attempts_allowed=1)
    url = f"/organiser/quizzes/{quiz.id}/access"
    page = client.get(url).get_data(as_text=True)
    assert "All times are in UTC" in page and "Opens (UTC)" in page and "Student 2" in page
    prefix = f"cohort-{cohort.id}"
    response = post(
        client,
        f"{url}/cohorts/{cohort.id}",
        {f"{prefix}-opens_at": "2026-09-01T08:00", f"{prefix}-closes_at": "2026-09-01T10:30"},
    )
    assert response.status_code == 302
    window = db.session.scalar(select(QuizWindow))
    assert window.opens_at == datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
    assert window.closes_at == datetime(2026, 9, 1, 10, 30, tzinfo=UTC)
    bad = post(
        client,
        f"{url}/cohorts/{cohort.id}",
        {f"{prefix}-opens_at": "2026-09-02T08:00", f"{prefix}-closes_at": "2026-09-01T08:00"},
    )
    assert bad.status_code == 400
    assert "must open before it closes" in bad.get_data(as_text=True)
    chosen = [students[0].id, students[2].id]
    response = post(client, url, {"students": chosen, "extra_minutes": "20", "extra_attempts": "1"})
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Accommodation saved for 2 student(s)" in page
    rows = db.session.scalars(select(QuizOverride).order_by(QuizOverride.user_id)).all()
    assert [(o.user_id, o.extra_minutes, o.extra_attempts) for o in rows] == [
        (students[0].id, 20, 1),
        (students[2].id, 20, 1),
    ]
    limits = attempts.limits_for_user(quiz, students[2])
    assert limits.time_limit == timedelta(minutes=30) and limits.attempts_allowed == 2
    none_chosen = post(client, url, {"extra_minutes": "5", "extra_attempts": "0"})
    assert none_chosen.status_code == 400
    assert "Choose at least one student" in none_chosen.get_data(as_text=True)
    response = post(client, f"{url}/overrides/{students[0].id}/remove")
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(QuizOverride.id))) == 1
    cleared = post(client, f"{url}/cohorts/{cohort.id}", {})
    assert cleared.status_code == 302
    window = db.session.scalar(select(QuizWindow))
    db.session.refresh(window)
    assert (window.opens_at, window.closes_at) == (None, None)
    assert "Window for Mine saved: open at any time." in client.get(url).get_data(as_text=True)


def test_an_organiser_cannot_set_access_for_a_cohort_they_do_not_run(client, organiser, make):
    other = make.user(Role.ORGANISER)
    theirs = make.cohort("Theirs", organiser=other)
    stranger = make.user(name="Stranger")
    make.member(theirs, stranger)
    mine = make.cohort("Mine", organiser=organiser)
    pupil = make.user(name="Pupil")
    make.member(mine, pupil)
    quiz = make.quiz([make.choice_question()])
    db.session.add(QuizOverride(quiz_id=quiz.id, user_id=stranger.id, extra_minutes=5))
    db.session.commit()
    url = f"/organiser/quizzes/{quiz.id}/access"
    page = client.get(url).get_data(as_text=True)
    assert "Theirs" not in page and "Stranger" not in page and "Pupil" in page
    window = post(client, f"{url}/cohorts/{theirs.id}", {f"cohort-{theirs.id}-closes_at": ""})
    assert window.status_code == 403
    mixed = post(
        client,
        url,
        {"students": [pupil.id, stranger.id], "extra_minutes": "5", "extra_attempts": "0"},
    )
    assert mixed.status_code == 403
    assert post(client, f"{url}/overrides/{stranger.id}/remove").status_code == 403
    assert db.session.scalar(select(func.count(QuizOverride.id))) == 1
    assert db.session.scalar(select(func.count(QuizWindow.id))) == 0


def test_a_student_gets_403_on_every_quiz_building_page(app, client, make, login):
    student = make.user()
    cohort = make.cohort()
    make.member(cohort, student)
    question = make.choice_question()
    quiz = make.quiz([question])
    login(student)
    token_page = client.get("/account").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', token_page).group(1)
    args = {
        "quiz_id": quiz.id,
        "cohort_id": cohort.id,
        "student_id": student.id,
        "question_uid": question.uid,
        "attempt_question_id": 1,
    }
    rules = [
        r
        for r in app.url_map.iter_rules()
        if r.endpoint.startswith(("authoring.quizzes.", "authoring.grading."))
    ]
    assert len(rules) >= 12
    for rule in rules:
        url = rule.build(args)[1]
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = client.open(url, method=method, data={"csrf_token": csrf})
            assert response.status_code == 403, f"{method} {url}"


def posted_fields(page, button):
    """The fields a browser posts with the form whose button reads `button`."""
    for action, body in re.findall(
        r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', page, re.S
    ):
        if f">{button}</button>" in body:
            return action, re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', body)
    raise AssertionError(f"no form with a {button!r} button")


def test_the_slot_buttons_post_what_the_view_expects(client, organiser, make):
    a, b = make.choice_question(), make.choice_question()
    quiz = make.quiz([a, b])
    page = client.get(f"/organiser/quizzes/{quiz.id}").get_data(as_text=True)
    action, fields = posted_fields(page, "Move down")
    assert [name for name, _ in fields].count("action") == 1
    response = client.post(action, data=dict(fields))
    assert response.status_code == 302
    assert [s.question_id for s in db.session.get(Quiz, quiz.id).slots] == [b.id, a.id]
