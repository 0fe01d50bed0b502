"""An in-process cache of question versions, keyed by id.

A version is immutable once written, so a cached copy can never go stale and every
process (or server) may keep its own. Hot pages (a question page, saving an answer)
read versions from here instead of loading ORM objects on every request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from typing import Any

from sqlalchemy import select

from camp import caches
from camp.bank.models import QuestionVersion
from camp.bank.translation_models import QuestionTranslation
from camp.extensions import db
from camp.locales import DEFAULT_LOCALE

MAX_ENTRIES = 20_000


@dataclass(frozen=True)
class VersionData:
    id: int
    question_id: int
    number: int
    type: str
    title: str
    text: str
    text_format: str
    spec: dict[str, Any]
    general_feedback: str
    extras: dict[str, Any]
    locale: str = DEFAULT_LOCALE  # the language of its text: a translation's, or English


# The columns of a VersionData, named by its fields and in their order (its locale is not
# a column: a version is English, a translation is read by `versions_in`).
_COLUMNS = tuple(getattr(QuestionVersion, f.name) for f in fields(VersionData)[:-1])
_cache: dict[int, VersionData] = {}


def get_versions(ids: Iterable[int]) -> dict[int, VersionData]:
    """The versions with these ids; one query for those not cached yet."""
    wanted = set(ids)
    missing = wanted - _cache.keys()
    if missing:
        if len(_cache) + len(missing) > MAX_ENTRIES:
            _cache.clear()
        found = select(*_COLUMNS).where(QuestionVersion.id.in_(missing))
        for row in db.session.execute(found):
            _cache[row.id] = VersionData(*row)
    return {i: _cache[i] for i in wanted if i in _cache}


# (version id, locale) -> the version as shown in that locale, or None: no translation.
_translated: dict[tuple[int, str], VersionData | None] = {}
_TRANSLATED_FIELDS = ("title", "text", "text_format", "spec", "general_feedback")


def versions_in(versions: dict[int, VersionData], locale: str) -> dict[int, VersionData]:
    """The versions as shown in `locale`: a translated version has the translation's text
    and spec (the same structure: only text differs), an untranslated one stays English.
    One query for the translations not cached yet.

    A translation is part of the content `camp content load` brings (or `camp bank import
    --lang`); a server keeps what it read until it restarts (`camp up` loads content as it
    starts)."""
    if locale == DEFAULT_LOCALE or not versions:
        return versions
    missing = [i for i in versions if (i, locale) not in _translated]
    if missing:
        if len(_translated) + len(missing) > MAX_ENTRIES:
            _translated.clear()
        columns = [getattr(QuestionTranslation, name) for name in _TRANSLATED_FIELDS]
        found = db.session.execute(
            select(QuestionTranslation.question_version_id, *columns).where(
                QuestionTranslation.question_version_id.in_(missing),
                QuestionTranslation.locale == locale,
            )
        ).all()
        for i in missing:
            _translated[(i, locale)] = None
        for row in found:
            fields_in = dict(zip(_TRANSLATED_FIELDS, row[1:], strict=True))
            _translated[(row[0], locale)] = replace(versions[row[0]], locale=locale, **fields_in)
    shown = {}
    for i, version in versions.items():
        translated = _translated.get((i, locale))
        shown[i] = translated if translated is not None else version
    return shown


caches.register_mapping("question versions", _cache)
caches.register_mapping("question translations", _translated)
