"""``column IN (ids)`` as one statement text, however many ids there are.

SQLAlchemy renders ``column.in_(ids)`` with one placeholder per id, so a page
of 100 ids and a page of 99 are different statements: the driver parses each
anew and PostgreSQL plans each anew, on every request. ``in_ids`` binds the
whole list as one value instead — ``= ANY(array)`` on PostgreSQL,
``IN (SELECT value FROM json_each(list))`` on SQLite — so the statement is
prepared once and reused.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import BigInteger, String, bindparam
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import NullType, TypeDecorator, TypeEngine


class _IdList(TypeDecorator[list[int]]):
    """A list of integer ids bound as one value: an array, or JSON text on SQLite."""

    impl = String
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.ARRAY(BigInteger()))
        return dialect.type_descriptor(String())

    def process_bind_param(self, value: Iterable[int] | None, dialect: Dialect) -> Any:
        ids = [int(v) for v in value or ()]
        return ids if dialect.name == "postgresql" else json.dumps(ids)


class _InIds(FunctionElement[Any]):
    # Not Boolean: SQLite, which has no boolean type, would get "= 1" appended.
    type = NullType()
    inherit_cache = True
    name = "in_ids"


def _parts(element: _InIds, compiler: SQLCompiler, **kw: Any) -> tuple[str, str]:
    column, ids = list(element.clauses)
    return compiler.process(column, **kw), compiler.process(ids, **kw)


@compiles(_InIds)
def _in_ids_default(element: _InIds, compiler: SQLCompiler, **kw: Any) -> str:
    column, ids = _parts(element, compiler, **kw)
    # Compiled fragments (a column and a placeholder), never a value.
    return f"{column} IN (SELECT value FROM json_each({ids}))"  # noqa: S608


@compiles(_InIds, "postgresql")
def _in_ids_postgresql(element: _InIds, compiler: SQLCompiler, **kw: Any) -> str:
    column, ids = _parts(element, compiler, **kw)
    return f"{column} = ANY({ids})"


def in_ids(column: ColumnElement[Any] | QueryableAttribute[Any], name: str) -> ColumnElement[bool]:
    """``column IN (:name)`` for integer ids given at execution as ``{name: [ids]}``."""
    return _InIds(column, bindparam(name, type_=_IdList()))
