"""A phone's poll of an unchanged session from one read (camp.live.poll): the same tag as
the session gives, for members and guests, in every phase; nothing for a visitor who has
not joined; and a 304 that costs no more than that read and the login's."""

from __future__ import annotations

import pytest
from sqlalchemy import event, update

from camp.db import sqlite_file
from camp.extensions import db
from camp.live import poll
from camp.live import services as live
from camp.live.models import LiveSession
from camp.live.plan import LiveSettings
from camp.live.state import tag_of
from tests.live.conftest import T0, at, joined, new_session


def _tags_agree(session, phones):
    """Each (participant, user id, token): the single read's tag is the session's."""
    db.session.commit()
    db.session.refresh(session)
    for participant, user_id, token in phones:
        assert poll.current_tag(session.code, user_id, token) == live.phone_tag(
            session, participant
        )


def test_the_read_gives_the_tag_the_session_gives_in_every_phase(world):
    session = new_session(world, settings=LiveSettings(allow_guests=True))
    member = joined(session, world.student)
    guest, token = live.join(session, nickname="Kim", now=T0)
    # Logged in but not in the cohort: joins as a guest, and polls with both.
    outsider, outsider_token = live.join(session, nickname="Olga", now=T0)
    phones = [
        (member, world.student.id, None),
        (guest, None, token),
        (outsider, world.outsider.id, outsider_token),
    ]
    _tags_agree(session, phones)  # the lobby
    live.start(session, T0)
    _tags_agree(session, phones)
    item = live.current_item(session).id
    live.answer(member, item, {"answer": "A"}, "m", at(1))
    live.answer(outsider, item, {"answer": "B"}, "o", at(1))
    _tags_agree(session, phones)
    assert poll.current_tag(session.code, world.student.id, None).split(".")[1] == "1"
    live.reveal(session, at(2))
    _tags_agree(session, phones)
    db.session.execute(
        update(LiveSession)
        .where(LiveSession.id == session.id)
        .values(board_version=LiveSession.board_version + 1)
    )
    _tags_agree(session, phones)
    live.next_item(session, at(3))
    _tags_agree(session, phones)  # nobody has answered the poll yet
    live.end(session, at(4))
    _tags_agree(session, phones)


def test_a_visitor_who_has_not_joined_gets_no_tag(world):
    session = new_session(world, settings=LiveSettings(allow_guests=True))
    joined(session, world.student)
    _guest, token = live.join(session, nickname="Kim", now=T0)
    db.session.commit()
    assert poll.current_tag(session.code, world.classmate.id, None) is None
    assert poll.current_tag(session.code, None, "not-a-token") is None
    assert poll.current_tag(session.code, None, None) is None
    assert poll.current_tag("ZZZZZZ", world.student.id, token) is None
    # A code typed loosely is left to the view, which finds the session anyway.
    assert poll.current_tag(session.code.lower(), world.student.id, None) is None


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False}


def test_an_unchanged_poll_is_a_304_from_one_read(client, login, world):
    session = new_session(world)
    login(world.student)
    client.post("/live", data={"code": session.code})
    live.start(session, T0)
    db.session.commit()
    url = f"/live/{session.code}/state"
    tag = client.get(url).headers["ETag"]
    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        unchanged = client.get(url, headers={"If-None-Match": tag})
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert unchanged.status_code == 304 and unchanged.headers["ETag"] == tag
    # The login's read and the tag's: on a SQLite file both run outside the session (and
    # its engine); elsewhere through it. The ORM's way took four.
    assert len(seen) <= (0 if sqlite_file(db.engine.url) else 2), seen
    live.reveal(session, at(1))
    db.session.commit()
    moved = client.get(url, headers={"If-None-Match": tag})
    assert moved.status_code == 200 and moved.json["phase"] == "revealed"
    assert moved.headers["ETag"] == f'"{moved.json["tag"]}"'


def test_the_stage_is_tagged_with_what_it_shows(client, login, world, monkeypatch):
    """An answer that lands just after the stage read the state (where each statement sees
    the latest commit) must not tag the stage that still shows the form as answered: the
    phone would take it for the answered stage and never fetch that one."""
    session = new_session(world)
    login(world.student)
    client.post("/live", data={"code": session.code})
    live.start(session, T0)
    db.session.commit()
    read_state = live.state

    def state_then_an_answer_lands(session, participant=None, **kwargs):
        data = read_state(session, participant, **kwargs)
        if participant is not None:
            item = data["item"]["id"]
            live.answer(participant, item, {"answer": "A"}, "k", kwargs["now"])
        return data

    monkeypatch.setattr(live, "state", state_then_an_answer_lands)
    stage = client.get(f"/live/{session.code}/stage").get_data(as_text=True)
    monkeypatch.undo()
    shown = tag_of(session.state_version, False, session.board_version)
    assert 'name="answer"' in stage and f'data-tag="{shown}"' in stage
    url = f"/live/{session.code}/state"
    assert client.get(url, headers={"If-None-Match": f'"{shown}"'}).status_code == 200
