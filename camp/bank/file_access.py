"""Who may fetch a question version's embedded file, and the file itself, in one query.

- Organisers and admins may fetch any version's files: every organiser sees the whole
  bank (and its answer keys), so a second organiser's question is no secret to them.
- A student may fetch a file of a version Camp has shown or shows them: one on the paper
  of one of their attempts (any state), a version of a question they have a review card
  for (the review shows its current version), or an item of a live session for a cohort
  they belong to. Not a quiz's questions before an attempt: no page shows those, and a
  quiz whose window has not opened must not leak its pictures.
- Anyone else, and a name the version does not have, gets nothing: the route answers 404
  in every such case, so that a file's existence does not leak.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import aliased

from camp.accounts.identity import CampUser
from camp.accounts.models import Membership
from camp.bank.file_models import QuestionFile, StoredFile
from camp.bank.models import QuestionVersion
from camp.bank.question_files import seen_files
from camp.extensions import db
from camp.formats.embedded_files import name_problem, stored_name
from camp.live.models import LiveItem, LiveSessionCohort
from camp.quizzes.models import Attempt, AttemptQuestion
from camp.review.models import ReviewCard


@dataclass(frozen=True)
class ServedFile:
    sha256: str
    content_type: str
    data: bytes


def _shown_to(student_id: int, version: type[QuestionVersion]) -> ColumnElement[bool]:
    """A condition on `version` (an alias): Camp has shown it, or shows it, to the student."""
    on_paper = (
        select(AttemptQuestion.question_version_id)
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .where(Attempt.user_id == student_id)
    )
    carded = select(ReviewCard.question_id).where(ReviewCard.user_id == student_id)
    live = (
        select(LiveItem.question_version_id)
        .join(LiveSessionCohort, LiveSessionCohort.session_id == LiveItem.session_id)
        .join(Membership, Membership.cohort_id == LiveSessionCohort.cohort_id)
        .where(Membership.user_id == student_id, LiveItem.question_version_id.is_not(None))
    )
    return version.id.in_(on_paper) | version.question_id.in_(carded) | version.id.in_(live)


def file_for(user: CampUser, version_id: int, name: str) -> ServedFile | None:
    """The file `name` of version `version_id` if `user` may fetch it, else None (no such
    version or name, or not for them: the caller cannot and need not tell which)."""
    name = stored_name(name)
    if not user.is_authenticated or name_problem(name):
        return None
    target = aliased(QuestionVersion, name="target")
    query = seen_files(target, StoredFile.sha256, StoredFile.content_type, StoredFile.data).where(
        target.id == version_id, QuestionFile.name == name
    )
    if not user.is_organiser:
        query = query.where(_shown_to(user.id, target))
    row = db.session.execute(query.limit(1)).first()
    if row is None:
        return None
    return ServedFile(row.sha256, row.content_type, bytes(row.data))
