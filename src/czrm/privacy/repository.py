"""Every query over purposes, the access log and subject-rights requests."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from czrm.org.models import Department
from czrm.privacy.models import AccessLogEntry, Purpose, SubjectRequest
from czrm.privacy.register import DEFAULT_REGISTER


def install_default_register(session: Session, jurisdiction_id: uuid.UUID) -> list[Purpose]:
    rows = [
        Purpose(
            jurisdiction_id=jurisdiction_id,
            code=spec.code,
            name=spec.name,
            description=spec.description,
            lawful_basis=spec.lawful_basis,
            special_condition=spec.special_condition,
            legislation=spec.legislation,
            categories=[c.value for c in spec.categories],
            departments=list(spec.departments),
            roles=list(spec.roles),
            retention=spec.retention,
            retention_days=spec.retention_days,
            covert=spec.covert,
            disclosure_delay_days=spec.disclosure_delay_days,
        )
        for spec in DEFAULT_REGISTER
    ]
    session.add_all(rows)
    session.flush()
    return rows


def purpose_rows(session: Session, jurisdiction_id: uuid.UUID) -> Sequence[Purpose]:
    stmt = select(Purpose).where(Purpose.jurisdiction_id == jurisdiction_id)
    return session.scalars(stmt.order_by(Purpose.code)).all()


def purposes(session: Session, jurisdiction_id: uuid.UUID) -> dict[str, Purpose]:
    """The jurisdiction's register by code; the default register is installed on first use."""
    rows = purpose_rows(session, jurisdiction_id)
    if not rows:
        from czrm.audit.service import record
        from czrm.auth.subject import SYSTEM

        try:
            with session.begin_nested():
                rows = install_default_register(session, jurisdiction_id)
        except IntegrityError:  # another request installed it first
            return {p.code: p for p in purpose_rows(session, jurisdiction_id)}
        record(
            session,
            SYSTEM,
            action="purpose_register_installed",
            entity_type="jurisdiction",
            entity_id=jurisdiction_id,
            jurisdiction_id=jurisdiction_id,
            details={"purposes": [p.code for p in rows]},
        )
    return {p.code: p for p in rows}


def department_codes(session: Session, ids: Iterable[uuid.UUID]) -> tuple[str, ...]:
    wanted = list(ids)
    if not wanted:
        return ()
    codes = session.scalars(select(Department.code).where(Department.id.in_(wanted)))
    return tuple(sorted(c.upper() for c in codes))


def department_names(session: Session, jurisdiction_id: uuid.UUID) -> dict[str, str]:
    stmt = select(Department.code, Department.name).where(
        Department.jurisdiction_id == jurisdiction_id
    )
    return {code.upper(): name for code, name in session.execute(stmt)}


def access_entries(
    session: Session,
    person_ids: list[uuid.UUID],
    *,
    visible_at: datetime | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> tuple[int, Sequence[AccessLogEntry]]:
    """Newest first; with ``visible_at``, only entries already disclosed to the person then."""
    stmt = select(AccessLogEntry).where(AccessLogEntry.person_id.in_(person_ids))
    if visible_at is not None:
        stmt = stmt.where(
            or_(
                AccessLogEntry.disclose_after.is_(None), AccessLogEntry.disclose_after <= visible_at
            )
        )
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    stmt = stmt.order_by(AccessLogEntry.occurred_at.desc(), AccessLogEntry.id.desc()).offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    return total, session.scalars(stmt).all()


def request_by_id(
    session: Session, jurisdiction_id: uuid.UUID, request_id: uuid.UUID
) -> SubjectRequest | None:
    return session.scalars(
        select(SubjectRequest).where(
            SubjectRequest.id == request_id, SubjectRequest.jurisdiction_id == jurisdiction_id
        )
    ).first()


def requests_page(
    session: Session,
    jurisdiction_id: uuid.UUID,
    *,
    status: str | None,
    offset: int,
    limit: int,
) -> tuple[int, Sequence[SubjectRequest]]:
    stmt = select(SubjectRequest).where(SubjectRequest.jurisdiction_id == jurisdiction_id)
    if status:
        stmt = stmt.where(SubjectRequest.status == status)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.order_by(SubjectRequest.due_on, SubjectRequest.reference).offset(offset).limit(limit)
    ).all()
    return total, rows


def next_request_number(session: Session, jurisdiction_id: uuid.UUID, year: int) -> int:
    prefix = f"DSR-{year}-"
    count = session.scalar(
        select(func.count())
        .select_from(SubjectRequest)
        .where(
            SubjectRequest.jurisdiction_id == jurisdiction_id,
            SubjectRequest.reference.like(f"{prefix}%"),
        )
    )
    return int(count or 0) + 1
