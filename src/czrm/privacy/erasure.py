"""Erasure (Art. 17): every row held about a person goes, across every table.

Rows are found the way the access export finds them (``privacy.graph``), so
tables other areas add are erased too. Each table's spec decides how: most
rows are deleted; cases keep their operational data (service, status,
department, dates, the rough location) with the requester and what they wrote
removed; a subject-rights request stays as the record of handling it, without
the person. The audit log holds no personal data, so it is left as it is and
its hash chain still verifies; the erasure itself is audited with counts only.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Table, tuple_
from sqlalchemy.orm import Session

from czrm.audit.service import record
from czrm.auth.subject import Actor
from czrm.kit.registry import Base
from czrm.people import repository as people_repository
from czrm.privacy import graph
from czrm.privacy.categories import Erasure, spec_for

# Reported locations are kept only to about 100 m once the requester is erased.
LOCATION_DECIMALS = 3


def _update(
    session: Session, table: Table, keys: list[tuple[Any, ...]], values: dict[str, Any]
) -> None:
    columns = graph.key_columns(table)
    for start in range(0, len(keys), graph.CHUNK):
        chunk = keys[start : start + graph.CHUNK]
        where = (
            columns[0].in_([k[0] for k in chunk])
            if len(columns) == 1
            else tuple_(*columns).in_(chunk)
        )
        session.execute(table.update().where(where).values(**values))


def _round_locations(
    session: Session, table: Table, rows: dict[tuple[Any, ...], dict[str, Any]]
) -> None:
    if "lat" not in table.c or "long" not in table.c:
        return
    for key, row in rows.items():
        if row.get("lat") is None or row.get("long") is None:
            continue
        _update(
            session,
            table,
            [key],
            {
                "lat": round(row["lat"], LOCATION_DECIMALS),
                "long": round(row["long"], LOCATION_DECIMALS),
            },
        )


def erase_person(
    session: Session, actor: Actor, jurisdiction_id: uuid.UUID, person_id: uuid.UUID
) -> dict[str, int]:
    """Erase the person (and persons merged into them); returns rows affected per table."""
    ids = [person_id, *people_repository.absorbed_into(session, person_id)]
    held = graph.holdings(session, ids)
    counts: dict[str, int] = {}
    # Children before parents, so no reference is left pointing at a deleted row.
    for table in reversed(Base.metadata.sorted_tables):
        rows = held.rows.get(table.name)
        if not rows:
            continue
        spec = spec_for(table)
        how = spec.erasure if spec else Erasure.DELETE
        keys = list(rows)
        if how is Erasure.DELETE:
            graph.delete_rows(session, table, keys)
        else:
            assert spec is not None
            _update(session, table, keys, spec.cleared)
            if how is Erasure.ANONYMISE:
                _round_locations(session, table, rows)
        counts[table.name] = len(keys)
    session.expire_all()
    record(
        session,
        actor,
        action="person_erased",
        entity_type="person",
        entity_id=person_id,
        jurisdiction_id=jurisdiction_id,
        details={"rows": counts},
    )
    return counts
