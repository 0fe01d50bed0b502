"""The pre/post page through its forms: pairing two quizzes, a refusal that re-renders with
its message and writes nothing, making a pair from modules, and other organisers refused."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from camp.accounts.models import Role
from camp.extensions import db
from camp.gain.models import PrePostPair


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": False}


@pytest.fixture
def setup(make):
    organiser, other = make.user(Role.ORGANISER), make.user(Role.ORGANISER)
    cohort = make.cohort("Cohort A", organiser=organiser)
    q1, q2 = make.choice_question(tags=("wipo",)), make.choice_question(tags=("wipo",))
    return (
        organiser,
        other,
        cohort,
        make.quiz([q1], title="Day 1"),
        make.quiz([q2], title="Day 3"),
        q1,
    )


def test_an_organiser_pairs_two_quizzes_from_the_page(client, login, setup):
    organiser, _other, cohort, pre, post, _q = setup
    login(organiser)
    assert "no pre-test and post-test yet" in client.get(
        f"/organiser/cohorts/{cohort.id}/gain"
    ).get_data(as_text=True)
    response = client.post(
        f"/organiser/cohorts/{cohort.id}/gain/pair",
        data={"pre": pre.id, "post": post.id},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "The pre-test and post-test are paired." in page and "share no question" in page


def test_a_refused_pair_re_renders_with_its_message_and_writes_nothing(client, login, setup, make):
    organiser, _other, cohort, pre, _post, q1 = setup
    twin = make.quiz([q1], title="Same question")
    login(organiser)
    response = client.post(
        f"/organiser/cohorts/{cohort.id}/gain/pair", data={"pre": pre.id, "post": twin.id}
    )
    assert response.status_code == 400
    assert "same questions" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(PrePostPair.id))) == 0


def test_a_pair_is_made_from_a_module(client, login, setup, make):
    organiser, _other, cohort, *_rest = setup
    module = make.module()
    module.objectives = [{"tag": "wipo", "text": "WIPO"}]
    db.session.commit()
    login(organiser)
    response = client.post(
        f"/organiser/cohorts/{cohort.id}/gain/build",
        data={"modules": [module.id], "per_objective": 3},
        follow_redirects=True,
    )
    assert "Two tests made and paired, 1 question each." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(PrePostPair.id))) == 1


def test_another_organiser_is_refused(client, login, setup):
    _organiser, other, cohort, pre, post, _q = setup
    login(other)
    assert client.get(f"/organiser/cohorts/{cohort.id}/gain").status_code == 403
    refused = client.post(
        f"/organiser/cohorts/{cohort.id}/gain/pair", data={"pre": pre.id, "post": post.id}
    )
    assert refused.status_code == 403
    assert db.session.scalar(select(func.count(PrePostPair.id))) == 0
