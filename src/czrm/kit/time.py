"""One clock for the whole system, replaceable in tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

_now: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731


def utc_now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return _now()


@contextmanager
def frozen_clock(moment: datetime) -> Iterator[Callable[[datetime], None]]:
    """Freeze ``utc_now()`` at ``moment``; the yielded function moves it."""
    global _now
    if moment.tzinfo is None:
        raise ValueError("frozen_clock needs a timezone-aware datetime")
    current = [moment]
    previous = _now
    _now = lambda: current[0]  # noqa: E731

    def move(to: datetime) -> None:
        current[0] = to

    try:
        yield move
    finally:
        _now = previous
