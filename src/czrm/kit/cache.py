"""Small per-process caches for reference data that changes rarely (calendars,
team areas, the catalogue, jurisdictions).

Entries live ``ttl`` seconds, so a change made by another process shows within
that time; a change made in this process clears the cache at once.
"""

from __future__ import annotations

from collections.abc import Callable
from threading import Lock
from time import monotonic
from typing import Any, TypeVar

T = TypeVar("T")
_caches: list[TtlCache] = []


class TtlCache:
    def __init__(self, ttl: float = 60.0) -> None:
        self.ttl = ttl
        self._data: dict[Any, tuple[float, Any]] = {}
        self._lock = Lock()
        _caches.append(self)

    def get_or_load(
        self, key: Any, load: Callable[[], T], *, fresh_enough: Callable[[T], bool] | None = None
    ) -> T:
        """The cached value, unless it has expired or ``fresh_enough`` rejects it."""
        with self._lock:
            hit = self._data.get(key)
        if hit is not None and monotonic() - hit[0] < self.ttl:
            if fresh_enough is None or fresh_enough(hit[1]):
                return hit[1]
        value = load()
        with self._lock:
            self._data[key] = (monotonic(), value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


def clear_all() -> None:
    """Forget everything cached in this process (after an admin change, in tests)."""
    for cache in _caches:
        cache.clear()
