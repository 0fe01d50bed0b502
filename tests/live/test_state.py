"""What phones are shown: the state, cheap to compute, without the key before the reveal;
and the scores, in one GROUP BY query."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import event

from camp.bank.services import QuestionDraft
from camp.extensions import db
from camp.live import services as live
from camp.live.plan import ItemDraft, LiveSettings
from tests.live.conftest import T0, at, joined, letter_of, new_session

SECRET = "SECRETKEY"  # in every feedback and accepted answer of the questions below


def secret_drafts():
    fb = f"{SECRET} feedback"
    return [
        QuestionDraft(
            type="single_choice",
            text="Pick one",
            general_feedback=f"{SECRET} general",
            spec={
                "options": [
                    {"text": "Alpha", "weight": 100, "feedback": fb},
                    {"text": "Beta", "weight": 0, "feedback": fb},
                    {"text": "Gamma", "weight": 0, "feedback": fb},
                ]
            },
        ),
        QuestionDraft(
            type="multiple_choice",
            text="Pick several",
            spec={
                "options": [
                    {"text": "Delta", "weight": 50, "feedback": fb},
                    {"text": "Epsilon", "weight": 50, "feedback": fb},
                    {"text": "Zeta", "weight": -100, "feedback": fb},
                ]
            },
        ),
        QuestionDraft(
            type="true_false",
            text="Is it true?",
            spec={"answer": True, "feedback_true": fb, "feedback_false": fb},
        ),
        QuestionDraft(
            type="short_answer",
            text="Name the city",
            spec={"answers": [{"text": f"{SECRET}city", "weight": 100, "feedback": fb}]},
        ),
        QuestionDraft(
            type="numerical",
            text="How many years?",
            spec={"answers": [{"kind": "exact", "value": 31415.0, "weight": 100, "feedback": fb}]},
        ),
        QuestionDraft(
            type="ordering",
            text="Put them in order",
            spec={"items": ["Iota first", "Kappa second", "Lambda third"], "grading": "partial"},
        ),
    ]


def assert_no_key(data):
    text = json.dumps(data)
    assert SECRET not in text
    assert "31415" not in text
    assert "weight" not in text.lower()
    assert "feedback" not in text.lower()
    assert data["right_answer"] is None
    assert data.get("result") is None


def test_before_the_reveal_no_state_holds_the_key(world, make):
    questions = [make.question(draft) for draft in secret_drafts()]
    session = new_session(world, [ItemDraft.question(q.id) for q in questions])
    student = joined(session, world.student)
    assert_no_key(live.state(session, student, now=T0))
    clock = 0
    for position in range(1, len(questions) + 1):
        opened = live.start if position == 1 else live.next_item
        item = opened(session, at(clock))
        for now in (at(clock), at(clock + 30)):  # open, then with the time up
            assert_no_key(live.state(session, student, now=now))
            assert_no_key(live.state(session, now=now))
        view = live.state(session, now=at(clock))["item"]["view"]
        values = [option["value"] for option in view.get("options", [])]
        if view["type"] in ("single_choice", "multiple_choice"):
            assert values == ["A", "B", "C"]  # letters in the order shown, never indices
        if view["type"] == "ordering":
            shown = [str(row["html"]) for row in view["items"]]
            assert shown != ["Iota first", "Kappa second", "Lambda third"]  # (1 in 6 without)
        live.reveal(session, at(clock + 31))
        revealed = live.state(session, student, now=at(clock + 31))
        assert revealed["right_answer"]["text"]
        assert item.id == revealed["item"]["id"]
        clock += 40


def test_the_reveal_shows_the_right_answer_and_the_participants_result(world):
    session = new_session(world)
    student, classmate = joined(session, world.student), joined(session, world.classmate)
    item = live.start(session, T0)
    right = letter_of(session, "Geneva")
    live.answer(student, item.id, {"answer": right}, "a", at(2))
    mine = live.state(session, student, now=at(3))
    assert (mine["answered"], mine["your_answer"], mine["result"]) == (True, "Geneva", None)
    assert "total" not in mine  # not during a question: it would tell the room
    live.reveal(session, at(4))
    mine = live.state(session, student, now=at(5))
    assert mine["right_answer"] == {
        "text": "The correct answer is: Geneva",
        "values": [right],
    }
    assert mine["result"] == {"answered": True, "fraction": 1.0, "correct": True, "points": 950}
    assert (mine["total"], mine["rank"]) == (950, None)
    theirs = live.state(session, classmate, now=at(5))
    assert theirs["result"] == {"answered": False, "fraction": None, "correct": None, "points": 0}
    assert theirs["answered"] is False and theirs["total"] == 0


def test_true_false_reveals_its_value(world):
    session = new_session(world, [ItemDraft.question(world.true_false.id)])
    live.start(session, T0)
    live.reveal(session, at(1))
    assert live.state(session, now=at(1))["right_answer"]["values"] == ["true"]


def test_the_clock_is_computed_on_the_server(world):
    session = new_session(world)
    assert live.state(session, now=T0)["item"] is None
    live.start(session, T0)
    item = live.state(session, now=at(4.55))["item"]
    assert (item["seconds_left"], item["open"], item["time_limit_s"]) == (15.4, True, 20)
    live.pause(session, at(5))
    paused = live.state(session, now=at(50))
    assert paused["paused"] and paused["item"]["seconds_left"] == 15.0
    assert not paused["item"]["open"]
    live.resume(session, at(60))
    assert live.state(session, now=at(61))["item"]["seconds_left"] == 14.0
    late = live.state(session, now=at(80))["item"]
    assert (late["seconds_left"], late["open"]) == (0.0, False)


def test_the_state_says_where_the_session_is(world):
    session = new_session(world, settings=LiveSettings(allow_guests=True))
    joined(session, world.student)
    live.join(session, nickname="Ada", now=T0)
    lobby = live.state(session, now=T0)
    assert {k: lobby[k] for k in ("version", "phase", "position", "count", "joined")} == {
        "version": 0,
        "phase": "lobby",
        "position": None,
        "count": 2,
        "joined": 2,
    }
    live.start(session, T0)
    live.reveal(session, at(1))
    live.next_item(session, at(2))
    poll = live.state(session, now=at(2))
    assert (poll["version"], poll["phase"], poll["position"]) == (3, "question", 2)
    assert [str(o["html"]) for o in poll["item"]["view"]["options"]] == ["Coffee", "Tea"]
    live.end(session, at(3))
    ended = live.state(session, now=at(3))
    assert (ended["phase"], ended["item"], ended["position"]) == ("ended", None, None)


def test_names_and_texts_typed_in_are_escaped(world):
    session = new_session(world, [ItemDraft.poll("<script>x</script>?", ["<b>A</b>", "B"])])
    live.start(session, T0)
    view = live.state(session, now=T0)["item"]["view"]
    assert "<script>" not in view["text_html"] and "&lt;script&gt;" in view["text_html"]
    assert view["options"][0]["html"] == "&lt;b&gt;A&lt;/b&gt;"


def test_the_leaderboard_ranks_only_when_it_is_on(world, make):
    session = new_session(world, settings=LiveSettings(show_leaderboard=True))
    student, classmate = joined(session, world.student), joined(session, world.classmate)
    item = live.start(session, T0)
    live.answer(student, item.id, {"answer": letter_of(session, "Geneva")}, "a", at(10))
    live.answer(classmate, item.id, {"answer": letter_of(session, "Geneva")}, "a", at(0))
    live.reveal(session, at(11))
    assert (live.state(session, student, now=at(11))["rank"]) == 2
    assert (live.state(session, classmate, now=at(11))["rank"]) == 1


def test_the_state_is_json(world):
    session = new_session(world)
    student = joined(session, world.student)
    live.start(session, T0)
    live.answer(student, live.current_item(session).id, {"answer": "A"}, "a", at(1))
    live.reveal(session, at(2))
    assert json.loads(json.dumps(live.state(session, student, now=at(2))))


@pytest.fixture
def statements(app):
    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    yield seen
    event.remove(db.engine, "before_cursor_execute", count)


def test_a_phones_state_costs_a_few_queries(world, statements):
    session = new_session(world)
    student = joined(session, world.student)
    live.start(session, T0)
    live.answer(student, live.current_item(session).id, {"answer": "A"}, "a", at(1))
    db.session.commit()
    live.state(session, student, now=at(2))  # warms the version and view caches
    db.session.commit()
    db.session.refresh(session)  # as a request loads them
    db.session.refresh(student)
    statements.clear()
    live.state(session, student, now=at(3))
    assert len(statements) <= 3, statements
    live.reveal(session, at(4))
    db.session.commit()
    live.state(session, student, now=at(5))
    db.session.commit()
    db.session.refresh(session)
    db.session.refresh(student)
    statements.clear()
    live.state(session, student, now=at(5))
    assert len(statements) <= 4, statements


def test_scores_are_one_query_with_shared_ranks_and_skipped_items_left_out(world, statements):
    session = new_session(
        world,
        [
            ItemDraft.question(world.geneva.id, speed_bonus=False),
            ItemDraft.question(world.geneva.id, speed_bonus=False),
            ItemDraft.question(world.true_false.id),
        ],
        settings=LiveSettings(allow_guests=True),
    )
    student, classmate = joined(session, world.student), joined(session, world.classmate)
    guest, _ = live.join(session, nickname="Ada", now=T0)
    first = live.start(session, at(0))
    right = {"answer": letter_of(session, "Geneva", at(0))}
    for who in (student, classmate, guest):
        live.answer(who, first.id, right, "a", at(1))
    live.reveal(session, at(2))
    second = live.next_item(session, at(3))
    right = {"answer": letter_of(session, "Geneva", at(3))}
    live.answer(student, second.id, right, "b", at(4))
    live.skip(session, at(5))  # the second question is dropped: its 1000 points go
    third = live.current_item(session)
    live.answer(guest, third.id, {"answer": "false"}, "c", at(6))
    db.session.commit()
    db.session.refresh(session)  # as a request loads it
    statements.clear()
    board = live.scores(session)
    assert len(statements) == 1
    assert [(s.name, s.points, s.answers, s.rank, s.user_id is None) for s in board] == [
        ("Sam Student", 1000, 1, 1, False),
        ("Cleo Classmate", 1000, 1, 1, False),
        ("Ada", 1000, 2, 1, True),
    ]
    assert [s.participant_id for s in board] == [student.id, classmate.id, guest.id]


def test_someone_who_joined_and_never_answered_has_no_points(world):
    session = new_session(world)
    joined(session, world.student)
    assert [(s.points, s.answers, s.rank) for s in live.scores(session)] == [(0, 0, 1)]
