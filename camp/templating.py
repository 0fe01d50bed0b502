"""What every template may use: navigation for the user's role, and small filters."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask import Flask
from flask_login import current_user

from camp.forms import TokenForm

NavItem = tuple[str, str]  # (endpoint, label)

_STUDENT_NAV: list[NavItem] = [("lessons.modules", "Modules")]
_ORGANISER_NAV: list[NavItem] = [("organiser.cohorts", "Cohorts"), ("lessons.modules", "Modules")]
_ADMIN_NAV: list[NavItem] = [("admin.users", "Users"), ("admin.audit_log", "Audit log")]

_extra_nav: dict[str, list[NavItem]] = {"student": [], "organiser": [], "admin": []}


def add_nav_item(role: str, endpoint: str, label: str) -> None:
    """Let an area add its page to the navigation of a role (called at registration)."""
    if (endpoint, label) not in _extra_nav[role]:
        _extra_nav[role].append((endpoint, label))


def navigation_for(user: Any) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    items = list(_STUDENT_NAV) + _extra_nav["student"] if user.is_student else []
    if user.is_organiser:
        items = list(_ORGANISER_NAV) + _extra_nav["organiser"]
    if user.is_admin:
        items += list(_ADMIN_NAV) + _extra_nav["admin"]
    return items


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.strftime("%Y-%m-%d %H:%M UTC")


def format_percent(value: float | None, digits: int = 0) -> str:
    """A 0..1 fraction as a percentage ("85%"), rounded half up everywhere, so a score of
    12.5% reads the same on the review, the progress page and the reports; an en dash for
    no value."""
    if value is None:
        return "\u2013"
    exact = Decimal(str(value * 100)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return f"{exact}%"


def register_templating(app: Flask) -> None:
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["percent"] = format_percent
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def inject_navigation() -> dict[str, Any]:
        return {
            "nav_items": navigation_for(current_user),
            # Never reads the request body (a 413 page must still render).
            "logout_form": TokenForm() if current_user.is_authenticated else None,
        }
