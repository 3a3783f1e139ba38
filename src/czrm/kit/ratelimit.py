"""Fixed-window limits shared by every czrm process on the machine: Open311 POSTs
per api_key and address, staff sign-in attempts per username and address,
portal sign-in links per e-mail and address.

The counts live in a small SQLite file beside the application's data
(``data_dir/ratelimit.sqlite3``), so the web server's worker processes count
together and a limit means what it says whatever the number of processes.
Counts need no durability (a lost window only forgives a few calls), so the
file is written without syncing. Keys are stored as keyed digests: an e-mail
address or a username never reaches the disk. When the file cannot be opened,
each process counts on its own, in memory, and says so in the log.

Several machines behind one address need a limiter in front of them.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import time
from pathlib import Path
from threading import Lock

from czrm.config import get_settings

WINDOW_SECONDS = 60.0
FORGET_EVERY = 10_000  # hits between sweeps of finished windows
log = logging.getLogger(__name__)

_HIT = """
INSERT INTO hits (scope, key, started, count) VALUES (:scope, :key, :now, 1)
ON CONFLICT (scope, key) DO UPDATE SET
    count = CASE WHEN :now - started >= :window THEN 1 ELSE count + 1 END,
    started = CASE WHEN :now - started >= :window THEN :now ELSE started END
RETURNING started, count
"""


class FixedWindowLimiter:
    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._db: sqlite3.Connection | None = None
        self._memory: dict[tuple[str, str], tuple[float, int]] | None = None
        self._lock = Lock()
        self._hits = 0

    def use(self, path: Path) -> None:
        """Count in ``path`` from now on (tests give each process its own)."""
        with self._lock:
            self._close()
            self._path = path

    def hit(self, scope: str, key: str, limit: int) -> float | None:
        """Count one call; returns the seconds to wait when over ``limit``, else None."""
        if limit <= 0:
            return None
        now = time.time()
        digest = self._digest(key)
        with self._lock:
            db = self._open()
            if db is None:
                started, count = self._count_in_memory(scope, digest, now)
            else:
                started, count = db.execute(
                    _HIT, {"scope": scope, "key": digest, "now": now, "window": WINDOW_SECONDS}
                ).fetchone()
            self._hits += 1
            if self._hits % FORGET_EVERY == 0:
                self._forget_old(now)
        if count > limit:
            return max(1.0, WINDOW_SECONDS - (now - started))
        return None

    def reset(self) -> None:
        with self._lock:
            db = self._open()
            if db is not None:
                db.execute("DELETE FROM hits")
            if self._memory is not None:
                self._memory.clear()

    # ----- storage --------------------------------------------------------------
    @staticmethod
    def _digest(key: str) -> str:
        secret = get_settings().secret_key.encode()
        return hashlib.blake2b(key.encode(), key=secret[:64], digest_size=16).hexdigest()

    def _open(self) -> sqlite3.Connection | None:
        if self._db is not None or self._memory is not None:
            return self._db
        path = self._path or get_settings().data_dir / "ratelimit.sqlite3"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=5.0, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=OFF")
            db.execute(
                "CREATE TABLE IF NOT EXISTS hits (scope TEXT NOT NULL, key TEXT NOT NULL, "
                "started REAL NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (scope, key)) "
                "WITHOUT ROWID"
            )
        except (OSError, sqlite3.Error) as exc:
            log.warning("rate limits counted per process (%s cannot be used: %s)", path, exc)
            self._memory = {}
            return None
        self._db = db
        return db

    def _close(self) -> None:
        if self._db is not None:
            self._db.close()
        self._db, self._memory = None, None

    def _count_in_memory(self, scope: str, key: str, now: float) -> tuple[float, int]:
        assert self._memory is not None
        started, count = self._memory.get((scope, key), (now, 0))
        if now - started >= WINDOW_SECONDS:
            started, count = now, 0
        self._memory[(scope, key)] = (started, count + 1)
        return started, count + 1

    def _forget_old(self, now: float) -> None:
        if self._db is not None:
            self._db.execute("DELETE FROM hits WHERE started <= ?", (now - WINDOW_SECONDS,))
        elif self._memory is not None:
            for item, (started, _count) in list(self._memory.items()):
                if now - started >= WINDOW_SECONDS:
                    del self._memory[item]


limiter = FixedWindowLimiter()
# Staff sign-in: passwords and second-factor codes, per username and per address.
SIGN_IN_PER_USER = 10
SIGN_IN_PER_ADDRESS = 50
