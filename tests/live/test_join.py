"""Joining: students of the session's cohorts as themselves, guests (when allowed) with a
nickname; and coming back after a reload, a locked phone or a dropped Wi-Fi as the same
participant, points and all."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from camp.accounts.models import User
from camp.extensions import db
from camp.live import services as live
from camp.live.codes import token_hash
from camp.live.errors import (
    GuestsNotAllowed,
    NicknameRefused,
    NicknameTaken,
    NotAllowedToJoin,
    SessionEnded,
)
from camp.live.models import LiveParticipant
from camp.live.nicknames import clean_nickname, nickname_key
from camp.live.plan import LiveSettings
from tests.live.conftest import T0, at, joined, letter_of, new_session

GUESTS = LiveSettings(allow_guests=True)


def participants(session):
    return db.session.scalar(
        select(func.count(LiveParticipant.id)).where(LiveParticipant.session_id == session.id)
    )


def test_a_student_of_the_cohort_joins_as_themselves(world):
    session = new_session(world)
    participant, token = live.join(session, user=world.student, now=at(5))
    assert token is None
    assert participant.user_id == world.student.id and participant.nickname is None
    assert participant.joined_at == at(5)


def test_a_student_of_another_cohort_is_refused(world):
    session = new_session(world, settings=GUESTS)
    for user in (world.outsider, world.loner, world.other_organiser):
        with pytest.raises(NotAllowedToJoin):
            live.join(session, user=user, now=T0)
    assert participants(session) == 0


def test_a_student_rejoining_keeps_their_participant_and_points(world):
    session = new_session(world)
    first = joined(session, world.student)
    live.start(session, T0)
    right = {"answer": letter_of(session, "Geneva")}
    live.answer(first, live.current_item(session).id, right, "k1", at(1))
    live.reveal(session, at(2))
    code, student_id, first_id = session.code, world.student.id, first.id
    db.session.commit()
    db.session.expunge_all()  # a new request on another worker
    session = live.session_by_code(code)
    again, token = live.join(session, user=db.session.get(User, student_id), now=at(60))
    assert (again.id, token) == (first_id, None)
    assert again.last_seen_at == at(60)
    assert live.state(session, again, now=at(61))["total"] == 975
    assert participants(session) == 1


def test_guests_are_refused_unless_the_session_allows_them(world):
    session = new_session(world)
    with pytest.raises(GuestsNotAllowed):
        live.join(session, nickname="Guest", now=T0)


def test_a_guest_joins_with_a_nickname_and_comes_back_with_their_token(world):
    session = new_session(world, settings=GUESTS)
    guest, token = live.join(session, nickname="  Ada   Lovelace ", now=T0)
    db.session.commit()
    assert guest.nickname == "Ada Lovelace" and guest.user_id is None
    assert token and guest.token_hash == token_hash(token) and token not in guest.token_hash
    back, again = live.join(session, token=token, now=at(30))
    assert (back.id, again) == (guest.id, None)
    # The token is what counts: the nickname given with it does not make a new guest.
    back, again = live.join(session, token=token, nickname="Someone else", now=at(31))
    assert (back.id, again) == (guest.id, None)
    assert participants(session) == 1


def test_a_guest_token_of_another_session_is_no_way_in(world):
    first = new_session(world, settings=GUESTS)
    second = new_session(world)
    _guest, token = live.join(first, nickname="Ada", now=T0)
    with pytest.raises(GuestsNotAllowed):
        live.join(second, token=token, now=T0)


def test_a_guest_keeps_their_points_across_a_reconnect(world):
    session = new_session(world, settings=GUESTS)
    guest, token = live.join(session, nickname="Ada", now=T0)
    live.start(session, T0)
    item = live.current_item(session)
    live.answer(guest, item.id, {"answer": letter_of(session, "Geneva")}, "k", at(0))
    live.reveal(session, at(3))
    code, guest_id = session.code, guest.id
    db.session.commit()
    db.session.expunge_all()
    session = live.session_by_code(code)
    back, _ = live.join(session, token=token, now=at(4))
    assert back.id == guest_id
    assert live.state(session, back, now=at(4))["total"] == 1000


# "Ada" in full-width letters too.
@pytest.mark.parametrize(
    "taken", ["ada", "ADA", "\uff21\uff44\uff41", " Ada ", "\uff41\uff24\uff41"]
)
def test_nicknames_are_unique_whatever_their_case_or_width(world, taken):
    session = new_session(world, settings=GUESTS)
    live.join(session, nickname="Ada", now=T0)
    with pytest.raises(NicknameTaken):
        live.join(session, nickname=taken, now=T0)


def test_the_same_nickname_may_be_used_in_another_session(world):
    live.join(new_session(world, settings=GUESTS), nickname="Ada", now=T0)
    assert live.join(new_session(world, settings=GUESTS), nickname="Ada", now=T0)


@pytest.mark.parametrize(
    ("nickname", "why"),
    [
        (None, "Choose a nickname"),
        ("A", "2 to 24 characters"),
        ("x" * 25, "2 to 24 characters"),
        ("   ", "2 to 24 characters"),
        ("Ada\x00", "letters, digits"),
        ("Ada\nBob", "letters, digits"),
        ("Ada\u202eevil", "letters, digits"),  # right-to-left override
        ("Ada\u200b", "letters, digits"),  # zero-width space
        ("!!!", "at least one letter"),
        ("shit", "not allowed"),
        ("Big Sh1t", "not allowed"),
        ("s h i t", "not allowed"),
        ("FUCKface", "not allowed"),
        ("傻逼", "not allowed"),
    ],
)
def test_unfit_nicknames_are_refused(world, nickname, why):
    session = new_session(world, settings=GUESTS)
    with pytest.raises(NicknameRefused, match=why):
        live.join(session, nickname=nickname, now=T0)


@pytest.mark.parametrize(
    "nickname", ["Cassandra", "Dick Smith", "Scunthorpe 2", "\uff33\uff41\uff4d", "李雷", "🦊 Fox"]
)
def test_innocent_nicknames_pass(nickname):
    shown, key = clean_nickname(nickname)
    assert shown == nickname and key == nickname_key(nickname)


def test_operators_add_words_to_the_block_list(world, app):
    app.config["LIVE_BLOCKED_WORDS"] = ("Voldemort",)
    session = new_session(world, settings=GUESTS)
    with pytest.raises(NicknameRefused):
        live.join(session, nickname="voldemort", now=T0)
    assert live.join(session, nickname="Harry", now=T0)


def test_newcomers_are_refused_once_the_session_ended_but_participants_come_back(world):
    session = new_session(world, settings=GUESTS)
    student = joined(session, world.student)
    _guest, token = live.join(session, nickname="Ada", now=T0)
    live.end(session, at(10))
    with pytest.raises(SessionEnded):
        live.join(session, user=world.classmate, now=at(11))
    with pytest.raises(SessionEnded):
        live.join(session, nickname="Bob", now=at(11))
    assert live.join(session, user=world.student, now=at(12))[0].id == student.id
    assert live.join(session, token=token, now=at(12))[0].nickname == "Ada"


def test_a_guest_already_admitted_comes_back_after_guests_are_turned_off(world):
    session = new_session(world, settings=GUESTS)
    guest, token = live.join(session, nickname="Ada", now=T0)
    session.allow_guests = False
    assert live.join(session, token=token, now=at(1))[0].id == guest.id
    with pytest.raises(GuestsNotAllowed):
        live.join(session, nickname="Bob", now=at(1))


def test_the_host_may_join_from_a_phone_to_try_it(world):
    session = new_session(world)
    assert live.join(session, user=world.organiser, now=T0)[0].user_id == world.organiser.id
