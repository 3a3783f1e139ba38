"""Staff REST API for cases. Parse → call the service → render."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session

from czrm.auth.deps import CurrentSubject
from czrm.auth.subject import Permission, Subject
from czrm.cases import repository, workflow
from czrm.cases.models import Case, CaseEvent, CaseStatus, EventType, format_reference
from czrm.cases.repository import CaseFilters
from czrm.cases.schemas import (
    AssignIn,
    CaseCreate,
    CasePage,
    CaseRead,
    CaseSummary,
    EventRead,
    NoteIn,
    TransitionIn,
)
from czrm.cases.service import CaseIntake, Location, case_service
from czrm.catalogue.service import catalogue_service
from czrm.communications.service import communication_service
from czrm.errors import FieldError, ValidationFailed
from czrm.identity.intake import resolve_requester
from czrm.interactions import repository as interaction_repository
from czrm.kit.pagination import Paging
from czrm.kit.time import utc_now
from czrm.kit.web import DbSession
from czrm.org.service import get_department
from czrm.people import service as people
from czrm.people.api import PURPOSE_HELP
from czrm.people.models import Party
from czrm.people.view import requester_for_case

router = APIRouter(prefix="/api/v1/cases", tags=["cases"])


def _service_codes(session: Session, cases: list[Case]) -> dict[uuid.UUID, str]:
    if not cases:
        return {}
    directory = catalogue_service.directory(
        session, cases[0].jurisdiction_id, covering={c.service_id for c in cases}
    )
    return {service_id: info.code for service_id, info in directory.services.items()}


def _summary(case: Case, service_code: str) -> dict[str, Any]:
    now = utc_now()
    return {
        "id": case.id,
        "reference": case.reference,
        "service_code": service_code,
        "status": case.status,
        "open311_status": workflow.open311_status(case.status),
        "priority": case.priority,
        "channel": case.channel,
        "department_id": case.department_id,
        "team_id": case.team_id,
        "assignee_id": case.assignee_id,
        "opened_at": case.opened_at,
        "updated_at": case.updated_at,
        "due_at": case.due_at,
        "overdue": bool(case.due_at and case.closed_at is None and case.due_at < now),
        "address": case.address,
        "lat": case.lat,
        "long": case.long,
    }


def _event(event: CaseEvent) -> EventRead:
    return EventRead(
        id=event.id,
        type=event.type,
        occurred_at=event.occurred_at,
        actor=event.actor_label,
        public=event.public,
        from_status=event.from_status,
        to_status=event.to_status,
        body=event.body,
        data=event.data,
    )


def _read(session: Session, subject: Subject, case: Case, purpose: str | None = None) -> CaseRead:
    code = _service_codes(session, [case])[case.service_id]
    duplicate_of = None
    if case.duplicate_of_id:
        original = session.get(Case, case.duplicate_of_id)
        if original is not None:
            duplicate_of = format_reference(original.opened_at.year, original.id)
    return CaseRead(
        **_summary(case, code),
        description=case.description,
        sub_status=case.sub_status,
        attributes=case.attributes,
        media_urls=case.media_urls,
        postcode=case.postcode,
        requester_id=case.requester_id,
        requester=requester_for_case(
            session, subject, case.requester_id, purpose=purpose, what=f"case {case.reference}"
        ),
        requester_pending=case.requester_contact is not None,
        duplicate_of=duplicate_of,
        closed_at=case.closed_at,
        breached_at=case.breached_at,
        paused_since=case.paused_since,
        escalated_to_id=case.escalated_to_id,
        allowed_transitions=sorted(workflow.allowed_from(case.status)),
        timeline=_timeline(session, case),
    )


def _timeline(session: Session, case: Case) -> list[EventRead]:
    """The case's events with its interactions and messages, in time order."""
    entries = [_event(e) for e in repository.timeline(session, case.id)]
    for contact in interaction_repository.for_case(session, case.id):
        entries.append(
            EventRead(
                id=contact.id,
                type=EventType.INTERACTION,
                occurred_at=contact.occurred_at,
                actor="",
                public=False,
                from_status=None,
                to_status=None,
                body=contact.subject or contact.summary[:200],
                data={
                    "interaction_id": contact.id,
                    "channel": contact.channel,
                    "direction": contact.direction,
                    "outcome": contact.outcome,
                },
            )
        )
    for entry in communication_service.timeline_entries(session, case.id):
        entries.append(
            EventRead(
                type=EventType.MESSAGE,
                actor="czrm",
                public=False,
                from_status=None,
                to_status=None,
                **entry,
            )
        )
    return sorted(entries, key=lambda e: e.occurred_at)


def _requester(session: Session, subject: Subject, body: CaseCreate) -> Party | None:
    if body.requester is None:
        return None
    req = body.requester
    if req.person_id is not None:
        return people.get_party(session, subject.jurisdiction_id, req.person_id)
    details = people.RequesterDetails(
        given_name=req.given_name,
        family_name=req.family_name,
        email=req.email,
        phone=req.phone,
        language=req.language,
    )
    if details.is_empty():
        raise ValidationFailed([FieldError("requester", "give a person_id or contact details")])
    return resolve_requester(session, subject.actor, subject.jurisdiction_id, details)


