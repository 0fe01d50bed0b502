"""Recording audit events; callers add them in the same transaction as the change itself,
so a change and its record land together or not at all."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from camp.accounts.identity import CampUser
from camp.accounts.models import User
from camp.audit.models import AuditEvent
from camp.extensions import db


def record(actor: CampUser | None, action: str, summary: str, **detail: Any) -> AuditEvent:
    event = AuditEvent(
        actor_id=actor.id if actor is not None and actor.is_authenticated else None,
        action=action,
        summary=summary[:500],
        detail=detail,
    )
    db.session.add(event)
    return event


def recent(limit: int = 200) -> list[tuple[AuditEvent, User | None]]:
    rows = db.session.execute(
        select(AuditEvent, User)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    ).all()
    return [(event, user) for event, user in rows]
