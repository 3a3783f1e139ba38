"""Every query over cases. Reads start from ``readable_statement`` so the
department scope is enforced in one place, in SQL."""

from __future__ import annotations

import math
import re
import typing
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    Table,
    and_,
    case,
    cast,
    func,
    insert,
    or_,
    select,
)
from sqlalchemy.orm import Session, make_transient_to_detached

from czrm.auth.subject import Subject
from czrm.cases.models import Case, CaseEvent, CaseStatus, Priority
from czrm.cases.workflow import CLOSED
from czrm.kit.time import utc_now

REFERENCE = re.compile(r"^SR-(\d{4})-(\d{1,12})$", re.IGNORECASE)


def parse_reference(ref: str) -> tuple[int | None, int] | None:
    """``SR-2026-000123`` → (2026, 123); a bare number → (None, n); else None."""
    text = ref.strip()
    match = REFERENCE.match(text)
    if match:
        return int(match.group(1)), int(match.group(2))
    if text.isdigit() and len(text) <= 12:
        return None, int(text)
    return None


# Intake's two rows, written by Core statements built once: every request opens a
# case, and the ORM's unit of work for two fresh rows cost ~0.9 ms of a POST's ~4.
_CASES = typing.cast(Table, Case.__table__)
_INSERT_CASE = insert(_CASES).returning(_CASES.c.id)
_INSERT_EVENT = insert(typing.cast(Table, CaseEvent.__table__))
_CASE_COLUMNS = tuple(column.key for column in _CASES.columns if column.key != "id")
_EVENT_COLUMNS = tuple(c.key for c in CaseEvent.__table__.columns if c.key != "id")


def insert_case(session: Session, **values: Any) -> Case:
    """A new case, written now and returned as a persistent object of ``session``.

    Every column is given (unnamed ones are NULL), so nothing of the object is
    left to load: it is the row as written."""
    session.flush()  # anything the case refers to, added earlier in this unit of work
    row = dict.fromkeys(_CASE_COLUMNS)
    row.update(values)
    case_id = session.connection().execute(_INSERT_CASE, row).scalar_one()
    written = Case(id=case_id, **row)
    make_transient_to_detached(written)
    session.add(written)
    return written


def insert_event(session: Session, **values: Any) -> None:
    """A timeline row no caller reads back as an object (see ``insert_case``)."""
    row = dict.fromkeys(_EVENT_COLUMNS)
    row.update(values)
    session.connection().execute(_INSERT_EVENT, row)


def readable_statement(subject: Subject) -> Select[Case]:
    stmt = select(Case).where(Case.jurisdiction_id == subject.jurisdiction_id)
    if not subject.sees_all_departments:
        stmt = stmt.where(Case.department_id.in_(subject.department_ids))
    return stmt


def get_readable(session: Session, subject: Subject, ref: str) -> Case | None:
    parsed = parse_reference(ref)
    if parsed is None:
        return None
    year, case_id = parsed
    case = session.scalars(readable_statement(subject).where(Case.id == case_id)).first()
    if case is None or (year is not None and case.opened_at.year != year):
        return None
    return case


PRIORITY_ORDER = {Priority.URGENT: 0, Priority.HIGH: 1, Priority.NORMAL: 2, Priority.LOW: 3}
SORTS: dict[str, Any] = {
    "opened_at": Case.opened_at,
    "updated_at": Case.updated_at,
    "due_at": Case.due_at,
    "id": Case.id,
    # Ascending priority puts the most urgent first.
    "priority": case({p.value: rank for p, rank in PRIORITY_ORDER.items()}, value=Case.priority),
}


@dataclass
class CaseFilters:
    status: list[CaseStatus] = field(default_factory=list)
    service_ids: list[uuid.UUID] = field(default_factory=list)
    department_id: uuid.UUID | None = None
    team_id: uuid.UUID | None = None
    assignee_id: uuid.UUID | None = None
    unassigned: bool = False
    overdue: bool | None = None
    is_open: bool | None = None
    opened_from: datetime | None = None
    opened_to: datetime | None = None
    text: str | None = None
    sort: str = "-opened_at"


