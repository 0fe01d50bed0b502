"""What a user chooses for themselves beyond their password: the interface language."""

from __future__ import annotations

from camp.accounts.models import User
from camp.locales import LOCALES


def set_locale(user: User, locale: str) -> None:
    """Remember the interface language a user chose (one of camp.locales.LOCALES), so that
    every browser they log in from opens in it."""
    if locale not in LOCALES:
        raise ValueError(f"not a language Camp speaks: {locale!r}")
    user.locale = locale
