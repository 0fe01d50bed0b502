"""The host's controls: each is refused where it makes no sense, and every change bumps the
session's state version (phones poll with it)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from camp.extensions import db
from camp.live import services as live
from camp.live.errors import NoMoreItems, SessionEnded, StaleState, WrongPhase
from camp.live.models import LiveSession, Phase
from camp.live.plan import ItemDraft
from tests.live.conftest import T0, at, new_session


def three_items(world):
    return new_session(
        world,
        [
            ItemDraft.question(world.geneva.id, time_limit_s=20),
            ItemDraft.question(world.true_false.id, time_limit_s=10),
            ItemDraft.open_text("Anything to add?", time_limit_s=60),
        ],
    )


def test_a_whole_session_bumps_the_version_at_every_step(world):
    session = three_items(world)
    seen = [session.state_version]

    def step(control, *args):
        result = control(session, *args)
        db.session.commit()
        assert session.state_version == seen[-1] + 1, control.__name__
        seen.append(session.state_version)
        return result

    first = step(live.start, at(0))
    assert (session.phase, session.current_position) == (Phase.QUESTION, 1)
    assert (first.opened_at, first.closes_at) == (at(0), at(20))
    step(live.pause, at(5))
    step(live.add_time, at(6))
    step(live.resume, at(9))
    step(live.add_time, at(10), 30)
    step(live.reveal, at(12))
    step(live.next_item, at(20))
    step(live.skip, at(21))
    assert session.current_position == 3
    step(live.reveal, at(30))
    step(live.end, at(40))
    assert session.phase == Phase.ENDED and session.ended_at == at(40)
    assert seen == list(range(11))


@pytest.mark.parametrize(
    ("control", "phase"),
    [
        (live.reveal, "lobby"),
        (live.pause, "lobby"),
        (live.resume, "lobby"),
        (live.add_time, "lobby"),
        (live.skip, "lobby"),
        (live.start, "question"),
        (live.next_item, "question"),
        (live.resume, "question"),
        (live.start, "revealed"),
        (live.reveal, "revealed"),
        (live.pause, "revealed"),
        (live.add_time, "revealed"),
        (live.skip, "revealed"),
    ],
)
def test_controls_that_make_no_sense_now_are_refused_and_change_nothing(world, control, phase):
    session = three_items(world)
    if phase != "lobby":
        live.start(session, at(0))
    if phase == "revealed":
        live.reveal(session, at(5))
    db.session.commit()
    version = session.state_version
    with pytest.raises(WrongPhase):
        control(session, at(6))
    assert session.state_version == version and session.phase == phase


def test_nothing_but_coming_back_works_after_the_end(world):
    session = three_items(world)
    live.end(session, at(1))
    for control in (live.start, live.next_item, live.reveal, live.pause, live.end, live.skip):
        with pytest.raises(SessionEnded):
            control(session, at(2))


def test_next_after_the_last_item_is_refused(world):
    session = new_session(world, [ItemDraft.question(world.geneva.id)])
    live.start(session, at(0))
    live.reveal(session, at(1))
    with pytest.raises(NoMoreItems):
        live.next_item(session, at(2))
    assert session.phase == Phase.REVEALED


def test_next_from_the_lobby_starts(world):
    session = three_items(world)
    assert live.next_item(session, at(0)).position == 1


def test_reveal_closes_a_question_early(world):
    session = three_items(world)
    item = live.start(session, at(0))
    live.reveal(session, at(7))
    assert (item.closes_at, item.revealed_at) == (at(7), at(7))


def test_reveal_after_the_time_is_up_keeps_the_closing_time(world):
    session = three_items(world)
    item = live.start(session, at(0))
    live.reveal(session, at(25))
    assert (item.closes_at, item.revealed_at) == (at(20), at(25))


def test_a_pause_stops_the_clock_and_resume_gives_the_time_left_back(world):
    session = three_items(world)
    item = live.start(session, at(0))
    live.pause(session, at(5))
    assert session.paused and session.paused_remaining_ms == 15_000
    assert item.closes_at == at(5)  # nothing is accepted while paused
    with pytest.raises(WrongPhase, match="already paused"):
        live.pause(session, at(6))
    live.add_time(session, at(7))  # while paused: more time left
    assert session.paused_remaining_ms == 30_000
    live.resume(session, at(65))
    assert not session.paused
    assert item.closes_at == at(95)
    assert item.paused_ms == 60_000


def test_a_question_whose_time_is_up_can_be_neither_paused_nor_given_time(world):
    session = three_items(world)
    item = live.start(session, at(0))
    with pytest.raises(WrongPhase, match="up"):
        live.pause(session, at(20))
    with pytest.raises(WrongPhase, match="up"):
        live.add_time(session, at(21))
    assert item.closes_at == at(20)


def test_add_time_moves_the_close(world):
    session = three_items(world)
    item = live.start(session, at(0))
    live.add_time(session, at(19))
    assert item.closes_at == at(35)
    with pytest.raises(WrongPhase):
        live.add_time(session, at(20), 0)


def test_skip_drops_the_question_and_opens_the_next(world):
    session = three_items(world)
    first = live.start(session, at(0))
    second = live.skip(session, at(4))
    assert first.skipped and first.closes_at == at(4)
    assert second.position == 2 and second.opened_at == at(4)
    assert session.phase == Phase.QUESTION


def test_skipped_items_are_not_asked_again(world):
    session = three_items(world)
    live.start(session, at(0))
    live.skip(session, at(1))  # item 1 dropped, item 2 asked
    live.reveal(session, at(2))
    assert live.next_item(session, at(3)).position == 3


def test_skipping_the_last_question_ends_the_session(world):
    session = new_session(world, [ItemDraft.question(world.geneva.id)])
    live.start(session, at(0))
    assert live.skip(session, at(3)) is None
    assert session.phase == Phase.ENDED


def test_skipping_while_paused_unpauses(world):
    session = three_items(world)
    live.start(session, at(0))
    live.pause(session, at(2))
    live.skip(session, at(3))
    assert not session.paused and session.current_position == 2


def test_ending_during_a_question_closes_it(world):
    session = three_items(world)
    item = live.start(session, at(0))
    live.end(session, at(8))
    assert item.closes_at == at(8) and session.phase == Phase.ENDED
    ended = new_session(world)
    live.end(ended, at(1))  # straight from the lobby
    assert ended.phase == Phase.ENDED and ended.current_position is None


def test_a_control_from_a_stale_screen_is_refused(world):
    """A double click: the second "next" was sent from the screen before the first."""
    session = three_items(world)
    seen = session.state_version
    live.start(session, at(0), seen_version=seen)
    live.reveal(session, at(5), seen_version=seen + 1)
    with pytest.raises(StaleState):
        live.next_item(session, at(6), seen_version=seen + 1)
    assert session.current_position == 1


def test_two_workers_changing_the_session_at_once_cannot_both_win(world):
    """Another worker pressed next first: its UPDATE bumped the version under ours."""
    session = three_items(world)
    live.start(session, at(0))
    live.reveal(session, at(5))
    db.session.commit()
    db.session.execute(
        update(LiveSession)
        .where(LiveSession.id == session.id)
        .values(state_version=LiveSession.state_version + 1, current_position=2, phase="question")
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(StaleState):
        live.next_item(session, at(6))
    db.session.rollback()


def test_times_are_the_servers(world):
    session = three_items(world)
    item = live.start(session, T0 + timedelta(milliseconds=1234))
    assert item.closes_at - item.opened_at == timedelta(seconds=20)
