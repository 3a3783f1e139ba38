"""Per-process fixed-window limits: Open311 POSTs per api_key and address, staff
sign-in attempts per username and address.

In memory: each web process counts on its own, so the effective limit is the
configured one times the number of processes. That is enough to stop a runaway
client; a shared limiter belongs in front of the processes.
"""

from __future__ import annotations

from threading import Lock
from time import monotonic

WINDOW_SECONDS = 60.0


class FixedWindowLimiter:
    def __init__(self) -> None:
        self._counts: dict[tuple[str, str], tuple[float, int]] = {}
        self._lock = Lock()

    def hit(self, scope: str, key: str, limit: int) -> float | None:
        """Count one call; returns the seconds to wait when over ``limit``, else None."""
        if limit <= 0:
            return None
        now = monotonic()
        with self._lock:
            started, count = self._counts.get((scope, key), (now, 0))
            if now - started >= WINDOW_SECONDS:
                started, count = now, 0
            count += 1
            self._counts[(scope, key)] = (started, count)
            if len(self._counts) > 100_000:
                self._forget_old(now)
        if count > limit:
            return max(1.0, WINDOW_SECONDS - (now - started))
        return None

    def _forget_old(self, now: float) -> None:
        for item, (started, _count) in list(self._counts.items()):
            if now - started >= WINDOW_SECONDS:
                del self._counts[item]

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()


limiter = FixedWindowLimiter()
# Staff sign-in: passwords and second-factor codes, per username and per address.
SIGN_IN_PER_USER = 10
SIGN_IN_PER_ADDRESS = 50
