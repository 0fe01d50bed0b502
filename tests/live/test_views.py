"""The live sessions through their pages, as the organiser, the projector and the phones
use them: creating a session, joining with a typed code, answering with and without
JavaScript, the state phones poll, the controls, the board and the results."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from camp.db import utcnow
from camp.extensions import db
from camp.live import services as live
from camp.live.board_models import BoardPost
from camp.live.models import LiveAnswer, LiveItem, LiveParticipant, LiveSession, Phase
from camp.live.plan import ItemDraft, LiveSettings


@pytest.fixture
def app_config():
    # CSRF has its own tests (and the browser test sends real tokens).
    return {"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False}


def _session(world, *, settings=None, items=None):
    session = live.create_session(
        world.organiser,
        "Friday quiz",
        [world.cohort],
        items
        or [
            ItemDraft.question(world.geneva.id),
            ItemDraft.poll("Coffee or tea?", ["Coffee", "Tea"]),
        ],
        settings or LiveSettings(),
        utcnow(),
    )
    db.session.commit()
    return session


def _press(client, session, action):
    db.session.refresh(session)
    return client.post(
        f"/live/{session.code}/control", data={"action": action, "seen": session.state_version}
    )


OPTION = re.compile(
    r'value="([A-Z])" class="live-option[^"]*">\s*<span class="live-shape"[^>]*></span>\s*'
    r'<span class="live-letter">[A-Z]</span>\s*<span class="live-option-text">([^<]*)<'
)


def _letter(client, session, text):
    """The letter a phone posts for the option showing `text`, read from the phone page."""
    page = client.get(f"/live/{session.code}").get_data(as_text=True)
    letters = {shown: letter for letter, shown in OPTION.findall(page)}
    assert text in letters, page
    return letters[text]


def _item_id(session, position=1):
    return db.session.scalar(
        select(LiveItem.id).where(LiveItem.session_id == session.id, LiveItem.position == position)
    )


def _answers():
    return db.session.scalar(select(func.count(LiveAnswer.id)))


# -- the organiser ---------------------------------------------------------------------------


def test_an_organiser_creates_a_session_from_a_quiz_with_a_poll(client, login, world, make):
    quiz = make.quiz([world.geneva, world.true_false], title="Module 2 quiz")
    login(world.organiser)
    page = client.get("/organiser/live").get_data(as_text=True)
    assert "Module 2 quiz" in page and "Cohort A" in page and "Cohort B" not in page
    response = client.post(
        "/organiser/live",
        data={
            "title": "Friday",
            "cohorts": [world.cohort.id],
            "source": "quiz",
            "quiz": quiz.id,
            "extra": "poll: Coffee or tea? | Coffee | Tea\nopen: What surprised you?",
            "time_limit": 30,
            "points": "y",
        },
    )
    assert response.status_code == 302
    session = db.session.scalar(select(LiveSession).where(LiveSession.title == "Friday"))
    kinds = [
        i.kind
        for i in db.session.scalars(
            select(LiveItem).where(LiveItem.session_id == session.id).order_by(LiveItem.position)
        )
    ]
    assert kinds == ["question", "question", "poll", "open"]
    page = client.get(response.location).get_data(as_text=True)
    assert live.format_code(session.code) in page and "Where is WIPO?" in page


def test_a_form_that_names_nothing_to_ask_re_renders_and_writes_nothing(client, login, world):
    login(world.organiser)
    response = client.post(
        "/organiser/live",
        data={"title": "Empty", "cohorts": [world.cohort.id], "source": "none", "time_limit": 20},
    )
    assert response.status_code == 400
    assert "Add at least one question." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(LiveSession.id))) == 0


def test_an_organiser_cannot_invite_a_cohort_they_do_not_run(client, login, world):
    login(world.organiser)
    response = client.post(
        "/organiser/live",
        data={
            "title": "Sneaky",
            "cohorts": [world.other_cohort.id],
            "source": "none",
            "extra": "open: Hi?",
            "time_limit": 20,
        },
    )
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(LiveSession.id))) == 0


def test_a_second_organiser_can_neither_control_nor_read_a_session(client, login, world):
    session = _session(world)
    login(world.other_organiser)
    assert _press(client, session, "start").status_code == 403
    assert client.get(f"/live/{session.code}/present").status_code == 403
    assert client.get(f"/organiser/live/{session.id}/results").status_code == 403
    assert client.get(f"/organiser/live/{session.id}/results?format=csv").status_code == 403
    db.session.refresh(session)
    assert session.phase == Phase.LOBBY


def test_per_question_timing_changes_until_the_question_is_asked(client, login, world):
    session = _session(world)
    login(world.organiser)
    item = _item_id(session)
    client.post(f"/organiser/live/{session.id}/items/{item}", data={"time_limit": 45})
    row = db.session.get(LiveItem, item)
    db.session.refresh(row)
    assert (row.time_limit_s, row.points, row.speed_bonus) == (45, False, False)
    _press(client, session, "start")
    response = client.post(
        f"/organiser/live/{session.id}/items/{item}",
        data={"time_limit": 90, "points": "y"},
        follow_redirects=True,
    )
    assert "has been asked" in response.get_data(as_text=True)
    db.session.refresh(row)
    assert row.time_limit_s == 45


# -- joining -----------------------------------------------------------------------------------


def test_a_student_joins_with_the_code_typed_loosely(client, login, world):
    session = _session(world)
    login(world.student)
    typed = " " + session.code[:3].lower() + "-" + session.code[3:].lower() + " "
    response = client.post("/live", data={"code": typed})
    assert response.status_code == 302 and response.location.endswith(f"/live/{session.code}")
    page = client.get(response.location).get_data(as_text=True)
    assert "Waiting for the host to start" in page


def test_an_unknown_code_says_so(client, login, world):
    login(world.student)
    response = client.post("/live", data={"code": "ZZZ-ZZZ"})
    assert response.status_code == 404
    assert "No live session has that code" in response.get_data(
        as_text=True
    ) or "code" in response.get_data(as_text=True)


def test_a_visitor_is_sent_to_log_in_when_guests_are_not_allowed(client, world):
    session = _session(world)
    response = client.post("/live", data={"code": session.code, "nickname": "Kim"})
    assert response.status_code == 302 and "/login" in response.location
    assert db.session.scalar(select(func.count(LiveParticipant.id))) == 0


def test_a_guest_joins_with_a_nickname_and_comes_back_as_the_same_participant(client, world):
    session = _session(world, settings=LiveSettings(allow_guests=True))
    response = client.post("/live", data={"code": session.code, "nickname": "Kim"})
    assert response.status_code == 302
    cookie = client.get_cookie(f"camp_live_{session.code}", path="/live")
    assert cookie is not None and cookie.http_only
    page = client.get(f"/live/{session.code}").get_data(as_text=True)
    assert "You: Kim" in page
    again = client.post("/live", data={"code": session.code, "nickname": "Kim"})
    assert again.status_code == 302
    assert db.session.scalar(select(func.count(LiveParticipant.id))) == 1


def test_a_nickname_is_escaped_everywhere_it_is_shown(client, login, world, app):
    session = _session(world, settings=LiveSettings(allow_guests=True, show_leaderboard=True))
    evil = "<img src=x>"
    guest = app.test_client()
    assert guest.post("/live", data={"code": session.code, "nickname": evil}).status_code == 302
    page = guest.get(f"/live/{session.code}").get_data(as_text=True)
    assert "<img src=x" not in page and "&lt;img src=x&gt;" in page
    login(world.organiser)
    _press(client, session, "start")
    _press(client, session, "reveal")
    for url in (f"/live/{session.code}/present", f"/organiser/live/{session.id}/results"):
        shown = client.get(url).get_data(as_text=True)
        assert "<img src=x" not in shown and "&lt;img src=x&gt;" in shown, url


# -- answering ---------------------------------------------------------------------------------


def test_the_phone_plays_a_question_without_javascript(client, login, world, app):
    session = _session(world)
    host = app.test_client()
    login(world.student)
    client.post("/live", data={"code": session.code})
    with host.session_transaction() as cookie:
        cookie["_user_id"] = world.organiser.get_id()
    _press(host, session, "start")
    page = client.get(f"/live/{session.code}").get_data(as_text=True)
    assert "Question 1 of 2" in page and 'class="live-letter">A<' in page
    geneva = _letter(client, session, "Geneva")
    response = client.post(
        f"/live/{session.code}/answer",
        data={"item": _item_id(session), "key": "k1", "answer": geneva},
        follow_redirects=True,
    )
    assert "Answer received:" in response.get_data(as_text=True)
    _press(host, session, "reveal")
    page = client.get(f"/live/{session.code}").get_data(as_text=True)
    assert "Right!" in page and "The correct answer is: Geneva" in page


def test_an_answer_retried_with_its_key_counts_once(client, login, world, app):
    session = _session(world)
    login(world.organiser)
    client.post("/live", data={"code": session.code})
    _press(client, session, "start")
    geneva = _letter(client, session, "Geneva")
    data = {"item": _item_id(session), "key": "same-key", "answer": geneva}
    headers = {"Accept": "application/json"}
    first = client.post(f"/live/{session.code}/answer", data=data, headers=headers)
    second = client.post(f"/live/{session.code}/answer", data=data, headers=headers)
    assert first.status_code == second.status_code == 200
    assert first.json["accepted"] and second.json["accepted"] and not second.json["duplicate"]
    assert first.json["points"] is None  # nothing that hints at the key before the reveal
    assert _answers() == 1


def test_an_answer_after_the_question_closed_is_refused_with_a_message(client, login, world):
    session = _session(world)
    login(world.organiser)
    client.post("/live", data={"code": session.code})
    _press(client, session, "start")
    geneva = _letter(client, session, "Geneva")
    _press(client, session, "reveal")
    response = client.post(
        f"/live/{session.code}/answer",
        data={"item": _item_id(session), "key": "late", "answer": geneva},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 409
    assert response.json["accepted"] is False and "closed" in response.json["message"]
    assert _answers() == 0


def test_the_state_costs_a_304_until_something_changes(client, login, world):
    session = _session(world)
    login(world.organiser)
    client.post("/live", data={"code": session.code})
    url = f"/live/{session.code}/state"
    first = client.get(url)
    tag = first.headers["ETag"]
    assert client.get(url, headers={"If-None-Match": tag}).status_code == 304
    _press(client, session, "start")
    moved = client.get(url, headers={"If-None-Match": tag})
    assert moved.status_code == 200 and moved.json["phase"] == "question"
    tag = moved.headers["ETag"]
    geneva = _letter(client, session, "Geneva")
    client.post(
        f"/live/{session.code}/answer",
        data={"item": _item_id(session), "key": "k", "answer": geneva},
    )
    answered = client.get(url, headers={"If-None-Match": tag})
    assert answered.status_code == 200 and answered.json["answered"] is True


# -- the projector -----------------------------------------------------------------------------


def test_the_presenter_view_shows_the_code_qr_and_shortcuts(client, login, world):
    session = _session(world)
    login(world.organiser)
    page = client.get(f"/live/{session.code}/present").get_data(as_text=True)
    assert live.format_code(session.code) in page
    assert '<svg role="img" aria-label="QR code of the join address"' in page
    assert "<kbd>R</kbd>" in page and "<kbd>P</kbd>" in page
    assert client.get(f"/live/{session.code}/present/state").json == {
        "version": 0,
        "joined": 0,
        "answers": 0,
    }


def test_a_double_press_does_not_skip_a_question(client, login, world):
    session = _session(world)
    login(world.organiser)
    _press(client, session, "start")
    db.session.refresh(session)
    seen = session.state_version
    client.post(f"/live/{session.code}/control", data={"action": "advance", "seen": seen})
    again = client.post(
        f"/live/{session.code}/control",
        data={"action": "advance", "seen": seen},
        headers={"Accept": "application/json"},
    )
    assert again.status_code == 409 and again.json["done"] is False
    db.session.refresh(session)
    assert session.phase == Phase.REVEALED and session.current_position == 1


def test_the_reveal_draws_the_distribution(client, login, world, app):
    session = _session(world)
    login(world.organiser)
    client.post("/live", data={"code": session.code})
    _press(client, session, "start")
    geneva = _letter(client, session, "Geneva")
    client.post(
        f"/live/{session.code}/answer",
        data={"item": _item_id(session), "key": "k", "answer": geneva},
    )
    _press(client, session, "reveal")
    page = client.get(f"/live/{session.code}/present/stage").get_data(as_text=True)
    assert 'class="chart bar-chart"' in page and "✓ " in page
    assert "Geneva: 1 (right answer)" in page


# -- the board -----------------------------------------------------------------------------------


def test_board_posts_are_escaped_moderated_and_voted_once(client, login, world, app):
    session = _session(world)
    classmate = app.test_client()
    with classmate.session_transaction() as cookie:
        cookie["_user_id"] = world.classmate.get_id()
    classmate.post("/live", data={"code": session.code})
    classmate.post(f"/live/{session.code}/board", data={"text": "<script>alert(1)</script> Why?"})
    post = db.session.scalar(select(BoardPost))
    login(world.student)
    client.post("/live", data={"code": session.code})
    assert "alert(1)" not in client.get(f"/live/{session.code}").get_data(as_text=True)  # pending
    host = app.test_client()
    with host.session_transaction() as cookie:
        cookie["_user_id"] = world.organiser.get_id()
    moderation = host.get(f"/organiser/live/{session.id}").get_data(as_text=True)
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt; Why?" in moderation
        and "<script>alert" not in moderation
    )
    host.post(f"/organiser/live/{session.id}/board/{post.id}", data={"action": "approve"})
    page = client.get(f"/live/{session.code}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Why?" in page
    client.post(f"/live/{session.code}/board/{post.id}/vote", data={"vote": "1"})
    client.post(f"/live/{session.code}/board/{post.id}/vote", data={"vote": "1"})
    assert "1 vote" in client.get(f"/live/{session.code}/board").get_data(as_text=True)
    other = app.test_client()
    with other.session_transaction() as cookie:
        cookie["_user_id"] = world.other_organiser.get_id()
    refused = other.post(f"/organiser/live/{session.id}/board/{post.id}", data={"action": "hide"})
    assert refused.status_code == 403


# -- results -------------------------------------------------------------------------------------


def test_results_page_and_csv(client, login, world):
    session = _session(world)
    login(world.organiser)
    client.post("/live", data={"code": session.code})
    _press(client, session, "start")
    geneva = _letter(client, session, "Geneva")
    client.post(
        f"/live/{session.code}/answer",
        data={"item": _item_id(session), "key": "k", "answer": geneva},
    )
    _press(client, session, "reveal")
    _press(client, session, "end")
    page = client.get(f"/organiser/live/{session.id}/results").get_data(as_text=True)
    assert "Olive Organiser" in page and "How many chose each option" in page
    csv = client.get(f"/organiser/live/{session.id}/results?format=csv")
    assert csv.headers["Content-Type"].startswith("text/csv")
    text = csv.get_data(as_text=True)
    assert "Rank" in text and "Olive Organiser" in text


def test_closing_the_board_stops_new_questions_with_a_message(client, login, world, app):
    session = _session(world)
    host = app.test_client()
    with host.session_transaction() as cookie:
        cookie["_user_id"] = world.organiser.get_id()
    host.post(f"/organiser/live/{session.id}/board", data={"setting": "board_open", "value": "0"})
    login(world.student)
    client.post("/live", data={"code": session.code})
    page = client.get(f"/live/{session.code}").get_data(as_text=True)
    assert "closed the board" in page and "Post question" not in page
    refused = client.post(
        f"/live/{session.code}/board", data={"text": "Anyone?"}, follow_redirects=True
    )
    assert "closed the question board" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count(BoardPost.id))) == 0
