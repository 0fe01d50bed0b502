"""Imports every model module so the metadata is complete (for Alembic and create_all in tests)."""

from camp.accounts.models import Cohort, Membership, User

__all__ = ["Cohort", "Membership", "User"]
