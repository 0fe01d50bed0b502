"""What every report page does before it counts: submit the attempts past their deadline
(they are submitted the next time anyone looks), in a short write transaction of their own
(a GET that writes: camp.transactions)."""

from __future__ import annotations

from camp.db import utcnow
from camp.quizzes.attempts import close_overdue, overdue_exist
from camp.transactions import write_transaction


def touch_overdue() -> None:
    now = utcnow()
    if overdue_exist(now):
        with write_transaction():
            close_overdue(now)
