"""The languages Camp speaks, and how a language tag (Accept-Language, a cookie, a setting)
maps to one of them. No imports from the rest of Camp: configuration reads it too."""

from __future__ import annotations

LOCALES = ("en", "zh_Hans")
DEFAULT_LOCALE = "en"
# Each language named in itself, as a switcher shows it.
LANGUAGE_NAMES = {"en": "English", "zh_Hans": "简体中文"}
# BCP 47 tags for <html lang> and the lang attribute of a switcher's buttons.
HTML_LANG = {"en": "en", "zh_Hans": "zh-Hans"}


def known_locale(value: str | None) -> str | None:
    """The locale Camp uses for a language tag or a stored value, or None: "zh-CN",
    "zh_Hans" and "zh-TW" are all Chinese (the one Chinese Camp has), "en-GB" is English."""
    if not value:
        return None
    primary = value.replace("_", "-").split("-", 1)[0].lower()
    if primary == "zh":
        return "zh_Hans"
    if primary == "en":
        return "en"
    return None
