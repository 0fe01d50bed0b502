"""The world of the live-session tests: two cohorts with their organisers and students, an
admin, a few bank questions, and a clock that only moves when a test says so."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from camp.accounts.models import MemberRole, Role
from camp.bank.services import QuestionDraft
from camp.extensions import db
from camp.live import services as live
from camp.live.plan import ItemDraft, LiveSettings

T0 = datetime(2030, 5, 6, 9, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    """The clock, `seconds` after T0."""
    return T0 + timedelta(seconds=seconds)


@pytest.fixture
def world(make):
    organiser = make.user(Role.ORGANISER, name="Olive Organiser")
    co_organiser = make.user(Role.ORGANISER, name="Cora Co")
    other_organiser = make.user(Role.ORGANISER, name="Otto Other")
    admin = make.user(Role.ADMIN)
    cohort = make.cohort("Cohort A", organiser=organiser)
    make.member(cohort, co_organiser, MemberRole.ORGANISER)
    other_cohort = make.cohort("Cohort B", organiser=other_organiser)
    student, classmate = make.user(name="Sam Student"), make.user(name="Cleo Classmate")
    make.member(cohort, student)
    make.member(cohort, classmate)
    outsider = make.user(name="Olga Outsider")
    make.member(other_cohort, outsider)
    loner = make.user(name="Lou Loner")
    geneva = make.choice_question(right="Geneva", wrong=("Beijing", "Paris"), text="Where is WIPO?")
    true_false = make.question(
        QuestionDraft(type="true_false", text="Logos are marks.", spec={"answer": True})
    )
    essay = make.question(QuestionDraft(type="essay", text="Explain.", spec={}))
    return SimpleNamespace(**locals())


def new_session(world, items=None, *, settings=None, cohorts=None, host=None):
    """A session in the lobby (committed): by default the Geneva question, then a poll."""
    items = items or [
        ItemDraft.question(world.geneva.id),
        ItemDraft.poll("Coffee or tea?", ["Coffee", "Tea"]),
    ]
    session = live.create_session(
        host or world.organiser,
        "Friday quiz",
        [world.cohort] if cohorts is None else cohorts,
        items,
        settings or LiveSettings(),
        T0,
    )
    db.session.commit()
    return session


def joined(session, user):
    participant, _token = live.join(session, user=user, now=T0)
    db.session.commit()
    return participant


def letter_of(session, text, now=None):
    """The letter a phone posts for the option showing `text` in the current item."""
    view = live.state(session, now=now or T0)["item"]["view"]
    for option in view["options"]:
        if str(option["html"]) == text:
            return option["value"]
    raise AssertionError(f"no option {text!r} in {view['options']}")
