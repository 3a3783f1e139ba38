"""Every query over source records, links and review items."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any, cast

from sqlalchemy import Row, Select, func, select, union
from sqlalchemy.orm import Session

from czrm.identity.models import (
    IdentityLink,
    LinkMethod,
    MergeJournal,
    ReviewItem,
    ReviewStatus,
    SourceRecord,
    SourceSystem,
)
from czrm.identity.splink_model import BLOCKING_KEYS, CROSSED_BLOCKING_KEYS
from czrm.kit.crypto import blind_index

LINKAGE_COLUMNS = (
    SourceRecord.id,
    SourceRecord.first_name,
    SourceRecord.first_name_key,
    SourceRecord.surname,
    SourceRecord.surname_key,
    SourceRecord.date_of_birth,
    SourceRecord.address_line_1,
    SourceRecord.postcode,
    SourceRecord.email,
    SourceRecord.phone,
    SourceRecord.ni_number,
)
CANDIDATES_PER_KEY = 50
# Encrypted columns are compared through their blind index.
INDEXED = {
    "date_of_birth": SourceRecord.date_of_birth_index,
    "ni_number": SourceRecord.ni_number_index,
}


def linkage_records(session: Session, jurisdiction_id: uuid.UUID) -> Sequence[Any]:
    stmt = select(*LINKAGE_COLUMNS).where(SourceRecord.jurisdiction_id == jurisdiction_id)
    return session.execute(stmt.order_by(SourceRecord.id)).all()


def current_links(session: Session, jurisdiction_id: uuid.UUID) -> dict[int, IdentityLink]:
    stmt = (
        select(IdentityLink)
        .join(SourceRecord, SourceRecord.id == IdentityLink.source_record_id)
        .where(SourceRecord.jurisdiction_id == jurisdiction_id)
    )
    return {link.source_record_id: link for link in session.scalars(stmt)}


def person_of_record(session: Session, system_id: uuid.UUID, external_id: str) -> uuid.UUID | None:
    stmt = (
        select(IdentityLink.person_id)
        .join(SourceRecord, SourceRecord.id == IdentityLink.source_record_id)
        .where(SourceRecord.system_id == system_id, SourceRecord.external_id == external_id)
    )
    return session.scalars(stmt).first()


def links_of(session: Session, person_ids: Iterable[uuid.UUID]) -> list[IdentityLink]:
    stmt = select(IdentityLink).where(IdentityLink.person_id.in_(list(person_ids)))
    return list(session.scalars(stmt.order_by(IdentityLink.source_record_id)))


def decided_pairs(
    session: Session, jurisdiction_id: uuid.UUID, status: ReviewStatus
) -> list[tuple[int, int]]:
    stmt = select(ReviewItem.record_a_id, ReviewItem.record_b_id).where(
        ReviewItem.jurisdiction_id == jurisdiction_id, ReviewItem.status == status
    )
    return [(a, b) for a, b in session.execute(stmt)]


def review_items_by_pair(
    session: Session, jurisdiction_id: uuid.UUID
) -> dict[tuple[int, int], ReviewItem]:
    stmt = select(ReviewItem).where(ReviewItem.jurisdiction_id == jurisdiction_id)
    return {(i.record_a_id, i.record_b_id): i for i in session.scalars(stmt)}


def clerical_anchors(session: Session, jurisdiction_id: uuid.UUID) -> dict[int, uuid.UUID]:
    stmt = (
        select(IdentityLink.source_record_id, IdentityLink.person_id)
        .join(SourceRecord, SourceRecord.id == IdentityLink.source_record_id)
        .where(
            SourceRecord.jurisdiction_id == jurisdiction_id,
            IdentityLink.method == LinkMethod.CLERICAL,
        )
    )
    return {r: p for r, p in session.execute(stmt)}


def candidate_statement(
    jurisdiction_id: uuid.UUID, row: dict[str, Any], exclude: int | None = None
) -> Select[Any] | None:
    """Records sharing any blocking key with ``row``: one indexed lookup per key."""
    parts = []
    keys = [tuple((c, c) for c in key) for key in BLOCKING_KEYS]
    for key in [*keys, *CROSSED_BLOCKING_KEYS]:
        values = [row.get(probe_column) for _column, probe_column in key]
        if any(v is None for v in values):
            continue
        conditions = [SourceRecord.jurisdiction_id == jurisdiction_id]
        for (column, _probe_column), value in zip(key, values, strict=True):
            if column in INDEXED:
                conditions.append(INDEXED[column] == blind_index(str(value), column))
            else:
                conditions.append(getattr(SourceRecord, column) == value)
        if exclude is not None:
            conditions.append(SourceRecord.id != exclude)
        parts.append(select(SourceRecord.id).where(*conditions).limit(CANDIDATES_PER_KEY))
    if not parts:
        return None
    ids = union(*[p.subquery().select() for p in parts]).subquery()
    stmt = (
        select(*LINKAGE_COLUMNS, IdentityLink.person_id)
        .join(ids, ids.c.id == SourceRecord.id)
        .join(IdentityLink, IdentityLink.source_record_id == SourceRecord.id)
    )
    return cast("Select[Any]", stmt)


def records_by_system(
    session: Session, person_ids: Iterable[uuid.UUID]
) -> list[tuple[SourceRecord, SourceSystem, IdentityLink]]:
    stmt = (
        select(SourceRecord, SourceSystem, IdentityLink)
        .join(IdentityLink, IdentityLink.source_record_id == SourceRecord.id)
        .join(SourceSystem, SourceSystem.id == SourceRecord.system_id)
        .where(IdentityLink.person_id.in_(list(person_ids)))
        .order_by(SourceSystem.code, SourceRecord.external_id)
    )
    return [(r, s, link) for r, s, link in session.execute(stmt)]


# What the 360° view shows of a linked record: read as plain rows, so only the
# row as received is decrypted (not the date of birth or NI number it never shows).
LINKED_RECORD_COLUMNS = (
    SourceRecord.id.label("record_id"),
    SourceRecord.external_id,
    SourceRecord.data,
    SourceSystem.code.label("system_code"),
    SourceSystem.data_category,
    SourceSystem.field_mapping,
    IdentityLink.probability,
    IdentityLink.method,
    IdentityLink.decided_by,
    IdentityLink.linked_at,
)


def records_page(
    session: Session, person_ids: Iterable[uuid.UUID], *, offset: int, limit: int
) -> tuple[int, list[Row[Any]]]:
    """A page of the persons' linked records in ``records_by_system`` order, as rows
    of ``LINKED_RECORD_COLUMNS``, and how many there are in all (one statement:
    the total rides on each row; only a page past the end counts apart)."""
    ids = list(person_ids)
    stmt = (
        select(*LINKED_RECORD_COLUMNS, func.count().over().label("total"))
        .join(IdentityLink, IdentityLink.source_record_id == SourceRecord.id)
        .join(SourceSystem, SourceSystem.id == SourceRecord.system_id)
        .where(IdentityLink.person_id.in_(ids))
        .order_by(SourceSystem.code, SourceRecord.external_id)
    )
    rows = list(session.execute(stmt.offset(offset).limit(limit)))
    if rows:
        return int(rows[0].total), rows
    if offset == 0:
        return 0, []
    total = session.scalar(
        select(func.count()).select_from(IdentityLink).where(IdentityLink.person_id.in_(ids))
    )
    return int(total or 0), []


def recent_journal(
    session: Session, jurisdiction_id: uuid.UUID, limit: int = 50
) -> list[MergeJournal]:
    """The newest merges and splits first (what a reviewer may want to undo)."""
    return list(
        session.scalars(
            select(MergeJournal)
            .where(MergeJournal.jurisdiction_id == jurisdiction_id)
            .order_by(MergeJournal.created_at.desc())
            .limit(limit)
        )
    )
