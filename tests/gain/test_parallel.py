"""A pre/post pair made from modules: two forms balanced per objective, no question in
common, essays and retired questions left out, objectives with too few questions named."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import func, select

from camp.accounts.models import Role
from camp.bank.services import QuestionDraft
from camp.extensions import db
from camp.gain.pairs import PairRefused, questions_it_may_ask
from camp.gain.parallel import build_pair, deal
from camp.quizzes.models import Quiz


def test_dealing_alternates_within_each_objective_and_never_repeats():
    forms = deal(
        ["a", "b", "c"],
        {"a": ["a1", "a2", "a3", "a4", "a5"], "b": ["a1", "b1", "b2"], "c": ["c1"]},
        2,
        random.Random(7),
    )
    assert len(forms.pre) == len(forms.post) == 3  # a: 2 each, b: 1 each (a1 dealt under a)
    assert not set(forms.pre) & set(forms.post)
    assert len(set(forms.pre + forms.post)) == 6
    assert forms.too_few == ["c"]


def test_a_pair_made_from_a_module_shares_no_question(make):
    organiser = make.user(Role.ORGANISER)
    cohort = make.cohort("Cohort A", organiser=organiser)
    module = make.module()
    module.objectives = [{"tag": "wipo", "text": "WIPO"}, {"tag": "pct", "text": "PCT"}]
    db.session.commit()
    for n in range(4):
        make.choice_question(tags=("wipo",), text=f"WIPO {n}")
    for n in range(2):
        make.choice_question(tags=("pct",), text=f"PCT {n}")
    make.question(QuestionDraft(type="essay", text="Explain.", spec={}, tags=["pct"]))
    pair, forms = build_pair(cohort, [module], organiser, rng=random.Random(1))
    db.session.commit()
    pre, post = db.session.get(Quiz, pair.pre_quiz_id), db.session.get(Quiz, pair.post_quiz_id)
    assert len(pre.slots) == len(post.slots) == 3  # wipo 2 + pct 1 each; the essay left out
    assert not questions_it_may_ask(pre) & questions_it_may_ask(post)
    assert pre.attempts_allowed == post.attempts_allowed == 1
    assert pair.same_questions is False and forms.too_few == []


def test_a_second_organiser_cannot_build_a_pair_and_nothing_is_created(make):
    organiser, other = make.user(Role.ORGANISER), make.user(Role.ORGANISER)
    cohort = make.cohort("Cohort A", organiser=organiser)
    module = make.module()
    quizzes = db.session.scalar(select(func.count(Quiz.id)))
    with pytest.raises(PairRefused):
        build_pair(cohort, [module], other)
    assert db.session.scalar(select(func.count(Quiz.id))) == quizzes
