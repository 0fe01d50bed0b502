"""URL safety: ids in paths stay within what the database holds, and only local paths
are followed after login."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from werkzeug.routing import IntegerConverter, Map

# Primary keys are `Integer` columns: 32-bit on PostgreSQL (SQLite would hold 64 bits,
# but ids there come from the same sequence of rows and never get near this).
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:...>` with a default maximum of MAX_ID.

    Why: a larger number cannot be bound as a query parameter (SQLite raises
    OverflowError past 2**63, PostgreSQL refuses past 2**31 for an integer column), so the
    page failed with a 500; on the attempt
    pages even the error page failed, as it reads the user with the attempt's id. Such a
    URL names nothing: routing now answers it with the normal 404.
    """

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def safe_next(target: str | None) -> str | None:
    """Return ``target`` when it is a path on this site, else None."""
    if not target or "\\" in target or any(ord(c) < 32 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def same_site_path(url: str | None, host: str) -> str | None:
    """The path and query of `url` when it points at `host` (a Referer), else None."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.netloc != host:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")
