"""`camp attempts close-overdue`."""

from __future__ import annotations

from datetime import timedelta

from camp.db import utcnow
from camp.extensions import db
from camp.quizzes import services
from camp.quizzes.models import Attempt, AttemptState


def test_close_overdue_submits_attempts_past_their_deadline(make, runner):
    quiz = make.quiz([make.choice_question()], time_limit_minutes=10)
    late_id = services.start_attempt(make.user(), quiz, utcnow() - timedelta(hours=1))
    on_time_id = services.start_attempt(make.user(), quiz, utcnow())
    db.session.commit()
    result = runner.invoke(args=["attempts", "close-overdue"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Closed 1 overdue attempt(s)."
    db.session.expire_all()
    late, on_time = db.session.get(Attempt, late_id), db.session.get(Attempt, on_time_id)
    assert late.state == AttemptState.SUBMITTED and late.auto_submitted
    assert late.submitted_at == late.deadline and late.score == 0.0
    assert on_time.state == AttemptState.IN_PROGRESS
    again = runner.invoke(args=["attempts", "close-overdue"])
    assert again.output.strip() == "Closed 0 overdue attempt(s)."
