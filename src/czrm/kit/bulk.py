"""Inserting many rows at once: ``COPY`` on PostgreSQL, a batched INSERT elsewhere."""

from __future__ import annotations

import json
from typing import Any

import psycopg
from sqlalchemy import JSON, Table, insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from czrm.kit.crypto import Encrypted


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


def bulk_insert(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows in the session's transaction. Values must be what the column
    stores: timezone-aware UTC datetimes, JSON-serialisable objects for JSON."""
    if not rows:
        return
    if not uses_copy(session):
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
