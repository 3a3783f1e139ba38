"""Everything held about a person, found by walking the schema's foreign keys.

Starting from the person's party rows (and persons merged into them), a row
belongs to the person when it refers to a row that does (a case they raised,
that case's events, a link to them). ``OWNED_PARENTS`` names the few edges
followed the other way, where a row that refers to the person makes its parent
theirs (the source record a link ties to them). Tables other areas add are
covered without any change here; ``SKIPPED_EDGES`` lists references that do
not make a row the person's (another citizen's case marked as a duplicate of
theirs).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, ForeignKeyConstraint, MetaData, Table, select, tuple_
from sqlalchemy.orm import Session

from czrm.kit.registry import Base

ROOTS = ("parties", "persons")
# (child table, child column): when the child row is the person's, so is its parent.
OWNED_PARENTS: frozenset[tuple[str, str]] = frozenset(
    {("identity_links", "source_record_id"), ("persons", "id")}
)
# (child table, child column) references that do not make the child the person's.
SKIPPED_EDGES: frozenset[tuple[str, str]] = frozenset(
    {
        ("cases", "duplicate_of_id"),
        # Other kinds of party share the parties table; a person's row is never one.
        ("organisations", "id"),
        ("households", "id"),
    }
)
CHUNK = 500


@dataclass
class Holdings:
    """The person's rows per table, keyed by primary key."""

    person_ids: list[uuid.UUID]
    rows: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = field(default_factory=dict)
    _values: dict[tuple[str, str], set[Any]] = field(default_factory=dict)

    def add(self, table: Table, found: list[dict[str, Any]]) -> int:
        if not found:
            return 0
        bucket = self.rows.setdefault(table.name, {})
        before = len(bucket)
        for row in found:
            bucket[tuple(row[c.name] for c in table.primary_key.columns)] = row
        for key in [k for k in self._values if k[0] == table.name]:
            del self._values[key]
        return len(bucket) - before

    def values(self, table_name: str, column: str) -> set[Any]:
        key = (table_name, column)
        if key not in self._values:
            rows = self.rows.get(table_name, {}).values()
            self._values[key] = {r[column] for r in rows if r[column] is not None}
        return self._values[key]

    def count(self) -> int:
        return sum(len(b) for b in self.rows.values())


def _edges(metadata: MetaData) -> Iterator[tuple[Table, ForeignKeyConstraint]]:
    for table in metadata.sorted_tables:
        for fk in table.foreign_key_constraints:
            yield table, fk


def _single(fk: ForeignKeyConstraint) -> tuple[Column[Any], Column[Any]] | None:
    if len(fk.elements) != 1:
        return None
    element = fk.elements[0]
    return element.parent, element.column


def reachable_tables(metadata: MetaData = Base.metadata) -> set[str]:
    """Every table that can hold a row of a person's (the schema-level closure)."""
    found = set(ROOTS)
    changed = True
    while changed:
        changed = False
        for table, fk in _edges(metadata):
            pair = _single(fk)
            if pair is None or (table.name, pair[0].name) in SKIPPED_EDGES:
                continue
            child, parent = pair
            if parent.table.name in found and table.name not in found:
                found.add(table.name)
                changed = True
            if (table.name, child.name) in OWNED_PARENTS and table.name in found:
                if parent.table.name not in found:
                    found.add(parent.table.name)
                    changed = True
    return found


def _select_in(
    session: Session, table: Table, column: Column[Any], values: set[Any]
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    ordered = sorted(values, key=str)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        result = session.execute(select(table).where(column.in_(chunk)))
        out += [dict(row._mapping) for row in result]
    return out


def holdings(
    session: Session, person_ids: list[uuid.UUID], metadata: MetaData = Base.metadata
) -> Holdings:
    """Walk to a fixpoint: each pass follows every edge from the rows found so far."""
    held = Holdings(person_ids)
    tables = metadata.tables
    held.add(
        tables["parties"],
        _select_in(session, tables["parties"], tables["parties"].c.id, set(person_ids)),
    )
    held.add(
        tables["persons"],
        _select_in(session, tables["persons"], tables["persons"].c.id, set(person_ids)),
    )
    # What each edge has already been asked for, in each direction.
    asked: dict[tuple[str, str, bool], set[Any]] = {}
    grew = True
    while grew:
        grew = False
        for table, fk in _edges(metadata):
            pair = _single(fk)
            if pair is None or (table.name, pair[0].name) in SKIPPED_EDGES:
                continue
            child, parent = pair
            down = asked.setdefault((table.name, child.name, True), set())
            todo = held.values(parent.table.name, parent.name) - down
            if todo:
                down |= todo
                grew |= held.add(table, _select_in(session, table, child, todo)) > 0
            if (table.name, child.name) in OWNED_PARENTS:
                up = asked.setdefault((table.name, child.name, False), set())
                wanted = held.values(table.name, child.name) - up
                if wanted:
                    up |= wanted
                    grew |= (
                        held.add(parent.table, _select_in(session, parent.table, parent, wanted))
                        > 0
                    )
    return held


def key_columns(table: Table) -> list[Column[Any]]:
    return list(table.primary_key.columns)


def delete_rows(session: Session, table: Table, keys: list[tuple[Any, ...]]) -> None:
    columns = key_columns(table)
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        if len(columns) == 1:
            session.execute(table.delete().where(columns[0].in_([k[0] for k in chunk])))
        else:
            session.execute(table.delete().where(tuple_(*columns).in_(chunk)))
