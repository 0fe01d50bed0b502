"""Answers: timed by the server, stored once whatever the retries, refused when late or
paused, graded by the question's own type."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from camp.bank.services import QuestionDraft
from camp.extensions import db
from camp.live import answers as answers_module
from camp.live import services as live
from camp.live.errors import AnswerTooLate, BadAnswer, NotOpen, Paused, SessionEnded
from camp.live.models import LiveAnswer, LiveItem
from camp.live.plan import ItemDraft, LiveSettings
from tests.live.conftest import T0, at, joined, letter_of, new_session


def rows(participant=None):
    query = select(func.count(LiveAnswer.id))
    if participant is not None:
        query = query.where(LiveAnswer.participant_id == participant.id)
    return db.session.scalar(query)


@pytest.fixture
def asked(world):
    """The Geneva question asked (20 s), and a student who joined."""
    session = new_session(world)
    student = joined(session, world.student)
    item = live.start(session, T0)
    db.session.commit()
    right = {"answer": letter_of(session, "Geneva")}
    wrong = {"answer": letter_of(session, "Paris")}
    return session, student, item, right, wrong


def test_an_instant_right_answer_gets_1000_and_one_at_the_buzzer_500(world, asked):
    session, student, item, right, _wrong = asked
    classmate = joined(session, world.classmate)
    live.answer(student, item.id, right, "a", T0)
    live.answer(classmate, item.id, right, "b", at(20) - timedelta(milliseconds=1))
    stored = db.session.scalars(select(LiveAnswer).order_by(LiveAnswer.id)).all()
    assert [(a.elapsed_ms, a.points, a.fraction) for a in stored] == [
        (0, 1000, 1.0),
        (19_999, 500, 1.0),
    ]
    assert stored[0].received_at == T0


def test_a_wrong_answer_scores_nothing(asked):
    _session, student, item, _right, wrong = asked
    live.answer(student, item.id, wrong, "a", at(1))
    assert db.session.scalar(select(LiveAnswer.points)) == 0


def test_paused_time_does_not_count_towards_the_response_time(asked):
    session, student, item, right, _wrong = asked
    live.pause(session, at(4))
    live.resume(session, at(64))  # a minute's pause
    ack = live.answer(student, item.id, right, "a", at(68))
    assert ack.accepted
    stored = db.session.scalar(select(LiveAnswer))
    assert stored.elapsed_ms == 8_000
    assert stored.points == 800


def test_the_same_answer_sent_twice_is_stored_once_with_the_same_ack(asked):
    _session, student, item, right, _wrong = asked
    first = live.answer(student, item.id, right, "key-1", at(2))
    again = live.answer(student, item.id, right, "key-1", at(3))
    assert first == again
    assert first.accepted and not first.duplicate and first.points is None
    assert first.your_answer == "Geneva"  # in words: never the option's index
    assert "response" not in first.as_dict()
    assert rows(student) == 1


def test_a_retry_after_the_question_closed_still_gets_its_ack(asked):
    """The answer reached the server, the reply was lost, the phone retried too late."""
    session, student, item, right, _wrong = asked
    first = live.answer(student, item.id, right, "key-1", at(2))
    live.reveal(session, at(5))
    live.next_item(session, at(6))
    again = live.answer(student, item.id, right, "key-1", at(7))
    assert (again.accepted, again.duplicate, again.received_at) == (True, False, first.received_at)
    assert again.points == 950  # revealed now: the points may be told
    assert rows(student) == 1


def test_a_second_different_answer_is_ignored_the_first_counts(asked):
    _session, student, item, right, wrong = asked
    live.answer(student, item.id, wrong, "key-1", at(2))
    second = live.answer(student, item.id, right, "key-2", at(3))
    assert second.duplicate and not second.accepted
    assert second.your_answer == "Paris"  # the stored answer, in words
    stored = db.session.scalar(select(LiveAnswer))
    assert (stored.idempotency_key, stored.points) == ("key-1", 0)
    assert rows(student) == 1


def test_two_copies_racing_leave_one_row(asked, monkeypatch):
    """Both copies looked before either stored: the loser meets the unique constraint."""
    _session, student, item, right, _wrong = asked
    first = live.answer(student, item.id, right, "key-1", at(2))
    looked = []

    def nothing_yet(item_id, participant_id):
        if not looked:
            looked.append(True)
            return None  # as if the first copy had not committed when this one looked
        return real(item_id, participant_id)

    real = answers_module._stored
    monkeypatch.setattr(answers_module, "_stored", nothing_yet)
    again = live.answer(student, item.id, right, "key-1", at(2))
    assert again == first
    assert looked and rows(student) == 1
    # The failed insert was rolled back to its savepoint: the transaction goes on.
    db.session.commit()
    assert rows(student) == 1


def test_late_answers_are_refused(asked):
    session, student, item, right, _wrong = asked
    with pytest.raises(AnswerTooLate):
        live.answer(student, item.id, right, "a", at(20))
    live.reveal(session, at(21))
    with pytest.raises(AnswerTooLate):
        live.answer(student, item.id, right, "a", at(21))
    live.next_item(session, at(22))
    with pytest.raises(AnswerTooLate):  # a retry of a previous question
        live.answer(student, item.id, right, "a", at(23))
    assert rows() == 0


def test_an_early_reveal_closes_the_question(asked):
    session, student, item, right, _wrong = asked
    live.reveal(session, at(3))
    with pytest.raises(AnswerTooLate):
        live.answer(student, item.id, right, "a", at(4))


def test_answers_while_paused_are_refused(asked):
    session, student, item, right, _wrong = asked
    live.pause(session, at(3))
    with pytest.raises(Paused):
        live.answer(student, item.id, right, "a", at(4))
    live.resume(session, at(10))
    assert live.answer(student, item.id, right, "a", at(11)).accepted


def test_an_item_not_asked_yet_or_of_another_session_is_not_open(world, asked):
    session, student, _item, right, _wrong = asked
    poll = live.current_item(session).id + 1
    with pytest.raises(NotOpen):
        live.answer(student, poll, {"answer": "A"}, "a", at(1))
    other = new_session(world)
    live.start(other, at(0))
    with pytest.raises(NotOpen):
        live.answer(student, live.current_item(other).id, right, "a", at(1))
    with pytest.raises(NotOpen):
        live.answer(student, 999_999, right, "a", at(1))


def test_after_the_end_answers_are_refused(world):
    session = new_session(world)
    student = joined(session, world.student)
    first = db.session.scalar(
        select(LiveItem.id).where(LiveItem.session_id == session.id, LiveItem.position == 1)
    )
    live.end(session, at(1))
    with pytest.raises(SessionEnded):
        live.answer(student, first, {"answer": "A"}, "a", at(2))


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ({"answer": "Z"}, "not one of the options"),
        ({"answer": "0"}, "not one of the options"),  # indices are never accepted
        ({}, "Choose or type an answer"),
        ({"answer": ""}, "Choose or type an answer"),
        ("A", "could not be read"),
        ({"answer": 1}, "could not be read"),
    ],
)
def test_unreadable_answers_are_refused_and_leave_the_way_open(asked, raw, why):
    _session, student, item, right, _wrong = asked
    with pytest.raises(BadAnswer, match=why):
        live.answer(student, item.id, raw, "a", at(1))
    assert live.answer(student, item.id, right, "b", at(2)).accepted


@pytest.mark.parametrize("key", ["", "x" * 65, "naïve", "a\nb", None])
def test_idempotency_keys_are_short_printable_ascii(asked, key):
    _session, student, item, right, _wrong = asked
    with pytest.raises(BadAnswer):
        live.answer(student, item.id, right, key, at(1))


def test_a_form_post_works_as_well_as_json(asked):
    _session, student, item, right, _wrong = asked
    assert live.answer(student, item.id, MultiDict(right), "a", at(1)).accepted
    assert db.session.scalar(select(LiveAnswer.fraction)) == 1.0


def test_polls_store_the_options_chosen_and_score_nothing(world):
    session = new_session(
        world,
        [
            ItemDraft.poll("Coffee or tea?", ["Coffee", "Tea"]),
            ItemDraft.poll("Which do you use?", ["Slides", "Boards", "Chalk"], multiple=True),
        ],
    )
    student = joined(session, world.student)
    single = live.start(session, at(0))
    with pytest.raises(BadAnswer, match="Choose one"):
        live.answer(student, single.id, {"answer": ["A", "B"]}, "a", at(1))
    live.answer(student, single.id, {"answer": "B"}, "a", at(1))
    live.reveal(session, at(2))
    several = live.next_item(session, at(3))
    live.answer(student, several.id, {"answer": ["C", "A", "C"]}, "b", at(4))
    stored = db.session.scalars(select(LiveAnswer).order_by(LiveAnswer.id)).all()
    assert [(a.response, a.fraction, a.points) for a in stored] == [
        ({"selected": 1}, None, 0),
        ({"selected": [0, 2]}, None, 0),
    ]


def test_open_answers_are_trimmed_and_limited(world):
    session = new_session(world, [ItemDraft.open_text("One word for today?")])
    student, classmate = joined(session, world.student), joined(session, world.classmate)
    item = live.start(session, at(0))
    with pytest.raises(BadAnswer, match="at most 280"):
        live.answer(student, item.id, {"answer": "x" * 281}, "a", at(1))
    with pytest.raises(BadAnswer):
        live.answer(student, item.id, {"answer": "   "}, "a", at(1))
    live.answer(student, item.id, {"answer": "  <b>Great</b>\n day "}, "a", at(1))
    live.answer(classmate, item.id, {"answer": "y" * 280}, "a", at(1))
    assert db.session.scalars(select(LiveAnswer.response).order_by(LiveAnswer.id)).all() == [
        {"text": "<b>Great</b> day"},
        {"text": "y" * 280},
    ]


def test_every_live_type_is_graded_by_its_own_type(world, make):
    ordering = make.question(
        QuestionDraft(
            type="ordering",
            text="Order",
            spec={"items": ["first", "second", "third"], "grading": "partial"},
        )
    )
    numerical = make.question(
        QuestionDraft(
            type="numerical",
            text="How many?",
            spec={"answers": [{"kind": "exact", "value": 3.0, "weight": 100, "feedback": ""}]},
        )
    )
    short = make.question(
        QuestionDraft(
            type="short_answer",
            text="Name it",
            spec={"answers": [{"text": "Geneva", "weight": 100, "feedback": ""}]},
        )
    )
    ids = [world.true_false.id, ordering.id, numerical.id, short.id]
    session = new_session(world, [ItemDraft.question(i, speed_bonus=False) for i in ids])
    student = joined(session, world.student)
    tf = live.start(session, at(0))
    live.answer(student, tf.id, {"answer": "true"}, "a", at(1))
    live.reveal(session, at(2))
    order_item = live.next_item(session, at(3))
    rows_view = live.state(session, now=at(3))["item"]["view"]["items"]
    # The right order, posted as "<letter>:<place>" per row (the ordering partial's format).
    place = {"first": 1, "second": 2, "third": 3}
    posted = {}
    for row in rows_view:
        value = row["places"][0]["value"].rpartition(":")[0]
        posted[row["field_name"]] = f"{value}:{place[str(row['html'])]}"
    live.answer(student, order_item.id, posted, "b", at(4))
    live.reveal(session, at(5))
    number = live.next_item(session, at(6))
    live.answer(student, number.id, {"answer": " 3,0 "}, "c", at(7))
    live.reveal(session, at(8))
    text = live.next_item(session, at(9))
    live.answer(student, text.id, {"answer": "geneva"}, "d", at(10))
    stored = db.session.scalars(select(LiveAnswer).order_by(LiveAnswer.id)).all()
    assert [(a.fraction, a.points) for a in stored] == [(1.0, 1000)] * 4


def test_points_off_grades_but_scores_nothing(world):
    session = new_session(world, [ItemDraft.question(world.geneva.id, points=False)])
    student = joined(session, world.student)
    item = live.start(session, at(0))
    live.answer(student, item.id, {"answer": letter_of(session, "Geneva")}, "a", at(1))
    stored = db.session.scalar(select(LiveAnswer))
    assert (stored.fraction, stored.points) == (1.0, 0)


def test_a_guest_answers_like_anyone(world):
    session = new_session(world, settings=LiveSettings(allow_guests=True))
    guest, _token = live.join(session, nickname="Ada", now=T0)
    item = live.start(session, at(0))
    right = {"answer": letter_of(session, "Geneva")}
    assert live.answer(guest, item.id, right, "a", at(0)).accepted
