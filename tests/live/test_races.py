"""Real races on PostgreSQL, where several workers write at once (on SQLite every POST takes
the write lock at BEGIN, so requests never overlap): two copies of one answer, and two
hosts pressing "next", each in its own thread, transaction and connection."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from camp.extensions import db
from camp.live import answers as answers_module
from camp.live import services as live
from camp.live.errors import StaleState
from camp.live.models import LiveAnswer, LiveParticipant, LiveSession
from tests.live.conftest import T0, at, joined, letter_of, new_session


@pytest.fixture(autouse=True)
def postgres_only(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers: there is no race to lose")


def in_threads(app, work, count=2):
    """Run `work(index)` in `count` threads, each in its own app context (and so its own
    database session); return what each returned or raised."""
    results: list[object] = [None] * count

    def run(index):
        with app.app_context():
            try:
                results[index] = work(index)
                db.session.commit()
            except Exception as error:
                db.session.rollback()
                results[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_copies_of_an_answer_racing_leave_one_row_and_the_same_ack(app, world, monkeypatch):
    session = new_session(world)
    student = joined(session, world.student)
    item = live.start(session, T0)
    right = {"answer": letter_of(session, "Geneva")}
    db.session.commit()
    ids = (session.id, student.id, item.id)
    both_looked = threading.Barrier(2, timeout=10)
    real = answers_module._stored
    looked: set[int] = set()

    def look_then_wait(item_id, participant_id):
        found = real(item_id, participant_id)
        ident = threading.get_ident()
        if ident not in looked:  # the first look of each copy: neither has stored yet
            looked.add(ident)
            both_looked.wait()
        return found

    monkeypatch.setattr(answers_module, "_stored", look_then_wait)

    def send(_index):
        participant = db.session.get(LiveParticipant, ids[1])
        return live.answer(participant, ids[2], right, "same-key", at(1))

    acks = in_threads(app, send)
    assert all(isinstance(ack, answers_module.Ack) for ack in acks), acks
    assert acks[0] == acks[1] and acks[0].accepted
    assert db.session.scalar(select(func.count(LiveAnswer.id))) == 1


def test_two_hosts_pressing_next_at_once_open_one_question(app, world):
    session = new_session(world)
    live.start(session, T0)
    live.reveal(session, at(5))
    db.session.commit()
    session_id = session.id
    both_loaded = threading.Barrier(2, timeout=10)

    def press(_index):
        loaded = db.session.get(LiveSession, session_id)
        assert loaded is not None and loaded.phase == "revealed"
        both_loaded.wait()
        return live.next_item(loaded, at(6))

    results = in_threads(app, press)
    assert sorted(type(r).__name__ for r in results) == ["LiveItem", StaleState.__name__]
    db.session.expire_all()
    session = db.session.get(LiveSession, session_id)
    assert (session.current_position, session.state_version) == (2, 3)


def test_two_guests_taking_one_nickname_at_once_get_one_each_way(app, world, monkeypatch):
    from camp.live import services as services_module
    from camp.live.errors import NicknameTaken
    from camp.live.plan import LiveSettings

    session = new_session(world, settings=LiveSettings(allow_guests=True))
    session_id = session.id
    both_checked = threading.Barrier(2, timeout=10)
    real = services_module._nickname_taken

    def check_then_wait(live_session, key):
        taken = real(live_session, key)
        both_checked.wait()  # neither has inserted yet
        return taken

    monkeypatch.setattr(services_module, "_nickname_taken", check_then_wait)

    def join(index):
        loaded = db.session.get(LiveSession, session_id)
        return live.join(loaded, nickname="Ada" if index else "ADA", now=T0)

    results = in_threads(app, join)
    kinds = sorted(type(r).__name__ for r in results)
    assert kinds == [NicknameTaken.__name__, "tuple"], results
    assert db.session.scalar(select(func.count(LiveParticipant.id))) == 1


def test_a_student_joining_from_two_taps_at_once_is_one_participant(app, world, monkeypatch):
    from camp.accounts.models import User
    from camp.live import services as services_module

    session = new_session(world)
    session_id, student_id = session.id, world.student.id
    both_looked = threading.Barrier(2, timeout=10)
    real = services_module._participant_of
    looked: set[int] = set()

    def look_then_wait(live_session, user):
        found = real(live_session, user)
        if threading.get_ident() not in looked:
            looked.add(threading.get_ident())
            both_looked.wait()
        return found

    monkeypatch.setattr(services_module, "_participant_of", look_then_wait)

    def join(_index):
        loaded = db.session.get(LiveSession, session_id)
        participant, _token = live.join(loaded, user=db.session.get(User, student_id), now=T0)
        return participant.id

    results = in_threads(app, join)
    assert results[0] == results[1] and isinstance(results[0], int), results
    assert db.session.scalar(select(func.count(LiveParticipant.id))) == 1
