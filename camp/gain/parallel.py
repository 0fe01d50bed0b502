"""Making a pre/post pair from modules: two parallel forms drawn from the bank, balanced per
learning objective, with no question in common.

For each objective of the chosen modules, in order, the questions tagged with it that a
quiz grades at once (not retired; no essays, which wait for a grader, and no descriptions)
are shuffled and dealt alternately to the two forms, up to `per_objective` each; a question
tagged with several objectives is dealt once, under the first. An objective with fewer
than two such questions cannot be measured twice and is named in the result. The two
quizzes are fixed-question quizzes with one attempt each (the first attempt counts anyway,
camp.gain.scores); the cohort's windows are then set as for any quiz.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _  # type: ignore[import-untyped]
from sqlalchemy import select

from camp.accounts.identity import CampUser
from camp.accounts.models import Cohort
from camp.accounts.permissions import can_manage_cohort
from camp.bank.models import Question, QuestionTag, QuestionVersion
from camp.extensions import db
from camp.gain.models import PrePostPair
from camp.gain.pairs import PairRefused, pair_quizzes
from camp.lessons.models import Module
from camp.quizzes.building import QuizSettings, add_fixed_questions, create_quiz

NOT_AUTO_GRADED = ("essay", "description")
DEFAULT_PER_OBJECTIVE = 3


@dataclass(frozen=True)
class ParallelForms:
    pre: list[str]  # question uids, by objective
    post: list[str]
    too_few: list[str]  # objective tags with fewer than two questions


def deal(
    objective_tags: Sequence[str],
    questions_by_tag: dict[str, list[str]],
    per_objective: int,
    rng: random.Random,
) -> ParallelForms:
    """Deal each objective's questions alternately to the two forms (pure)."""
    pre: list[str] = []
    post: list[str] = []
    dealt: set[str] = set()
    too_few: list[str] = []
    for tag in objective_tags:
        pool = [uid for uid in questions_by_tag.get(tag, []) if uid not in dealt]
        if len(pool) < 2:
            too_few.append(tag)
            continue
        rng.shuffle(pool)
        count = min(per_objective, len(pool) // 2)
        pre += pool[0 : 2 * count : 2]
        post += pool[1 : 2 * count : 2]
        dealt.update(pool[: 2 * count])
    return ParallelForms(pre, post, too_few)


def _questions_by_tag(tags: Sequence[str]) -> dict[str, list[str]]:
    """Auto-graded, current questions per tag, in a stable order (one query)."""
    rows = db.session.execute(
        select(QuestionTag.tag, Question.uid)
        .join(Question, Question.id == QuestionTag.question_id)
        .join(
            QuestionVersion,
            (QuestionVersion.question_id == Question.id)
            & (QuestionVersion.number == Question.version_count),
        )
        .where(
            QuestionTag.tag.in_(list(tags)),
            Question.retired.is_(False),
            QuestionVersion.type.not_in(NOT_AUTO_GRADED),
        )
        .order_by(QuestionTag.tag, Question.uid)
    ).all()
    found: dict[str, list[str]] = {}
    for tag, uid in rows:
        found.setdefault(tag, []).append(uid)
    return found


def build_pair(
    cohort: Cohort,
    modules: Sequence[Module],
    actor: CampUser,
    *,
    per_objective: int = DEFAULT_PER_OBJECTIVE,
    rng: random.Random | None = None,
) -> tuple[PrePostPair, ParallelForms]:
    """Create the two quizzes and pair them for the cohort. Raises PairRefused."""
    if not can_manage_cohort(actor, cohort):
        raise PairRefused(_("Only the cohort's organisers can pair its tests."))
    tags = list(dict.fromkeys(o["tag"] for m in modules for o in m.objectives))
    if not tags:
        raise PairRefused(_("Choose modules with learning objectives."))
    forms = deal(tags, _questions_by_tag(tags), per_objective, rng or random.Random())
    if not forms.pre:
        raise PairRefused(_("The bank has too few questions on these modules' objectives."))
    quizzes = []
    for title, uids in (
        (_("Pre-test: %(cohort)s", cohort=cohort.name), forms.pre),
        (_("Post-test: %(cohort)s", cohort=cohort.name), forms.post),
    ):
        quiz = create_quiz(QuizSettings(title=title[:200], attempts_allowed=1))
        add_fixed_questions(quiz, uids)
        quizzes.append(quiz)
    pair = pair_quizzes(cohort, quizzes[0], quizzes[1], actor)
    return pair, forms
