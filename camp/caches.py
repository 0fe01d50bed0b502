"""Every in-process cache, named in one registry, and one call that empties them all.

Camp keeps what never changes in memory: rendered question versions, header fragments,
prebuilt statements, signing keys. Each module that keeps such a cache registers it here
when it is imported, so that `clear_all()` (the tests, after emptying the database and so
reusing ids) forgets everything at once, and `registered()` says what there is.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any, Protocol, TypeVar


class _Cached(Protocol):
    def cache_clear(self) -> None: ...


F = TypeVar("F", bound=_Cached)
_clearers: dict[str, Callable[[], None]] = {}
_functions: list[object] = []


def register_function(name: str, cached: F) -> F:
    """A `functools.cache` / `lru_cache` function; returns it, so it can wrap a definition."""
    _clearers[name] = cached.cache_clear
    _functions.append(cached)
    return cached


def register_mapping(name: str, mapping: MutableMapping[Any, Any]) -> None:
    """A dict (or similar) a module fills itself."""
    _clearers[name] = mapping.clear


def registered() -> list[str]:
    return sorted(_clearers)


def is_registered(cached: object) -> bool:
    return any(cached is known for known in _functions)


def clear_all() -> None:
    for clear in _clearers.values():
        clear()
