"""Staff REST API for privacy: the register of processing, the Art. 30 record,
a person's access log, and subject-rights requests. Parse → call the service → render."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from czrm.auth.deps import CurrentSubject
from czrm.auth.subject import Permission
from czrm.errors import NotFound
from czrm.kit.pagination import Paging
from czrm.kit.time import utc_now
from czrm.kit.web import DbSession
from czrm.people import repository as people_repository
from czrm.people.api import Purpose as PurposeParam
from czrm.privacy import repository
from czrm.privacy.access_log import log_access, staff_row
from czrm.privacy.export import as_html
from czrm.privacy.models import AccessAction, RequestStatus, SubjectRequest
from czrm.privacy.policy import grant_for
from czrm.privacy.requests import effective_due, subject_request_service
from czrm.privacy.schemas import (
    ExtendIn,
    PurposeCreate,
    PurposeRead,
    PurposeUpdate,
    RequestCreate,
    RequestPage,
    RequestRead,
    StatusIn,
)
from czrm.privacy.service import as_csv, purpose_service

router = APIRouter(prefix="/api/v1", tags=["privacy"])


@router.get("/privacy/purposes", response_model=list[PurposeRead])
def list_purposes(session: DbSession, subject: CurrentSubject) -> list[Any]:
    """The register of processing: every staff member may see why data may be read."""
    return sorted(purpose_service.list(session, subject), key=lambda p: p.code)


@router.post("/privacy/purposes", response_model=PurposeRead, status_code=201)
def create_purpose(body: PurposeCreate, session: DbSession, subject: CurrentSubject) -> Any:
    return purpose_service.create(session, subject, body)


@router.patch("/privacy/purposes/{code}", response_model=PurposeRead)
def update_purpose(
    code: str, body: PurposeUpdate, session: DbSession, subject: CurrentSubject
) -> Any:
    return purpose_service.update(session, subject, code, body)


@router.get("/privacy/record-of-processing", response_model=None)
def record_of_processing(
    session: DbSession,
    subject: CurrentSubject,
    format: Literal["json", "csv"] = "json",  # noqa: A002 - the public name of the option
) -> dict[str, Any] | Response:
    """The Art. 30 record of processing activities, as JSON or CSV."""
    if format == "csv":
        return Response(
            as_csv(purpose_service.record_of_processing(session, subject)),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="record-of-processing.csv"'},
        )
    return purpose_service.record_of_processing(session, subject)


@router.get("/people/{person_id}/access-log")
def person_access_log(
    person_id: uuid.UUID,
    session: DbSession,
    subject: CurrentSubject,
    paging: Paging,
    purpose: PurposeParam = None,
) -> dict[str, Any]:
    """Every read of the person's data, covert ones included, with whether the person
    can see each yet (data protection officer and admins)."""
    subject.require(Permission.PRIVACY_ADMIN)
    grant = grant_for(session, subject, purpose)
    person = people_repository.readable_person(session, subject, person_id)
    if person is None:
        raise NotFound("person", person_id)
    ids = [person.id, *people_repository.absorbed_into(session, person.id)]
    total, entries = repository.access_entries(
        session, ids, offset=paging.offset, limit=paging.page_size
    )
    log_access(
        session, grant, [person.id], action=AccessAction.VIEWED, what="access log", categories=[]
    )
    return {
        "total": total,
        "page": paging.page,
        "page_size": paging.page_size,
        "items": [staff_row(e) for e in entries],
    }


def _request(r: SubjectRequest) -> RequestRead:
    due = effective_due(r)
    return RequestRead(
        id=r.id,
        reference=r.reference,
        person_id=r.person_id,
        kind=r.kind,
        status=r.status,
        received_on=r.received_on,
        due_on=r.due_on,
        extended_due_on=r.extended_due_on,
        extension_reason=r.extension_reason,
        effective_due_on=due,
        overdue=r.status in (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS)
        and due < utc_now().date(),
        channel=r.channel,
        completed_at=r.completed_at,
        outcome=r.outcome,
    )


@router.get("/privacy/requests", response_model=RequestPage)
def list_requests(
    session: DbSession,
    subject: CurrentSubject,
    paging: Paging,
    status: RequestStatus | None = None,
) -> RequestPage:
    subject.require(Permission.PRIVACY_ADMIN)
    total, rows = repository.requests_page(
        session,
        subject.jurisdiction_id,
        status=status,
        offset=paging.offset,
        limit=paging.page_size,
    )
    return RequestPage(
        items=[_request(r) for r in rows], page=paging.page, page_size=paging.page_size, total=total
    )


@router.post("/privacy/requests", response_model=RequestRead, status_code=201)
def create_request(body: RequestCreate, session: DbSession, subject: CurrentSubject) -> RequestRead:
    request = subject_request_service.create(
        session,
        subject,
        person_id=body.person_id,
        kind=body.kind,
        received_on=body.received_on,
        channel=body.channel,
    )
    return _request(request)


@router.get("/privacy/requests/{request_id}", response_model=RequestRead)
def get_request(request_id: uuid.UUID, session: DbSession, subject: CurrentSubject) -> RequestRead:
    return _request(subject_request_service.get(session, subject, request_id))


@router.post("/privacy/requests/{request_id}/extend", response_model=RequestRead)
def extend_request(
    request_id: uuid.UUID, body: ExtendIn, session: DbSession, subject: CurrentSubject
) -> RequestRead:
    request = subject_request_service.get(session, subject, request_id)
    return _request(subject_request_service.extend(session, subject, request, body.reason))


@router.post("/privacy/requests/{request_id}/status", response_model=RequestRead)
def set_request_status(
    request_id: uuid.UUID, body: StatusIn, session: DbSession, subject: CurrentSubject
) -> RequestRead:
    request = subject_request_service.get(session, subject, request_id)
    return _request(
        subject_request_service.set_status(session, subject, request, body.status, body.outcome)
    )


@router.get("/privacy/requests/{request_id}/export", response_model=None)
def export_request(
    request_id: uuid.UUID,
    session: DbSession,
    subject: CurrentSubject,
    format: Annotated[Literal["json", "html"], Query()] = "json",  # noqa: A002
) -> dict[str, Any] | HTMLResponse:
    """Everything held about the person: JSON for machines, HTML for the person."""
    request = subject_request_service.get(session, subject, request_id)
    doc = subject_request_service.export(session, subject, request)
    if format == "html":
        return HTMLResponse(as_html(doc))
    return doc


@router.post("/privacy/requests/{request_id}/erase")
def erase_for_request(
    request_id: uuid.UUID, session: DbSession, subject: CurrentSubject
) -> dict[str, Any]:
    """Carry out an erasure request: every row about the person goes or is anonymised."""
    request = subject_request_service.get(session, subject, request_id)
    counts = subject_request_service.erase(session, subject, request)
    return {"request": _request(request).model_dump(mode="json"), "rows": counts}
