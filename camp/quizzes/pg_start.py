"""Writing a new attempt and its paper on PostgreSQL in one statement that commits by itself.

Why: through the request's session the write of a start was six round trips to the server
(COMMIT of the reads, BEGIN, SAVEPOINT, the attempt's INSERT, the paper's INSERT, RELEASE
and COMMIT), on a machine whose two cores PostgreSQL shares, when a whole room presses
Start in the same second. One statement inserts the attempt and its questions together,
atomically, on the thread's autocommit connection (camp.snapshot_reads). When the database
refuses the attempt (the student's other request started one first: one attempt in
progress per student and quiz, one number per attempt), nothing is written and no id comes
back; the caller then finds the attempt in progress, as `attempts.write_attempt` does.

SQLite does not come here: its starts are group-committed (camp.quizzes.group_commit).
"""

from __future__ import annotations

import json

from camp.db import stored_utc
from camp.quizzes.attempts import NewAttempt
from camp.quizzes.models import AttemptState
from camp.snapshot_reads import run_alone_on_postgresql

_START = """
WITH new_attempt AS (
    INSERT INTO attempts (quiz_id, user_id, number, state, seed, started_at, deadline,
                          auto_submitted, needs_grading, locale)
    VALUES (%(quiz_id)s, %(user_id)s, %(number)s, %(in_progress)s, %(seed)s, %(now)s,
            %(deadline)s, false, false, %(locale)s)
    ON CONFLICT DO NOTHING
    RETURNING id
), paper AS (
    INSERT INTO attempt_questions (attempt_id, position, question_version_id, option_order,
                                   answered)
    SELECT new_attempt.id, drawn.position, drawn.version_id, drawn.option_order, false
    FROM new_attempt,
         unnest(%(positions)s::integer[], %(version_ids)s::integer[], %(orders)s::json[])
             AS drawn (position, version_id, option_order)
)
SELECT id FROM new_attempt
"""


def start_in_one_statement(new: NewAttempt) -> int | None:
    """Write the planned attempt and its paper; its id, or None (nothing written) when the
    database refused it as a second attempt in progress or a taken number."""
    paper = new.plan.paper
    params = {
        "quiz_id": new.quiz_id,
        "user_id": new.user_id,
        "number": new.plan.number,
        "in_progress": AttemptState.IN_PROGRESS.value,
        "seed": new.plan.seed,
        "now": stored_utc(new.now),
        "deadline": stored_utc(new.plan.deadline),
        "locale": new.locale,
        "positions": list(range(1, len(paper) + 1)),
        "version_ids": [drawn.version.id for drawn in paper],
        # As the JSON column writes them (None is JSON's null, as SQLAlchemy stores it).
        "orders": [json.dumps(drawn.option_order) for drawn in paper],
    }
    rows = run_alone_on_postgresql(_START, params)
    return int(rows[0][0]) if rows else None
