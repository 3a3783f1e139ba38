"""Staff REST API: source systems, bulk intake, the review queue, merges and splits."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, status

from czrm.auth.deps import CurrentSubject
from czrm.auth.subject import Permission
from czrm.identity import intake
from czrm.identity.merges import merge_service
from czrm.identity.models import MergeJournal, ReviewItem, ReviewStatus
from czrm.identity.review import review_service
from czrm.identity.schemas import (
    DecisionIn,
    ImportResult,
    JournalRead,
    MergeIn,
    ReviewPage,
    ReviewRead,
    SourceSystemCreate,
    SourceSystemRead,
    SplitIn,
)
from czrm.identity.service import source_system_service
from czrm.kit.pagination import Paging
from czrm.kit.web import DbSession

router = APIRouter(tags=["identity"])
MAX_BULK = 5000


def _journal(entry: MergeJournal) -> JournalRead:
    return JournalRead(
        id=entry.id,
        kind=entry.kind,
        from_person_id=entry.from_person_id,
        to_person_id=entry.to_person_id,
        records=len(entry.moved_links),
        actor=entry.actor,
        reason=entry.reason,
        created_at=entry.created_at,
        undone_at=entry.undone_at,
    )


def _review(item: ReviewItem, left: Any = None, right: Any = None) -> ReviewRead:
    return ReviewRead.model_validate(
        {
            **{k: getattr(item, k) for k in ReviewRead.model_fields if hasattr(item, k)},
            "left": left,
            "right": right,
        }
    )


@router.get("/api/v1/source-systems", response_model=list[SourceSystemRead])
def list_systems(session: DbSession, subject: CurrentSubject) -> list[SourceSystemRead]:
    subject.require(Permission.SERVICES_ADMIN)
    return [
        SourceSystemRead.model_validate(s, from_attributes=True)
        for s in source_system_service.list_systems(session, subject.jurisdiction_id)
    ]


@router.post(
    "/api/v1/source-systems", response_model=SourceSystemRead, status_code=status.HTTP_201_CREATED
)
def register_system(
    body: SourceSystemCreate, session: DbSession, subject: CurrentSubject
) -> SourceSystemRead:
    subject.require(Permission.SERVICES_ADMIN)
    system = source_system_service.register(
        session,
        subject.actor,
        subject.jurisdiction_id,
        code=body.code,
        name=body.name,
        department_id=body.department_id,
        field_mapping=body.field_mapping,
        data_category=body.data_category,
    )
    return SourceSystemRead.model_validate(system, from_attributes=True)


@router.post("/api/v1/source-systems/{code}/records", response_model=ImportResult)
def import_records(
    code: str,
    rows: Annotated[list[dict[str, Any]], Body(max_length=MAX_BULK)],
    session: DbSession,
    subject: CurrentSubject,
) -> ImportResult:
    """Rows as the system sends them; line numbers in the report count from 1.
    With a trained model each new record is matched and linked at once."""
    subject.require(Permission.SERVICES_ADMIN)
    system = source_system_service.get(session, subject.jurisdiction_id, code)
    result = intake.import_and_match(
        session, subject.actor, system, [(i, row) for i, row in enumerate(rows, start=1)]
    )
    return ImportResult.model_validate(result)


@router.get("/api/v1/identity/reviews", response_model=ReviewPage)
def review_queue(
    session: DbSession,
    subject: CurrentSubject,
    paging: Paging,
    status: ReviewStatus = ReviewStatus.PENDING,
    purpose: Annotated[str | None, Query(max_length=64)] = None,
) -> ReviewPage:
    """Pairs side by side; each person shown is recorded in their access log
    (purpose ``identity_resolution`` unless another is named)."""
    total, pairs = review_service.queue(
        session,
        subject,
        status=status,
        offset=paging.offset,
        limit=paging.page_size,
        purpose=purpose,
    )
    return ReviewPage(total=total, items=[_review(p.item, p.left, p.right) for p in pairs])


@router.post("/api/v1/identity/reviews/{item_id}/accept", response_model=ReviewRead)
def accept_review(
    item_id: int, session: DbSession, subject: CurrentSubject, body: DecisionIn | None = None
) -> ReviewRead:
    """The two records are one person: their persons merge (journalled, undoable)."""
    note = body.note if body else None
    return _review(review_service.accept(session, subject, item_id, note=note))


@router.post("/api/v1/identity/reviews/{item_id}/reject", response_model=ReviewRead)
def reject_review(
    item_id: int, session: DbSession, subject: CurrentSubject, body: DecisionIn | None = None
) -> ReviewRead:
    """Two different people: a cannot-link every later run respects."""
    note = body.note if body else None
    return _review(review_service.reject(session, subject, item_id, note=note))


@router.post("/api/v1/identity/reviews/{item_id}/defer", response_model=ReviewRead)
def defer_review(
    item_id: int, session: DbSession, subject: CurrentSubject, body: DecisionIn | None = None
) -> ReviewRead:
    note = body.note if body else None
    return _review(review_service.defer(session, subject, item_id, note=note))


@router.post("/api/v1/identity/merges", response_model=JournalRead, status_code=201)
def merge_persons(body: MergeIn, session: DbSession, subject: CurrentSubject) -> JournalRead:
    subject.require(Permission.CASES_UPDATE)
    entry = merge_service.merge(
        session,
        subject.actor,
        subject.jurisdiction_id,
        survivor_id=body.survivor_id,
        absorbed_id=body.absorbed_id,
        reason=body.reason,
    )
    return _journal(entry)


@router.post("/api/v1/identity/splits", response_model=JournalRead, status_code=201)
def split_person(body: SplitIn, session: DbSession, subject: CurrentSubject) -> JournalRead:
    subject.require(Permission.CASES_UPDATE)
    entry = merge_service.split(
        session,
        subject.actor,
        subject.jurisdiction_id,
        person_id=body.person_id,
        record_ids=body.record_ids,
        reason=body.reason,
    )
    return _journal(entry)


@router.post("/api/v1/identity/journal/{entry_id}/undo", response_model=JournalRead)
def undo_change(entry_id: uuid.UUID, session: DbSession, subject: CurrentSubject) -> JournalRead:
    subject.require(Permission.CASES_UPDATE)
    return _journal(merge_service.undo(session, subject.actor, subject.jurisdiction_id, entry_id))
