"""Inserting many rows at once: ``COPY`` on PostgreSQL, a batched INSERT elsewhere."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator
from typing import Any

import psycopg
from sqlalchemy import JSON, Table, insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from czrm.kit.crypto import Encrypted

# Rows per executemany where COPY is not available.
CHUNK = 2000
# Rows per COPY statement: a few seconds of the server's work at most.
COPY_ROWS = 50_000


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
