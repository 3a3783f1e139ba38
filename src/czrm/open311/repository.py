"""Every query the Open311 façade makes. Public reads are scoped to one
jurisdiction and never touch the people tables."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, bindparam, func, select
from sqlalchemy.orm import Session

from czrm.cases.models import Case, CaseEvent, EventType
from czrm.cases.repository import parse_reference
from czrm.cases.workflow import CLOSED
from czrm.catalogue.service import catalogue_service
from czrm.kit.sql import in_ids
from czrm.open311.formats import bad_request, not_found
from czrm.org import service as org_service
from czrm.org.service import JurisdictionInfo

UPDATE_TYPES = (EventType.STATUS_CHANGED, EventType.PUBLIC_UPDATE)


def jurisdiction(session: Session, slug: str | None) -> JurisdictionInfo:
    """The tenant named by ``jurisdiction_id``. A server with one jurisdiction
    accepts any value (clients send what they were configured with)."""
    known = org_service.jurisdictions(session)
    if len(known) == 1:
        return known[0]
    if not slug:
        if not known:
            raise not_found("no jurisdiction is configured")
        raise bad_request("jurisdiction_id is required on this server")
    found = next((j for j in known if j.slug == slug), None)
    if found is None:
        raise not_found(f"jurisdiction {slug[:64]!r} not found")
    return found


def case_by_token(session: Session, jurisdiction_id: uuid.UUID, token: str) -> Case | None:
    return session.scalars(
        select(Case).where(Case.jurisdiction_id == jurisdiction_id, Case.open311_token == token)
    ).first()


@dataclass
class RequestFilters:
    references: list[tuple[int | None, int]] | None = None
    service_codes: list[str] = field(default_factory=list)
    service_ids: list[uuid.UUID] = field(default_factory=list)
    statuses: set[str] = field(default_factory=set)  # "open" / "closed"
    start: datetime | None = None
    end: datetime | None = None
    updated_after: datetime | None = None
    updated_before: datetime | None = None


# What a public read shows of a case; read as plain rows, never ORM objects,
# and never a column about the requester.
PUBLIC_COLUMNS = (
    Case.id,
    Case.opened_at,
    Case.updated_at,
    Case.due_at,
    Case.status,
    Case.sub_status,
    Case.description,
    Case.address,
    Case.address_id,
    Case.postcode,
    Case.lat,
    Case.long,
    Case.media_urls,
    Case.service_id,
    Case.department_id,
)


def public_columns(extensions: bool) -> tuple[Any, ...]:
    return (*PUBLIC_COLUMNS, Case.attributes) if extensions else PUBLIC_COLUMNS


def _latest_note(case_id: Any) -> Any:
    """The note given with the case's latest public status change that had one."""
    return (
        select(CaseEvent.body)
        .where(
            CaseEvent.case_id == case_id,
            CaseEvent.type == EventType.STATUS_CHANGED,
            CaseEvent.public.is_(True),
            CaseEvent.body.is_not(None),
            CaseEvent.body != "",
        )
        .order_by(CaseEvent.id.desc())
        .limit(1)
        .scalar_subquery()
    )


# Built once: the hottest public read is one statement (the case and its latest
# status note), with no statement construction per request.
_PUBLIC_BY_ID = {
    extensions: select(
        *public_columns(extensions), _latest_note(Case.id).label("status_notes")
    ).where(Case.id == bindparam("case_id"), Case.jurisdiction_id == bindparam("jurisdiction_id"))
    for extensions in (False, True)
}


def public_request(
    session: Session, jurisdiction_id: uuid.UUID, ref: str, *, extensions: bool = False
) -> Row[*tuple[Any, ...]] | None:
    """The case as a row of ``public_columns`` plus ``status_notes``."""
    parsed = parse_reference(ref)
    if parsed is None:
        return None
    year, case_id = parsed
    # On the session's connection: plain columns need none of the ORM's result
    # handling, which cost more than the statement itself. Flushing first keeps
    # autoflush's promise (a no-op for a read-only session).
    session.flush()
    row = (
        session.connection()
        .execute(
            _PUBLIC_BY_ID[extensions], {"case_id": case_id, "jurisdiction_id": jurisdiction_id}
        )
        .first()
    )
    if row is None or (year is not None and row.opened_at.year != year):
        return None
    return row


