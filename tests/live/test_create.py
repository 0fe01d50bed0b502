"""Creating a session: only for cohorts the host organises, only live question types, a
code people can type."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from camp.bank.services import QuestionDraft
from camp.extensions import db
from camp.live import services as live
from camp.live.codes import find_session, format_code, normalise_code
from camp.live.errors import (
    BadSessionPlan,
    NotAllowedToHost,
    SessionNotFound,
    UnsuitableQuestion,
)
from camp.live.models import ItemKind, LiveItem, LiveSessionCohort, Phase
from camp.live.plan import ItemDraft, LiveSettings
from tests.live.conftest import T0, new_session

ALPHABET = "ACDEFHJKMNPQRTWXY3479"


def test_a_new_session_waits_in_the_lobby_with_a_readable_code(world):
    session = new_session(world, settings=LiveSettings(allow_guests=True, anonymous=True))
    assert re.fullmatch(f"[{ALPHABET}]{{6}}", session.code)
    assert session.phase == Phase.LOBBY
    assert session.state_version == 0
    assert session.current_position is None
    assert session.host_id == world.organiser.id
    assert (session.allow_guests, session.show_leaderboard, session.anonymous) == (
        True,
        False,
        True,
    )
    cohorts = db.session.scalars(
        select(LiveSessionCohort.cohort_id).where(LiveSessionCohort.session_id == session.id)
    ).all()
    assert cohorts == [world.cohort.id]
    items = db.session.scalars(
        select(LiveItem).where(LiveItem.session_id == session.id).order_by(LiveItem.position)
    ).all()
    assert [(i.position, i.kind) for i in items] == [(1, "question"), (2, "poll")]
    question, poll = items
    assert question.question_version_id is not None
    assert sorted(question.option_order) == [0, 1, 2]
    assert (question.time_limit_s, question.points, question.speed_bonus) == (20, True, True)
    assert poll.options == ["Coffee", "Tea"] and poll.points is False


def test_typed_codes_ignore_case_spaces_and_hyphens(world):
    session = new_session(world)
    typed = format_code(session.code).lower().replace("-", " - ")
    assert normalise_code(typed) == session.code
    assert find_session(typed).id == session.id
    assert find_session("ZZZ") is None
    with pytest.raises(SessionNotFound):
        live.session_by_code("AAAAAA")


def test_a_cohort_the_host_does_not_organise_is_refused(world):
    with pytest.raises(NotAllowedToHost, match="Cohort B"):
        new_session(world, cohorts=[world.cohort, world.other_cohort])


def test_a_co_organiser_and_an_admin_may_invite_the_cohort(world):
    assert new_session(world, host=world.co_organiser).host_id == world.co_organiser.id
    assert new_session(world, host=world.admin, cohorts=[world.other_cohort])


def test_students_cannot_create_sessions(world):
    with pytest.raises(NotAllowedToHost):
        new_session(world, host=world.student, cohorts=[])


def test_a_session_needs_a_cohort_or_guests(world):
    with pytest.raises(BadSessionPlan, match="cohort"):
        new_session(world, cohorts=[])
    assert new_session(world, cohorts=[], settings=LiveSettings(allow_guests=True))


@pytest.mark.parametrize(
    ("draft", "message"),
    [
        (QuestionDraft(type="essay", text="Explain.", spec={}), "Essay"),
        (QuestionDraft(type="description", text="Read this.", spec={}), "Description"),
        (
            QuestionDraft(
                type="matching",
                text="Match",
                spec={"pairs": [{"left": "A", "right": "1"}, {"left": "B", "right": "2"}]},
            ),
            "Matching",
        ),
    ],
)
def test_question_types_a_phone_cannot_answer_are_refused(world, make, draft, message):
    question = make.question(draft)
    items = [ItemDraft.question(world.geneva.id), ItemDraft.question(question.id)]
    with pytest.raises(UnsuitableQuestion, match=f"Question 2 is of type {message}"):
        new_session(world, items)


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (ItemDraft.poll("Which?", ["Only one"]), "2 to 10 options"),
        (ItemDraft.poll("Which?", [str(n) for n in range(11)]), "2 to 10 options"),
        (ItemDraft.poll("  ", ["A", "B"]), "write the question"),
        (ItemDraft.open_text("Why?", time_limit_s=4), "5 to 600 seconds"),
        (ItemDraft.open_text("Why?", time_limit_s=601), "5 to 600 seconds"),
        (ItemDraft.question(999_999), "not in the bank"),
        (ItemDraft("essay"), "unknown kind"),
    ],
)
def test_items_that_cannot_be_asked_are_refused_with_their_number(world, item, message):
    with pytest.raises(BadSessionPlan, match=f"Question 1: .*{message}"):
        new_session(world, [item])


def test_a_title_and_an_item_are_needed(world):
    with pytest.raises(BadSessionPlan, match="title"):
        live.create_session(world.organiser, "  ", [world.cohort], [], LiveSettings(), T0)
    with pytest.raises(BadSessionPlan, match="at least one question"):
        live.create_session(world.organiser, "Quiz", [world.cohort], [], LiveSettings(), T0)


def test_polls_and_open_questions_never_score(world):
    session = new_session(
        world,
        [ItemDraft.poll("Pick", ["A", "B"], multiple=True, points=True), ItemDraft.open_text("?")],
    )
    items = db.session.scalars(select(LiveItem).where(LiveItem.session_id == session.id)).all()
    assert [(i.kind, i.points) for i in items] == [(ItemKind.POLL, False), (ItemKind.OPEN, False)]
    assert items[0].multiple is True


def test_every_live_type_can_be_asked(world, make):
    ordering = make.question(
        QuestionDraft(
            type="ordering", text="Order", spec={"items": ["a", "b", "c"], "grading": "partial"}
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
    ids = [world.geneva.id, world.true_false.id, ordering.id, numerical.id, short.id]
    session = new_session(world, [ItemDraft.question(i) for i in ids])
    orders = db.session.scalars(
        select(LiveItem.option_order)
        .where(LiveItem.session_id == session.id)
        .order_by(LiveItem.position)
    ).all()
    assert [None if o is None else sorted(o) for o in orders] == [
        [0, 1, 2],
        None,
        [0, 1, 2],
        None,
        None,
    ]


def test_options_are_shuffled_once_per_session_and_an_order_never_shows_its_key():
    from camp.bank.types.ordering import key_order
    from camp.live.plan import display_order

    ordering = {"items": ["first", "second", "third"], "grading": "partial"}
    choice = {"options": [{"text": t, "weight": 0, "feedback": ""} for t in "abcd"]}
    orders = {tuple(display_order("single_choice", choice)) for _ in range(200)}
    assert len(orders) > 1 and all(sorted(order) == [0, 1, 2, 3] for order in orders)
    for _ in range(200):
        assert display_order("ordering", ordering) != key_order(ordering)
    assert display_order("true_false", {"answer": True}) is None
