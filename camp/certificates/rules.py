"""A cohort's certificate rule and who meets it.

The rule (CertificateRule; without one, the default): pass the chosen module quizzes (by
default every module's quiz), their best submitted score at or above each quiz's pass mark;
optionally have submitted the cohort's post-test (camp.gain); optionally have taken part in
a live session held for the cohort. Changing the rule is audited. Reads in a fixed number
of queries whatever the size of the cohort.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l  # type: ignore[import-untyped]
from sqlalchemy import func, select

from camp.accounts.identity import CampUser
from camp.accounts.models import Cohort
from camp.accounts.permissions import can_manage_cohort
from camp.audit import services as audit
from camp.certificates.models import CertificateRule
from camp.db import utcnow
from camp.extensions import db
from camp.gain.pairs import pair_of
from camp.live.models import LiveParticipant, LiveSessionCohort
from camp.locales import DEFAULT_LOCALE
from camp.quizzes.models import Attempt, Quiz
from camp.reports.queries import SUBMITTED, course_modules, sql_passes, students_of


class RuleRefused(Exception):
    """The rule cannot be set; str() says why."""


@dataclass(frozen=True)
class Rule:
    quiz_ids: tuple[int, ...] | None  # None: every module quiz
    require_post_test: bool = False
    require_live_session: bool = False
    camp_title: str = ""  # what the certificate calls the camp; "" for the cohort's name
    starts_on: date | None = None  # the camp's first and last days, shown on it
    ends_on: date | None = None


DEFAULT_RULE = Rule(quiz_ids=None)


def rule_of(cohort: Cohort) -> Rule:
    row = db.session.scalar(select(CertificateRule).where(CertificateRule.cohort_id == cohort.id))
    if row is None:
        return DEFAULT_RULE
    ids = tuple(row.quiz_ids) if row.quiz_ids is not None else None
    return Rule(
        ids,
        row.require_post_test,
        row.require_live_session,
        row.camp_title,
        row.starts_on,
        row.ends_on,
    )


def set_rule(cohort: Cohort, actor: CampUser, rule: Rule) -> None:
    if not can_manage_cohort(actor, cohort):
        raise RuleRefused(_l("Only the cohort's organisers can set its certificate rule."))
    if rule.starts_on and rule.ends_on and rule.ends_on < rule.starts_on:
        raise RuleRefused(_l("The camp's last day is before its first day."))
    row = db.session.scalar(select(CertificateRule).where(CertificateRule.cohort_id == cohort.id))
    row = row or CertificateRule(cohort_id=cohort.id)
    row.quiz_ids = list(rule.quiz_ids) if rule.quiz_ids is not None else None
    row.require_post_test = rule.require_post_test
    row.require_live_session = rule.require_live_session
    row.camp_title = rule.camp_title.strip()
    row.starts_on, row.ends_on = rule.starts_on, rule.ends_on
    row.updated_at, row.updated_by = utcnow(), actor.id
    db.session.add(row)
    db.session.flush()
    audit.record(
        actor,
        "certificates.rule",
        f"set the certificate rule of {cohort.name}",
        cohort_id=cohort.id,
        quiz_ids=row.quiz_ids,
        require_post_test=rule.require_post_test,
        require_live_session=rule.require_live_session,
        camp_title=row.camp_title,
        starts_on=str(rule.starts_on or ""),
        ends_on=str(rule.ends_on or ""),
    )


@dataclass(frozen=True)
class Earned:
    user_id: int
    modules: tuple[str, ...]  # the titles of the modules whose quizzes were passed, in order
    module_ids: tuple[int, ...] = ()  # the same modules' ids


def who_meets(
    cohort: Cohort,
    rule: Rule | None = None,
    locale: str = DEFAULT_LOCALE,
    user_ids: Collection[int] | None = None,
) -> list[Earned]:
    """The cohort's students who meet the rule, with the modules they passed; only those of
    `user_ids` when it is given."""
    rule = rule or rule_of(cohort)
    quizzes = [(m.title, m.quiz.id, m.id) for m in course_modules(locale) if m.quiz is not None]
    required = [q for _t, q, _m in quizzes if rule.quiz_ids is None or q in rule.quiz_ids]
    passed = _passed(cohort, [q for _t, q, _m in quizzes], user_ids)
    students = set(db.session.scalars(students_of(cohort.id)))
    if user_ids is not None:
        students &= set(user_ids)
    if rule.require_post_test:
        students &= _took_post_test(cohort)
    if rule.require_live_session:
        students &= _took_part_live(cohort)
    earned = []
    for user_id in sorted(students):
        done = passed.get(user_id, set())
        if all(q in done for q in required):
            titles = tuple(t for t, q, _m in quizzes if q in done)
            earned.append(Earned(user_id, titles, tuple(m for _t, q, m in quizzes if q in done)))
    return earned


def _passed(
    cohort: Cohort, quiz_ids: Sequence[int], user_ids: Collection[int] | None = None
) -> dict[int, set[int]]:
    """Per student, the quizzes whose best submitted score reaches the pass mark."""
    best = func.max(Attempt.score)
    who = students_of(cohort.id) if user_ids is None else list(user_ids)
    rows = db.session.execute(
        select(Attempt.user_id, Attempt.quiz_id)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(
            Attempt.user_id.in_(who),
            Attempt.quiz_id.in_(list(quiz_ids)),
            Attempt.state == SUBMITTED,
        )
        .group_by(Attempt.user_id, Attempt.quiz_id, Quiz.pass_mark)
        .having(sql_passes(best, Quiz.pass_mark))
    ).all()
    found: dict[int, set[int]] = {}
    for user_id, quiz_id in rows:
        found.setdefault(user_id, set()).add(quiz_id)
    return found


def _took_post_test(cohort: Cohort) -> set[int]:
    pair = pair_of(cohort)
    if pair is None:
        return set()
    return set(
        db.session.scalars(
            select(Attempt.user_id).where(
                Attempt.quiz_id == pair.post_quiz_id, Attempt.state == SUBMITTED
            )
        )
    )


def _took_part_live(cohort: Cohort) -> set[int]:
    held_for_cohort = select(LiveSessionCohort.session_id).where(
        LiveSessionCohort.cohort_id == cohort.id
    )
    return set(
        db.session.scalars(
            select(LiveParticipant.user_id).where(
                LiveParticipant.session_id.in_(held_for_cohort),
                LiveParticipant.user_id.is_not(None),
            )
        )
    )
