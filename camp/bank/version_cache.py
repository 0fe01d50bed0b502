"""An in-process cache of question versions, keyed by id.

A version is immutable once written, so a cached copy can never go stale and every
process (or server) may keep its own. Hot pages (a question page, saving an answer)
read versions from here instead of loading ORM objects on every request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import select

from camp import caches
from camp.bank.models import QuestionVersion
from camp.extensions import db

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


# The columns of a VersionData, named by its fields and in their order.
_COLUMNS = tuple(getattr(QuestionVersion, f.name) for f in fields(VersionData))
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


caches.register_mapping("question versions", _cache)
