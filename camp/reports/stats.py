"""Item analysis for one quiz: facility, discrimination and option counts per question.

Counted attempts: submitted, fully graded attempts by students (of the organiser's cohorts
when the caller says so: a small cohort's statistics would show its answers one by one,
and organisers see only their own students); by default only each
student's first attempt (attempt number 1), or every attempt with `which="all"`. A question
is grouped by its uid across versions. For each question, over the counted attempts that
showed it:

- facility = mean fraction of credit;
- discrimination = Pearson correlation between the question's fraction x and the rest of
  the attempt, y = attempt total - x (the total is the sum of the attempt's fractions);
- option counts for choice questions: all counted attempts, and the top and bottom third
  of them by attempt total (ties broken by attempt id).

Everything comes from four GROUP BY queries whatever the number of attempts; the sums for
Pearson's r (n, Σx, Σy, Σx², Σy², Σxy) are aggregated in SQL and combined here.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _  # type: ignore[import-untyped]
from sqlalchemy import ColumnElement, String, case, cast, func, select

from camp.accounts.models import Role, User
from camp.bank.models import Question, QuestionVersion
from camp.bank.question_types import REGISTRY, get_type
from camp.extensions import db
from camp.quizzes.models import Attempt, AttemptQuestion, AttemptState, Quiz, QuizSlot
from camp.reports.details import question_title

BROKEN_DOWN = tuple(name for name, kind in REGISTRY.items() if kind.has_breakdown)
HARD, EASY, WEAK = 0.2, 0.95, 0.1


def pearson(n: int, sx: float, sy: float, sxx: float, syy: float, sxy: float) -> float | None:
    """Pearson's r from sums; None when either variable does not vary (or n < 2)."""
    if n < 2:
        return None
    cov = n * sxy - sx * sy
    var_x = n * sxx - sx * sx
    var_y = n * syy - sy * sy
    if var_x <= 1e-12 or var_y <= 1e-12:
        return None
    return max(-1.0, min(1.0, cov / math.sqrt(var_x * var_y)))


def flags_for(facility: float | None, discrimination: float | None) -> tuple[str, ...]:
    """Why a question is flagged, in the request's language (also in the CSV export)."""
    flags = []
    if facility is not None and facility < HARD:
        flags.append(_("very hard (facility below 0.2)"))
    if facility is not None and facility > EASY:
        flags.append(_("very easy (facility above 0.95)"))
    if discrimination is not None and discrimination < WEAK:
        flags.append(
            _("negative discrimination")
            if discrimination < 0
            else _("weak discrimination (below 0.1)")
        )
    return tuple(flags)


@dataclass(frozen=True)
class VersionCount:
    number: int
    responses: int


@dataclass(frozen=True)
class OptionStat:
    text: str
    weight: float
    correct: bool
    chosen: int
    top: int
    bottom: int
    note: str = ""


@dataclass(frozen=True)
class QuestionStat:
    uid: str
    title: str
    type: str
    versions: tuple[VersionCount, ...]
    n: int
    facility: float | None
    discrimination: float | None
    flags: tuple[str, ...]
    options: list[OptionStat]
    unanswered: int = 0


@dataclass(frozen=True)
class QuizStats:
    quiz_id: int
    title: str
    which: str
    counted: int
    submitted: int
    first_attempts: int
    band_size: int
    questions: list[QuestionStat]

    @property
    def flagged(self) -> int:
        return sum(1 for q in self.questions if q.flags)


def _picked(kind: str, spec: dict[str, Any], raw: str | None) -> list[int]:
    """Indices into the type's breakdown that a stored response chose (empty: no answer)."""
    try:
        response = json.loads(raw) if raw else None
    except ValueError:
        return []
    if not isinstance(response, dict):
        return []
    return get_type(kind).picked(spec, response)


def _option_note(option: OptionStat, band_size: int) -> str:
    if not option.correct and option.weight <= 0 and option.chosen == 0:
        return _("nobody chose this distractor")
    if option.correct and band_size and option.top < option.bottom:
        return _("the top third chose it less often than the bottom third")
    if not option.correct and band_size and option.top > option.bottom:
        return _("the top third chose this wrong option more often than the bottom third")
    return ""