def search_statement(subject: Subject, filters: CaseFilters) -> Select[Case]:
    stmt = readable_statement(subject)
    if filters.status:
        stmt = stmt.where(Case.status.in_(filters.status))
    if filters.service_ids:
        stmt = stmt.where(Case.service_id.in_(filters.service_ids))
    if filters.department_id:
        stmt = stmt.where(Case.department_id == filters.department_id)
    if filters.team_id:
        stmt = stmt.where(Case.team_id == filters.team_id)
    if filters.assignee_id:
        stmt = stmt.where(Case.assignee_id == filters.assignee_id)
    if filters.unassigned:
        stmt = stmt.where(Case.assignee_id.is_(None))
    if filters.is_open is not None:
        stmt = stmt.where(
            # closed_at is set exactly when the status closes (``_apply_status``):
            # saying so lets the open-cases index serve the queues.
            and_(Case.status.not_in(CLOSED), Case.closed_at.is_(None))
            if filters.is_open
            else Case.status.in_(CLOSED)
        )
    if filters.overdue is not None:
        overdue = (Case.due_at < utc_now()) & Case.closed_at.is_(None)
        stmt = stmt.where(overdue if filters.overdue else ~overdue | Case.due_at.is_(None))
    if filters.opened_from:
        stmt = stmt.where(Case.opened_at >= filters.opened_from)
    if filters.opened_to:
        stmt = stmt.where(Case.opened_at < filters.opened_to)
    if filters.text:
        parsed = parse_reference(filters.text)
        needle = f"%{filters.text.lower()}%"
        conditions: list[ColumnElement[bool]] = [
            func.lower(Case.description).like(needle),
            func.lower(Case.address).like(needle),
            func.lower(cast(Case.postcode, String)).like(needle),
        ]
        if parsed is not None:
            conditions.append(Case.id == parsed[1])
        stmt = stmt.where(or_(*conditions))
    descending = filters.sort.startswith("-")
    column = SORTS[filters.sort.lstrip("-")]
    order = column.desc() if descending else column.asc()
    return stmt.order_by(order.nulls_last(), Case.id.desc() if descending else Case.id.asc())


def count(session: Session, stmt: Select[Case]) -> int:
    return int(
        session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    )


def timeline(session: Session, case_id: int, *, public_only: bool = False) -> list[CaseEvent]:
    stmt = select(CaseEvent).where(CaseEvent.case_id == case_id)
    if public_only:
        stmt = stmt.where(CaseEvent.public.is_(True))
    return list(session.scalars(stmt.order_by(CaseEvent.occurred_at, CaseEvent.id)))


def due_for_breach(session: Session, now: datetime, limit: int = 500) -> list[Case]:
    """Open, running-clock cases past due that have not been marked yet."""
    stmt = (
        select(Case)
        .where(
            Case.closed_at.is_(None),
            Case.breached_at.is_(None),
            Case.paused_since.is_(None),
            Case.due_at < now,
        )
        .order_by(Case.due_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.scalars(stmt))


def nearby_open(
    session: Session,
    jurisdiction_id: uuid.UUID,
    service_id: uuid.UUID,
    *,
    lat: float | None,
    long: float | None,
    postcode: str | None = None,
    radius_m: float = 200.0,
    limit: int = 5,
) -> list[Case]:
    """Open cases of one service near a point (or at one postcode), nearest first:
    what a citizen is offered before reporting the same problem again."""
    stmt = select(Case).where(
        Case.jurisdiction_id == jurisdiction_id,
        Case.service_id == service_id,
        Case.status.not_in(CLOSED),
    )
    if lat is not None and long is not None:
        # A box of ±radius around the point, then exact distance in Python.
        dlat = radius_m / 111_320.0
        dlong = radius_m / (111_320.0 * max(math.cos(math.radians(lat)), 0.01))
        stmt = stmt.where(
            Case.lat.between(lat - dlat, lat + dlat), Case.long.between(long - dlong, long + dlong)
        )
        found = list(session.scalars(stmt.order_by(Case.opened_at.desc()).limit(200)))
        near = [(distance_m(lat, long, c.lat, c.long), c) for c in found]
        return [c for d, c in sorted(near, key=lambda pair: pair[0]) if d <= radius_m][:limit]
    if postcode:
        stmt = stmt.where(Case.postcode == postcode)
        return list(session.scalars(stmt.order_by(Case.opened_at.desc()).limit(limit)))
    return []


def distance_m(lat: float, long: float, other_lat: float | None, other_long: float | None) -> float:
    """Equirectangular distance in metres: exact enough across a town."""
    if other_lat is None or other_long is None:
        return math.inf
    x = math.radians(other_long - long) * math.cos(math.radians((lat + other_lat) / 2))
    y = math.radians(other_lat - lat)
    return 6_371_000.0 * math.hypot(x, y)


def by_requester(
    session: Session, jurisdiction_id: uuid.UUID, person_ids: list[uuid.UUID], limit: int = 100
) -> list[Case]:
    """A citizen's own requests, newest first (the portal's "my requests")."""
    return list(
        session.scalars(
            select(Case)
            .where(Case.jurisdiction_id == jurisdiction_id, Case.requester_id.in_(person_ids))
            .order_by(Case.opened_at.desc(), Case.id.desc())
            .limit(limit)
        )
    )


def get_public(session: Session, jurisdiction_id: uuid.UUID, ref: str) -> Case | None:
    """A council's case by its reference, with no staff subject: as anyone holding
    the reference may track it, or mail citing it arrives; callers decide what
    the holder may see or do."""
    parsed = parse_reference(ref)
    if parsed is None:
        return None
    year, case_id = parsed
    case = session.get(Case, case_id)
    if case is None or case.jurisdiction_id != jurisdiction_id:
        return None
    if year is not None and case.opened_at.year != year:
        return None
    return case
