"""Pairing a cohort's pre-test and post-test: the rules, and the questions two quizzes
could share.

- Only an organiser of the cohort (or an admin) pairs its quizzes; one pair per cohort,
  and pairing again replaces it.
- The two quizzes must differ, and they must not be able to ask the same question: a
  question fixed in one and fixed in, or drawable by a random slot of, the other. The
  organiser may ask for the same questions on purpose (`same_questions`): then sharing is
  allowed and recorded.
- Changing a pair is recorded in the audit log.

Raises PairRefused with a message a person understands; flushes, never commits.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l  # type: ignore[import-untyped]
from sqlalchemy import select

from camp.accounts.identity import CampUser
from camp.accounts.models import Cohort
from camp.accounts.permissions import can_manage_cohort
from camp.audit import services as audit
from camp.db import utcnow
from camp.extensions import db
from camp.gain.models import PrePostPair
from camp.quizzes.models import Quiz
from camp.quizzes.paper import candidates_for


class PairRefused(Exception):
    """The pair cannot be made; str() says why."""


def pair_of(cohort: Cohort) -> PrePostPair | None:
    return db.session.scalar(select(PrePostPair).where(PrePostPair.cohort_id == cohort.id))


def questions_it_may_ask(quiz: Quiz) -> set[int]:
    """Every question the quiz may ask: its fixed ones and those its random slots draw from."""
    found: set[int] = set()
    for slot in quiz.slots:
        if slot.kind == "fixed":
            if slot.question_id is not None:
                found.add(slot.question_id)
        else:
            found.update(candidates_for(slot))
    return found


def shared_questions(pre: Quiz, post: Quiz) -> set[int]:
    return questions_it_may_ask(pre) & questions_it_may_ask(post)


def pair_quizzes(
    cohort: Cohort, pre: Quiz, post: Quiz, actor: CampUser, *, same_questions: bool = False
) -> PrePostPair:
    """Make `pre` and `post` the cohort's pre-test and post-test (see the module docstring)."""
    if not can_manage_cohort(actor, cohort):
        raise PairRefused(_l("Only the cohort's organisers can pair its tests."))
    if pre.id == post.id:
        raise PairRefused(_l("Choose two different quizzes."))
    shared = shared_questions(pre, post)
    if shared and not same_questions:
        raise PairRefused(
            _l(
                "The two quizzes could ask %(count)s of the same questions, so the post-test "
                "would partly repeat the pre-test. Choose quizzes with no question in common, "
                "or tick “same questions” if that is what you want.",
                count=len(shared),
            )
        )
    pair = pair_of(cohort) or PrePostPair(cohort_id=cohort.id)
    pair.pre_quiz_id, pair.post_quiz_id = pre.id, post.id
    pair.same_questions = same_questions
    pair.created_at, pair.created_by = utcnow(), actor.id
    db.session.add(pair)
    db.session.flush()
    audit.record(
        actor,
        "gain.pair",
        f"paired {pre.title!r} (pre-test) with {post.title!r} (post-test) for {cohort.name}",
        cohort_id=cohort.id,
        pre_quiz_id=pre.id,
        post_quiz_id=post.id,
        same_questions=same_questions,
    )
    return pair