def requests_statement(
    jurisdiction_id: uuid.UUID, filters: RequestFilters, columns: tuple[Any, ...] = PUBLIC_COLUMNS
) -> Select[Any]:
    stmt = select(*columns).where(Case.jurisdiction_id == jurisdiction_id)
    if filters.references is not None:
        # A list of ids overrides every other filter (GeoReport v2).
        ids = [case_id for _year, case_id in filters.references]
        return stmt.where(Case.id.in_(ids)).order_by(Case.opened_at.desc(), Case.id.desc())
    if filters.service_codes:
        # Ids, not a sub-select, so the planner walks the (service, opened) index.
        stmt = stmt.where(Case.service_id.in_(filters.service_ids or []))
    if filters.statuses == {"open"}:
        stmt = stmt.where(Case.status.not_in(CLOSED))
    elif filters.statuses == {"closed"}:
        stmt = stmt.where(Case.status.in_(CLOSED))
    if filters.start is not None:
        stmt = stmt.where(Case.opened_at >= filters.start)
    if filters.end is not None:
        stmt = stmt.where(Case.opened_at <= filters.end)
    if filters.updated_after is not None:
        stmt = stmt.where(Case.updated_at >= filters.updated_after)
    if filters.updated_before is not None:
        stmt = stmt.where(Case.updated_at <= filters.updated_before)
    return stmt.order_by(Case.opened_at.desc(), Case.id.desc())


def find_requests(
    session: Session,
    jurisdiction_id: uuid.UUID,
    filters: RequestFilters,
    *,
    offset: int,
    limit: int,
    extensions: bool = False,
) -> list[Row[Any]]:
    """Rows of ``public_columns``, newest first."""
    if filters.service_codes:
        directory = catalogue_service.directory(
            session, jurisdiction_id, codes=filters.service_codes
        )
        codes = set(filters.service_codes)
        filters.service_ids = [s.id for s in directory.services.values() if s.code in codes]
    stmt = requests_statement(jurisdiction_id, filters, public_columns(extensions))
    # The notes come apart (``status_notes``): as a sub-select per row of the
    # page, PostgreSQL served fewer lists a second under load.
    session.flush()  # as autoflush would, before a read on the bare connection
    cases = list(session.connection().execute(stmt.offset(offset).limit(limit)))
    if filters.references is not None:
        asked = set(filters.references)
        cases = [c for c in cases if (None, c.id) in asked or (c.opened_at.year, c.id) in asked]
    return cases


_LATEST_NOTES = select(CaseEvent.case_id, CaseEvent.body).where(
    CaseEvent.id.in_(
        select(func.max(CaseEvent.id))
        .where(
            in_ids(CaseEvent.case_id, "case_ids"),
            CaseEvent.type == EventType.STATUS_CHANGED,
            CaseEvent.public.is_(True),
            CaseEvent.body.is_not(None),
            CaseEvent.body != "",
        )
        .group_by(CaseEvent.case_id)
    )
)


def status_notes(session: Session, case_ids: list[int]) -> dict[int, str]:
    """The note given with each case's latest status change that had one."""
    if not case_ids:
        return {}
    rows = session.execute(_LATEST_NOTES, {"case_ids": case_ids})
    return {row.case_id: row.body for row in rows}


def public_events(session: Session, case_ids: list[int]) -> dict[int, list[CaseEvent]]:
    """Each case's public timeline, oldest first."""
    by_case: dict[int, list[CaseEvent]] = defaultdict(list)
    if not case_ids:
        return by_case
    stmt = (
        select(CaseEvent)
        .where(CaseEvent.case_id.in_(case_ids), CaseEvent.public.is_(True))
        .order_by(CaseEvent.case_id, CaseEvent.occurred_at, CaseEvent.id)
    )
    for event in session.scalars(stmt):
        by_case[event.case_id].append(event)
    return by_case


def updates_between(
    session: Session,
    jurisdiction_id: uuid.UUID,
    start: datetime,
    end: datetime,
    *,
    offset: int,
    limit: int,
) -> list[tuple[CaseEvent, Case]]:
    stmt = (
        select(CaseEvent, Case)
        .join(Case, Case.id == CaseEvent.case_id)
        .where(
            Case.jurisdiction_id == jurisdiction_id,
            CaseEvent.public.is_(True),
            CaseEvent.type.in_(UPDATE_TYPES),
            CaseEvent.occurred_at >= start,
            CaseEvent.occurred_at <= end,
        )
        .order_by(CaseEvent.occurred_at, CaseEvent.id)
        .offset(offset)
        .limit(limit)
    )
    return [(row[0], row[1]) for row in session.execute(stmt)]


def status_history(session: Session, case_ids: set[int]) -> dict[int, list[CaseEvent]]:
    """Events that set a status, per case, oldest first."""
    by_case: dict[int, list[CaseEvent]] = defaultdict(list)
    if not case_ids:
        return by_case
    stmt = (
        select(CaseEvent)
        .where(CaseEvent.case_id.in_(case_ids), CaseEvent.to_status.is_not(None))
        .order_by(CaseEvent.case_id, CaseEvent.occurred_at, CaseEvent.id)
    )
    for event in session.scalars(stmt):
        by_case[event.case_id].append(event)
    return by_case
