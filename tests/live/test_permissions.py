"""Who may run a session: admins, its host, and the organisers of its cohorts. An organiser
of another cohort is a legitimate organiser, and still must not control or see it."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin

from camp.live.permissions import can_host, may_join
from tests.live.conftest import new_session

HOSTS = {
    "organiser": True,  # the host
    "co_organiser": True,  # organises the session's cohort
    "admin": True,
    "other_organiser": False,  # organises another cohort
    "student": False,  # a member of the cohort
    "outsider": False,
    "loner": False,
}


@pytest.mark.parametrize(("who", "allowed"), sorted(HOSTS.items()))
def test_can_host(world, who, allowed):
    session = new_session(world)
    assert can_host(getattr(world, who), session) is allowed


def test_a_host_who_is_no_longer_an_organiser_cannot_host(world):
    from camp.extensions import db

    session = new_session(world, host=world.co_organiser)
    world.co_organiser.role = "student"
    db.session.commit()
    assert not can_host(world.co_organiser, session)


def test_the_host_keeps_hosting_a_session_for_a_cohort_they_left(world, make):
    from camp.accounts.models import MemberRole

    mine = make.cohort("Mine", organiser=world.other_organiser)
    make.member(mine, world.organiser, MemberRole.ORGANISER)
    session = new_session(world, host=world.other_organiser, cohorts=[mine])
    assert can_host(world.organiser, session)  # organises the session's cohort
    assert not can_host(world.co_organiser, session)  # organises only Cohort A


def test_nobody_anonymous_hosts_or_joins(world):
    session = new_session(world)
    anonymous = AnonymousUserMixin()
    assert not can_host(anonymous, session)
    assert not may_join(anonymous, session)


JOINERS = {
    "student": True,
    "classmate": True,
    "organiser": True,
    "co_organiser": True,
    "admin": True,
    "outsider": False,
    "other_organiser": False,
    "loner": False,
}


@pytest.mark.parametrize(("who", "allowed"), sorted(JOINERS.items()))
def test_may_join(world, who, allowed):
    session = new_session(world)
    assert may_join(getattr(world, who), session) is allowed
