"""Inserting many rows at once: ``COPY`` on PostgreSQL, a batched INSERT elsewhere."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from sqlalchemy import JSON, Table, insert, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from czrm.kit.crypto import Encrypted

# Rows per executemany where COPY is not available.
CHUNK = 2000
# Rows per COPY statement: a few seconds of the server's work at most.
COPY_ROWS = 50_000
# How long ``checks_deferred`` waits for its locks before writing the ordinary way.
DEFER_LOCK_TIMEOUT = "2s"


def uses_copy(session: Session) -> bool:
    dialect = session.get_bind().dialect
    return dialect.name == "postgresql" and dialect.driver == "psycopg"


def _json(value: Any) -> str:
    # Most seeded JSON values are empty: skip the encoder for them.
    if value == {}:
        return "{}"
    if value == []:
        return "[]"
    return json.dumps(value)


def bulk_insert(session: Session, table: Table, rows: Iterable[dict[str, Any]]) -> int:
    """Insert rows in the session's transaction; returns how many. Values must be
    what the column stores: timezone-aware UTC datetimes, JSON-serialisable
    objects for JSON. Every row has the first row's keys, in its order.

    ``rows`` may be a generator: on PostgreSQL it feeds ``COPY`` as it goes, so
    the server stores rows while the generator makes the next ones."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return 0
    if not uses_copy(session):
        count = 0
        for chunk in _chunks(itertools.chain((first,), rows)):
            session.execute(insert(table), chunk)
            count += len(chunk)
        return count
    names = list(first)
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
    count = 0
    pending = itertools.chain((first,), rows)
    try:
        with raw.cursor() as cursor:
            while True:
                # One COPY per slice: each statement stays well inside the
                # connection's statement timeout however many rows come.
                written = 0
                with cursor.copy(statement) as copy:
                    for row in itertools.islice(pending, COPY_ROWS):
                        values = list(row.values())
                        for i in json_at:
                            value = values[i]
                            if value is not None:
                                values[i] = _json(value)
                        for i, column_type in encrypted_at:
                            values[i] = column_type.process_bind_param(values[i], dialect)
                        copy.write_row(values)
                        written += 1
                count += written
                if written < COPY_ROWS:
                    return count
    except psycopg.Error as exc:
        # The same exception types as an executemany would raise.
        raise DBAPIError.instance(statement, None, exc, psycopg.Error) from exc


def _chunks(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    while chunk := list(itertools.islice(rows, CHUNK)):
        yield chunk


@contextmanager
def checks_deferred(
    session: Session, tables: Sequence[Table], references: Sequence[Table]
) -> Iterator[bool]:
    """Write a first load into ``tables`` as pg_restore does: their foreign keys to
    ``references`` and their non-unique indexes are dropped for the block and made
    again after it, in the same transaction. A foreign key checked row by row
    locks the referenced row (a page write and a WAL record each: ~20 µs a row at
    a million links); checked again after the block it is one join, and an index
    one sorted build. Primary keys and unique constraints stay.

    The drops take exclusive locks on ``tables`` and ``references`` until the
    transaction ends, so this is for loads no one else reads yet. Where a lock is
    not granted within ``DEFER_LOCK_TIMEOUT`` nothing is dropped and the block
    writes with every check in place. Yields whether the checks were deferred;
    PostgreSQL only (elsewhere the block runs as it is). If the block raises, the
    transaction must be rolled back.
    """
    if session.get_bind().dialect.name != "postgresql":
        yield False
        return
    session.flush()
    names = [t.name for t in tables]
    keys = session.execute(
        text(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
            " FROM pg_constraint WHERE contype = 'f'"
            " AND conrelid = ANY(CAST(:tables AS regclass[]))"
            " AND confrelid = ANY(CAST(:references AS regclass[]))"
            " ORDER BY 1, 2"
        ),
        {"tables": names, "references": [t.name for t in references]},
    ).all()
    indexes = session.execute(
        text(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index"
            " WHERE indrelid = ANY(CAST(:tables AS regclass[]))"
            " AND NOT indisunique AND NOT indisprimary ORDER BY 1"
        ),
        {"tables": names},
    ).all()
    timeout = session.scalar(text("SHOW lock_timeout"))
    savepoint = session.begin_nested()
    try:
        session.execute(text(f"SET LOCAL lock_timeout = '{DEFER_LOCK_TIMEOUT}'"))
        for table, name, _ in keys:
            session.execute(text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
        for name, _ in indexes:
            session.execute(text(f"DROP INDEX {name}"))
    except OperationalError as exc:
        if not isinstance(exc.orig, psycopg.errors.LockNotAvailable):
            raise
        savepoint.rollback()  # undoes the drops and the timeout
        yield False
        return
    session.execute(text(f"SET LOCAL lock_timeout = '{timeout}'"))
    savepoint.commit()
    yield True
    session.flush()
    for _, definition in indexes:
        session.execute(text(definition))
    for table, name, definition in keys:
        session.execute(text(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'))
