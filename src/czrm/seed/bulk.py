"""Fast, ordered bulk writes: one transaction per batch.

On PostgreSQL (psycopg) rows go in with ``COPY ... FROM STDIN`` on a
background thread, so the server checks keys and builds indexes for one
batch while the caller generates the next. Elsewhere a Core executemany in
the caller's thread. Either way batches are committed in the order given.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

from czrm.kit.bulk import bulk_insert, uses_copy

Batch = list[tuple[Table, list[dict[str, Any]]]]


class BatchWriter:
    """Commits batches in order; ``progress(done, total)`` is called from the
    caller's thread only, with the number of items committed so far."""

    def __init__(
        self,
        session: Session,
        total: int,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.session = session
        self.total = total
        self.progress = progress
        self.committed = 0
        self._reported = 0
        self._error: BaseException | None = None
        self._failed = False
        self._queue: queue.Queue[tuple[Batch, int] | None] | None = None
        self._thread: threading.Thread | None = None
        if uses_copy(session):
            self._queue = queue.Queue(maxsize=2)
            self._thread = threading.Thread(target=self._run, name="czrm-seed-writer", daemon=True)
            self._thread.start()

    def write(self, batch: Batch, items: int) -> None:
        self._raise_if_failed()
        if self._queue is None:
            self._commit(batch, items)
        else:
            while True:  # wait for room, reporting what commits meanwhile
                try:
                    self._queue.put((batch, items), timeout=0.2)
                    break
                except queue.Full:
                    self._report()
                    self._raise_if_failed()
        self._report()

    def close(self) -> None:
        if self._queue is not None and self._thread is not None:
            self._queue.put(None)
            while self._thread.is_alive():
                self._thread.join(timeout=0.2)
                self._report()
            self._queue = None
        self._raise_if_failed()
        self._report()

    def _commit(self, batch: Batch, items: int) -> None:
        for table, rows in batch:
            bulk_insert(self.session, table, rows)
        self.session.commit()
        self.committed += items

    def _run(self) -> None:
        assert self._queue is not None
        while (job := self._queue.get()) is not None:
            if self._failed:
                continue  # drain, so the producer never blocks on a dead writer
            try:
                self._commit(*job)
            except BaseException as exc:  # handed to the caller's thread
                self._error = exc
                self._failed = True

    def _raise_if_failed(self) -> None:
        if self._error is None:
            return
        error, self._error = self._error, None
        if self._queue is not None and self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._queue = None
        raise error

    def _report(self) -> None:
        if self.progress is not None and self.committed != self._reported:
            self._reported = self.committed
            self.progress(self.committed, self.total)
