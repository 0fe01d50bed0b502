"""`camp attempts close-overdue`: submit attempts whose deadline has passed.

Overdue attempts are also closed whenever someone looks at them; run this from cron so that
scores and reports do not wait for that.
"""

from __future__ import annotations

import click

from camp.db import utcnow
from camp.extensions import db
from camp.quizzes import attempts
from camp.schema import needs_current_schema


@click.group("attempts")
def attempts_group() -> None:
    """Look after quiz attempts."""


@attempts_group.command("close-overdue")
@needs_current_schema
def close_overdue() -> None:
    """Submit and grade every attempt past its deadline, with the answers saved."""
    closed = attempts.close_overdue(utcnow())
    db.session.commit()
    click.echo(f"Closed {closed} overdue attempt(s).")
