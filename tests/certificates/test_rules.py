"""Who meets a cohort's certificate rule: passing the module quizzes (all by default, or the
chosen ones), the post-test when the rule asks for it, a live session when it asks for one;
only the cohort's organisers set the rule, and it is audited."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from camp.accounts.models import Role
from camp.audit.models import AuditEvent
from camp.certificates.rules import Rule, RuleRefused, set_rule, who_meets
from camp.db import utcnow
from camp.extensions import db
from camp.gain.pairs import pair_quizzes
from camp.live import services as live
from tests.certificates.conftest import scored


def test_by_default_every_module_quiz_must_be_passed(course):
    _organiser, cohort, ann, ben, quiz1, quiz2, _q = course
    scored(ann, quiz1, 0.5)
    scored(ann, quiz1, 0.8)  # the best attempt counts
    scored(ann, quiz2, 0.7)  # exactly the pass mark
    scored(ben, quiz1, 0.9)
    met = who_meets(cohort)
    assert [(e.user_id, e.modules) for e in met] == [(ann.id, ("Value of IP", "WIPO"))]


def test_a_rule_may_ask_for_some_quizzes_and_the_post_test(course, make):
    organiser, cohort, ann, ben, quiz1, _quiz2, _q = course
    scored(ann, quiz1, 1.0)
    scored(ben, quiz1, 1.0)
    set_rule(cohort, organiser, Rule(quiz_ids=(quiz1.id,)))
    assert {e.user_id for e in who_meets(cohort)} == {ann.id, ben.id}
    pre, post = make.quiz([make.choice_question()]), make.quiz([make.choice_question()])
    pair_quizzes(cohort, pre, post, organiser)
    set_rule(cohort, organiser, Rule(quiz_ids=(quiz1.id,), require_post_test=True))
    scored(ben, post, 0.2)  # taking the post-test is what counts, not its score
    assert [e.user_id for e in who_meets(cohort)] == [ben.id]
    assert (
        db.session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == "certificates.rule")
        )
        == 2
    )


def test_a_rule_may_ask_for_a_live_session(course):
    organiser, cohort, ann, ben, quiz1, _quiz2, q = course
    scored(ann, quiz1, 1.0)
    scored(ben, quiz1, 1.0)
    set_rule(cohort, organiser, Rule(quiz_ids=(quiz1.id,), require_live_session=True))
    assert who_meets(cohort) == []
    session = live.create_session(
        organiser,
        "Friday",
        [cohort],
        [live.ItemDraft.question(q.id)],
        live.LiveSettings(),
        utcnow(),
    )
    live.join(session, user=ben, now=utcnow())
    db.session.commit()
    assert [e.user_id for e in who_meets(cohort)] == [ben.id]


def test_only_the_cohorts_organisers_set_the_rule(course, make):
    _organiser, cohort, *_rest = course
    with pytest.raises(RuleRefused):
        set_rule(cohort, make.user(Role.ORGANISER), Rule(quiz_ids=None))