@router.post("", status_code=201, response_model=CaseRead)
def create_case(body: CaseCreate, session: DbSession, subject: CurrentSubject) -> CaseRead:
    """Raise a case on a citizen's behalf (phone, walk-in, letter …)."""
    subject.require(Permission.CASES_CREATE)
    service = catalogue_service.get_by_code(session, subject.jurisdiction_id, body.service_code)
    intake = CaseIntake(
        service=service,
        channel=body.channel,
        description=body.description,
        attributes=dict(body.attributes),
        location=Location(**body.location.model_dump()),
        requester=_requester(session, subject, body),
        priority=body.priority,
    )
    case = case_service.open_for(session, subject, intake)
    return _read(session, subject, case)


SortKey = Literal[
    "opened_at",
    "-opened_at",
    "updated_at",
    "-updated_at",
    "due_at",
    "-due_at",
    "priority",
    "-priority",
    "id",
    "-id",
]


@router.get("", response_model=CasePage)
def list_cases(
    session: DbSession,
    subject: CurrentSubject,
    paging: Paging,
    status: Annotated[list[CaseStatus] | None, Query()] = None,
    service: Annotated[list[str] | None, Query(description="service codes")] = None,
    department: str | None = None,
    team_id: uuid.UUID | None = None,
    assignee: Annotated[str | None, Query(description="a staff id, 'me' or 'none'")] = None,
    overdue: bool | None = None,
    open: bool | None = None,  # noqa: A002 - the public name of the filter
    opened_from: datetime | None = None,
    opened_to: datetime | None = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    sort: SortKey = "-opened_at",
) -> CasePage:
    subject.require(Permission.CASES_READ)
    filters = CaseFilters(
        status=list(status or []),
        team_id=team_id,
        overdue=overdue,
        is_open=open,
        opened_from=opened_from,
        opened_to=opened_to,
        text=q,
        sort=sort,
    )
    for stamp, name in ((opened_from, "opened_from"), (opened_to, "opened_to")):
        if stamp is not None and stamp.tzinfo is None:
            raise ValidationFailed([FieldError(name, "needs a time zone (e.g. Z or +01:00)")])
    if service:
        filters.service_ids = [
            catalogue_service.get_by_code(session, subject.jurisdiction_id, code).id
            for code in service
        ]
    if department:
        filters.department_id = get_department(session, subject.jurisdiction_id, department).id
    if assignee == "me":
        filters.assignee_id = subject.staff_id
    elif assignee == "none":
        filters.unassigned = True
    elif assignee:
        try:
            filters.assignee_id = uuid.UUID(assignee)
        except ValueError as exc:
            raise ValidationFailed(
                [FieldError("assignee", "must be a staff id, 'me' or 'none'")]
            ) from exc
    stmt = repository.search_statement(subject, filters)
    total = repository.count(session, stmt)
    cases = list(session.scalars(stmt.offset(paging.offset).limit(paging.page_size)))
    codes = _service_codes(session, cases)
    return CasePage(
        items=[CaseSummary(**_summary(c, codes[c.service_id])) for c in cases],
        page=paging.page,
        page_size=paging.page_size,
        total=total,
    )


@router.get("/{ref}", response_model=CaseRead)
def get_case(
    ref: str,
    session: DbSession,
    subject: CurrentSubject,
    purpose: Annotated[str | None, Query(max_length=64, description=PURPOSE_HELP)] = None,
) -> CaseRead:
    """The case with its timeline; the requester's details as the purpose allows."""
    return _read(session, subject, case_service.get(session, subject, ref), purpose)


@router.post("/{ref}/transition", response_model=CaseRead)
def transition_case(
    ref: str, body: TransitionIn, session: DbSession, subject: CurrentSubject
) -> CaseRead:
    case = case_service.get(session, subject, ref)
    case_service.transition(
        session,
        subject,
        case,
        body.status,
        sub_status=body.sub_status,
        public_note=body.public_note,
        internal_note=body.internal_note,
        duplicate_of=body.duplicate_of,
    )
    return _read(session, subject, case)


@router.post("/{ref}/assign", response_model=CaseRead)
def assign_case(ref: str, body: AssignIn, session: DbSession, subject: CurrentSubject) -> CaseRead:
    case = case_service.get(session, subject, ref)
    case_service.assign(
        session,
        subject,
        case,
        team_id=body.team_id,
        assignee_id=body.assignee_id,
        unassign=body.unassign,
    )
    return _read(session, subject, case)


@router.post("/{ref}/updates", status_code=201, response_model=EventRead)
def public_update(ref: str, body: NoteIn, session: DbSession, subject: CurrentSubject) -> EventRead:
    """An update the citizen sees on the public timeline."""
    case = case_service.get(session, subject, ref)
    return _event(case_service.add_public_update(session, subject, case, body.body))


@router.post("/{ref}/notes", status_code=201, response_model=EventRead)
def internal_note(ref: str, body: NoteIn, session: DbSession, subject: CurrentSubject) -> EventRead:
    """A note for staff only; never shown to the citizen."""
    case = case_service.get(session, subject, ref)
    return _event(case_service.add_internal_note(session, subject, case, body.body))
