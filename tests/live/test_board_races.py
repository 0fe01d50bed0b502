"""The board's races on PostgreSQL, each side in its own thread, transaction and connection
(on SQLite every POST takes the write lock at BEGIN): two copies of one vote, posts sent at
once against the rate limit, and votes racing the host's "next"."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select

from camp.extensions import db
from camp.live import board
from camp.live import services as live
from camp.live.board_models import BoardPost, BoardVote
from camp.live.errors import TooManyPosts
from camp.live.models import LiveParticipant, LiveSession
from camp.live.plan import LiveSettings
from tests.live.conftest import T0, at, joined, new_session
from tests.live.test_races import in_threads


@pytest.fixture(autouse=True)
def postgres_only(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers: there is no race to lose")


def test_two_copies_of_a_vote_racing_leave_one_row(app, world, monkeypatch):
    session = new_session(world, settings=LiveSettings(board_moderated=False))
    author, voter = joined(session, world.student), joined(session, world.classmate)
    post = board.post_question(author, "Vote twice?", anonymous=False, now=T0)
    db.session.commit()
    ids = (voter.id, post.id)
    both_looked = threading.Barrier(2, timeout=10)
    real = board._has_voted

    def look_then_wait(post_id, participant_id):
        found = real(post_id, participant_id)
        both_looked.wait()  # neither has inserted yet
        return found

    monkeypatch.setattr(board, "_has_voted", look_then_wait)

    def send(_index):
        return board.vote(db.session.get(LiveParticipant, ids[0]), ids[1], at(1))

    results = in_threads(app, send)
    assert sorted(results) == [False, True], results
    assert db.session.scalar(select(func.count(BoardVote.id))) == 1
    db.session.expire_all()
    assert db.session.get(LiveSession, session.id).board_version == 2  # the post, one vote


def test_posts_sent_at_once_stay_within_the_rate_limit(app, world, monkeypatch):
    session = new_session(world)
    participant_id = joined(session, world.student).id
    real = board._check_rate

    def slow_check(participant, now):
        real(participant, now)
        time.sleep(0.2)  # without the row lock, every thread would count 0 posts here

    monkeypatch.setattr(board, "_check_rate", slow_check)
    count = board.POSTS_PER_WINDOW + 2

    def send(index):
        participant = db.session.get(LiveParticipant, participant_id)
        return board.post_question(participant, f"Question {index}", anonymous=False, now=at(1))

    results = in_threads(app, send, count=count)
    refused = [r for r in results if isinstance(r, TooManyPosts)]
    assert len(refused) == count - board.POSTS_PER_WINDOW, results
    assert db.session.scalar(select(func.count(BoardPost.id))) == board.POSTS_PER_WINDOW


def test_votes_during_the_hosts_next_neither_fail_it_nor_get_lost(app, world):
    session = new_session(world, settings=LiveSettings(board_moderated=False, allow_guests=True))
    author = joined(session, world.student)
    post = board.post_question(author, "Busy board", anonymous=False, now=T0)
    voters = [live.join(session, nickname=f"Voter {n}", now=T0)[0].id for n in range(6)]
    live.start(session, T0)
    live.reveal(session, at(1))
    db.session.commit()
    ids = (session.id, post.id)

    def act(index):
        if index == 0:
            loaded = db.session.get(LiveSession, ids[0])
            return live.next_item(loaded, at(2))
        return board.vote(db.session.get(LiveParticipant, voters[index - 1]), ids[1], at(2))

    results = in_threads(app, act, count=len(voters) + 1)
    assert type(results[0]).__name__ == "LiveItem", results
    assert results[1:] == [True] * len(voters), results
    db.session.expire_all()
    loaded = db.session.get(LiveSession, ids[0])
    assert (loaded.current_position, loaded.state_version) == (2, 3)
    assert loaded.board_version == 1 + len(voters)
