"""Saving a page of answers on PostgreSQL in one statement that commits by itself.

Why: through the request's session a save was seven round trips to the server (the user's
row, the pool's ping, BEGIN, the attempt's check, the UPDATE, the log's INSERT, COMMIT);
on a machine whose two cores PostgreSQL shares, each is a wait. One statement is atomic on
its own: it locks the attempt's row against a concurrent submit (FOR SHARE), stores the
answers only while the attempt is in progress, logs each stored answer, and says whether
the attempt was in progress. It runs on the thread's autocommit connection
(camp.snapshot_reads), so a save is the user's row and this: two round trips.

SQLite does not come here: its saves are group-committed (camp.quizzes.group_commit).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from camp.db import stored_utc
from camp.quizzes.answers import PreparedAnswer
from camp.quizzes.models import AttemptState
from camp.snapshot_reads import run_alone_on_postgresql

_SAVE = """
WITH open_attempt AS (
    SELECT id FROM attempts
    WHERE id = %(attempt_id)s AND state = %(in_progress)s
    FOR SHARE
), answers (slot_id, response, answered) AS (
    SELECT * FROM unnest(%(slot_ids)s::integer[], %(responses)s::json[], %(answered)s::boolean[])
), stored AS (
    UPDATE attempt_questions
    SET response = answers.response, answered = answers.answered, saved_at = %(now)s
    FROM answers, open_attempt
    WHERE attempt_questions.id = answers.slot_id
      AND attempt_questions.attempt_id = open_attempt.id
    RETURNING attempt_questions.id, answers.response
), logged AS (
    INSERT INTO response_log (attempt_question_id, response, saved_at, accepted)
    SELECT id, response, %(now)s, true FROM stored
)
SELECT count(*) FROM open_attempt
"""


def save_in_one_statement(
    attempt_id: int, prepared: Sequence[PreparedAnswer], now: datetime
) -> bool:
    """Store the attempt's prepared answers and log them; False (nothing stored) when the
    attempt is no longer in progress."""
    params = {
        "attempt_id": attempt_id,
        "in_progress": AttemptState.IN_PROGRESS.value,
        "slot_ids": [a.slot_id for a in prepared],
        # As the JSON column writes them (None is JSON's null, as SQLAlchemy stores it).
        "responses": [json.dumps(a.response) for a in prepared],
        "answered": [a.answered for a in prepared],
        "now": stored_utc(now),
    }
    (row,) = run_alone_on_postgresql(_SAVE, params)
    return bool(row[0])
