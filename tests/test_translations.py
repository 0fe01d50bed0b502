"""The interface's catalogues: every string marked in camp/ and templates/ is in the
zh_Hans catalogue, translated, not fuzzy, with the same placeholders, and the compiled
catalogue Camp loads matches it. A failure names what to run (README, Development)."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "camp" / "translations"
METHODS = [("camp/**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "_l": None}
LOCALES = ["zh_Hans"]


def _directory(path: str) -> bool:
    """Babel skips folders starting with "_" by default: templates/_macros is not skipped."""
    name = Path(path).name
    return not name.startswith(".") and name not in ("__pycache__", "node_modules")


def marked_strings() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), METHODS, keywords=KEYWORDS, directory_filter=_directory
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def catalogue(locale: str):
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po)


@pytest.mark.parametrize("locale", LOCALES)
def test_the_catalogue_holds_exactly_the_marked_strings(locale):
    listed = {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalogue(locale) if m.id}
    marked = marked_strings()
    missing, stale = sorted(marked - listed), sorted(listed - marked)
    hint = "run the pybabel extract and update commands of the README's Development section"
    assert not missing, f"marked but not in the {locale} catalogue ({hint}): {missing[:20]}"
    assert not stale, f"in the {locale} catalogue but no longer marked ({hint}): {stale[:20]}"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_is_translated_not_fuzzy_and_keeps_its_placeholders(locale):
    books = catalogue(locale)
    untranslated, fuzzy = [], []
    for message in books:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            untranslated.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
    assert not untranslated, f"untranslated in {locale}: {untranslated[:20]}"
    assert not fuzzy, f"fuzzy in {locale}: {fuzzy[:20]}"
    problems = [(m.id, [str(e) for e in errors]) for m, errors in books.check()]
    assert not problems, f"placeholders differ in {locale}: {problems[:10]}"


def _key(value):
    """Plural messages are tuples in a .po and lists in a .mo."""
    return tuple(value) if isinstance(value, list | tuple) else value


@pytest.mark.parametrize("locale", LOCALES)
def test_the_compiled_catalogue_is_the_current_one(locale):
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.mo").open("rb") as mo:
        compiled = {_key(m.id): _key(m.string) for m in read_mo(mo) if m.id}
    written = {
        _key(m.id): _key(m.string) for m in catalogue(locale) if m.id and m.string and not m.fuzzy
    }
    assert compiled == written, "run pybabel compile -d camp/translations (README, Development)"