def quiz_stats(
    quiz: Quiz, which: str = "first", students: ColumnElement[bool] | None = None
) -> QuizStats:
    """`students`, a condition on `User.id` (`students_run_by(organiser)`), limits the
    counted attempts to those students; None counts every student's."""
    which = "all" if which == "all" else "first"
    base = [
        Attempt.quiz_id == quiz.id,
        Attempt.state == AttemptState.SUBMITTED,
        Attempt.score.is_not(None),
        User.role == Role.STUDENT,
    ]
    if students is not None:
        base.append(students)
    submitted, first_attempts = db.session.execute(
        select(func.count(Attempt.id), func.sum(case((Attempt.number == 1, 1), else_=0)))
        .join(User, User.id == Attempt.user_id)
        .where(*base)
    ).one()
    counted_ids = select(Attempt.id).join(User, User.id == Attempt.user_id).where(*base)
    if which == "first":
        counted_ids = counted_ids.where(Attempt.number == 1)
    totals = (
        select(
            AttemptQuestion.attempt_id,
            func.coalesce(func.sum(AttemptQuestion.fraction), 0.0).label("total"),
        )
        .where(AttemptQuestion.attempt_id.in_(counted_ids))
        .group_by(AttemptQuestion.attempt_id)
        .subquery()
    )
    counted = (first_attempts if which == "first" else submitted) or 0
    band_size = counted // 3
    ranked = select(
        totals.c.attempt_id,
        totals.c.total,
        func.row_number().over(order_by=(totals.c.total.desc(), totals.c.attempt_id)).label("rk"),
        func.count().over().label("cnt"),
    ).subquery()
    third = ranked.c.cnt // 3
    band = case(
        (ranked.c.rk <= third, "top"),
        (ranked.c.rk > ranked.c.cnt - third, "bottom"),
        else_="middle",
    ).label("band")

    x = AttemptQuestion.fraction
    y = ranked.c.total - AttemptQuestion.fraction
    sums = db.session.execute(
        select(
            QuestionVersion.question_id,
            func.count(x),
            func.sum(x),
            func.sum(y),
            func.sum(x * x),
            func.sum(y * y),
            func.sum(x * y),
        )
        .select_from(AttemptQuestion)
        .join(ranked, ranked.c.attempt_id == AttemptQuestion.attempt_id)
        .join(QuestionVersion, QuestionVersion.id == AttemptQuestion.question_version_id)
        .where(x.is_not(None))
        .group_by(QuestionVersion.question_id)
    )
    sums_by_question = {row[0]: row[1:] for row in sums}

    per_version = (
        select(AttemptQuestion.question_version_id.label("vid"), func.count().label("n"))
        .join(ranked, ranked.c.attempt_id == AttemptQuestion.attempt_id)
        .group_by(AttemptQuestion.question_version_id)
        .subquery()
    )
    versions = db.session.execute(
        select(
            QuestionVersion.id,
            QuestionVersion.question_id,
            Question.uid,
            QuestionVersion.number,
            QuestionVersion.type,
            QuestionVersion.title,
            QuestionVersion.text,
            QuestionVersion.spec,
            per_version.c.n,
        )
        .select_from(per_version)
        .join(QuestionVersion, QuestionVersion.id == per_version.c.vid)
        .join(Question, Question.id == QuestionVersion.question_id)
        .order_by(QuestionVersion.question_id, QuestionVersion.number)
    ).all()

    response_text = cast(AttemptQuestion.response, String)
    choice_rows = db.session.execute(
        select(AttemptQuestion.question_version_id, band, response_text, func.count())
        .select_from(AttemptQuestion)
        .join(ranked, ranked.c.attempt_id == AttemptQuestion.attempt_id)
        .join(QuestionVersion, QuestionVersion.id == AttemptQuestion.question_version_id)
        .where(QuestionVersion.type.in_(BROKEN_DOWN))
        .group_by(AttemptQuestion.question_version_id, band, response_text)
    )
    picks: dict[int, list[tuple[str, str | None, int]]] = {}
    for vid, row_band, raw, n in choice_rows:
        picks.setdefault(vid, []).append((row_band, raw, int(n)))

    slot_order = dict(
        db.session.execute(
            select(QuizSlot.question_id, QuizSlot.position).where(
                QuizSlot.quiz_id == quiz.id, QuizSlot.question_id.is_not(None)
            )
        ).all()
    )
    by_question: dict[int, list[tuple[Any, ...]]] = {}
    for row in versions:
        by_question.setdefault(row[1], []).append(row)
    questions = [
        _question_stat(rows, sums_by_question.get(qid), picks, band_size)
        for qid, rows in by_question.items()
    ]
    order = {q: (slot_order.get(q, 10**9), rows[0][2]) for q, rows in by_question.items()}
    questions = [
        stat
        for _qid, stat in sorted(
            zip(by_question, questions, strict=True), key=lambda p: order[p[0]]
        )
    ]
    return QuizStats(
        quiz_id=quiz.id,
        title=quiz.title,
        which=which,
        counted=counted,
        submitted=submitted or 0,
        first_attempts=first_attempts or 0,
        band_size=band_size,
        questions=questions,
    )


def _question_stat(
    versions: list[tuple[Any, ...]],
    sums: tuple[Any, ...] | None,
    picks: dict[int, list[tuple[str, str | None, int]]],
    band_size: int,
) -> QuestionStat:
    latest = versions[-1]
    _vid, _qid, uid, _number, kind, title, text, _spec, _n = latest
    n, sx, sy, sxx, syy, sxy = sums if sums else (0, 0.0, 0.0, 0.0, 0.0, 0.0)
    n = int(n or 0)
    facility = float(sx) / n if n else None
    discrimination = pearson(n, *(float(v or 0) for v in (sx, sy, sxx, syy, sxy)))
    options: dict[str, dict[str, Any]] = {}
    unanswered = 0
    # Rows are matched across versions by their text; the newest version's weight wins.
    for vid, _qid, _uid, _number, vkind, _title, _text, spec, _n in versions:
        listed = get_type(vkind).breakdown(spec)
        for item in listed:
            entry = options.setdefault(item.text, {"chosen": 0, "top": 0, "bottom": 0})
            entry["item"] = item
        for row_band, raw, count in picks.get(vid, []):
            chosen = _picked(vkind, spec, raw)
            if not chosen:
                unanswered += count
            for index in chosen:
                if not 0 <= index < len(listed):
                    continue
                entry = options[listed[index].text]
                entry["chosen"] += count
                if row_band in ("top", "bottom"):
                    entry[row_band] += count
    stats = []
    for text_, entry in options.items():
        item = entry["item"]
        option = OptionStat(
            text_, item.weight, item.correct, entry["chosen"], entry["top"], entry["bottom"]
        )
        stats.append(OptionStat(**{**option.__dict__, "note": _option_note(option, band_size)}))
    return QuestionStat(
        uid=uid,
        title=question_title(title, text, kind),
        type=kind,
        versions=tuple(VersionCount(v[3], int(v[8])) for v in versions),
        n=n,
        facility=facility,
        discrimination=discrimination,
        flags=flags_for(facility, discrimination),
        options=stats,
        unanswered=unanswered,
    )
