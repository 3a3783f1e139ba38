"""Fast, ordered bulk writes: one transaction per batch.

On PostgreSQL (psycopg) rows go in with ``COPY ... FROM STDIN`` on a
background thread, so the server checks keys and builds indexes for one
batch while the caller generates the next. Elsewhere a Core executemany in
the caller's thread. Either way batches are committed in the order given.
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Callable
from typing import Any

import psycopg
from sqlalchemy import JSON, Table, insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from czrm.kit.crypto import Encrypted

Batch = list[tuple[Table, list[dict[str, Any]]]]


def _uses_copy(session: Session) -> bool:
    dialect = session.get_bind().dialect
    return dialect.name == "postgresql" and dialect.driver == "psycopg"


def _json(value: Any) -> str:
    # Most seeded JSON values are empty: skip the encoder for them.
    if value == {}:
        return "{}"
    if value == []:
        return "[]"
    return json.dumps(value)


def bulk_insert(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows in the session's transaction. Values must be what the column
    stores: timezone-aware UTC datetimes, JSON-serialisable objects for JSON."""
    if not rows:
        return
    if not _uses_copy(session):
        session.execute(insert(table), rows)
        return
    names = list(rows[0])
    json_at = [i for i, name in enumerate(names) if isinstance(table.c[name].type, JSON)]
    # COPY bypasses column types: encrypt what the table encrypts.
    dialect = session.get_bind().dialect
    encrypted_at: list[tuple[int, Encrypted]] = [
        (i, column_type)
        for i, name in enumerate(names)
        if isinstance(column_type := table.c[name].type, Encrypted)
    ]
    columns = ", ".join(f'"{name}"' for name in names)
    statement = f"COPY {table.name} ({columns}) FROM STDIN"
    raw = session.connection().connection.driver_connection
    assert raw is not None
    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                values = list(row.values())
                for i in json_at:
                    value = values[i]
                    if value is not None:
                        values[i] = _json(value)
                for i, column_type in encrypted_at:
                    values[i] = column_type.process_bind_param(values[i], dialect)
                copy.write_row(values)
    except psycopg.Error as exc:
        # The same exception types as an executemany would raise.
        raise DBAPIError.instance(statement, None, exc, psycopg.Error) from exc


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
        if _uses_copy(session):
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
