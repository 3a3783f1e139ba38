"""The register of data subject requests, and carrying out access and erasure.

A request is due one calendar month after receipt (the corresponding day of
the next month, or its last day when there is none); it can be extended once,
by two further months, with a recorded reason, while it is open.
"""

from __future__ import annotations

import calendar
import uuid
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from czrm.audit.service import record
from czrm.auth.subject import Permission, Subject
from czrm.errors import Conflict, FieldError, NotFound, ValidationFailed
from czrm.kit.time import utc_now
from czrm.people import repository as people_repository
from czrm.privacy import repository
from czrm.privacy.access_log import log_access
from czrm.privacy.categories import DataCategory
from czrm.privacy.erasure import erase_person
from czrm.privacy.export import subject_access
from czrm.privacy.models import AccessAction, RequestKind, RequestStatus, SubjectRequest
from czrm.privacy.policy import grant_for

OPEN = (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS)
EXPORTABLE = (RequestKind.ACCESS, RequestKind.PORTABILITY)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def effective_due(request: SubjectRequest) -> date:
    return request.extended_due_on or request.due_on


class SubjectRequestService:
    def create(
        self,
        session: Session,
        subject: Subject,
        *,
        person_id: uuid.UUID,
        kind: RequestKind,
        received_on: date,
        channel: str,
    ) -> SubjectRequest:
        subject.require(Permission.PRIVACY_ADMIN)
        if people_repository.readable_person(session, subject, person_id) is None:
            raise NotFound("person", person_id)
        if received_on > utc_now().date():
            raise ValidationFailed([FieldError("received_on", "cannot be in the future")])
        number = repository.next_request_number(session, subject.jurisdiction_id, received_on.year)
        request = SubjectRequest(
            jurisdiction_id=subject.jurisdiction_id,
            reference=f"DSR-{received_on.year}-{number:04d}",
            person_id=person_id,
            kind=kind,
            received_on=received_on,
            due_on=add_months(received_on, 1),
            channel=channel,
            created_by_id=subject.staff_id,
        )
        session.add(request)
        session.flush()
        self._audit(session, subject, request, "subject_request_received", {"kind": kind.value})
        return request

    def get(self, session: Session, subject: Subject, request_id: uuid.UUID) -> SubjectRequest:
        subject.require(Permission.PRIVACY_ADMIN)
        found = repository.request_by_id(session, subject.jurisdiction_id, request_id)
        if found is None:
            raise NotFound("subject request", request_id)
        return found

    def extend(
        self, session: Session, subject: Subject, request: SubjectRequest, reason: str
    ) -> SubjectRequest:
        if request.status not in OPEN:
            raise Conflict("only an open request can be extended", code="request_closed")
        if request.extended_due_on is not None:
            raise Conflict("the request has already been extended", code="already_extended")
        if not reason.strip():
            raise ValidationFailed([FieldError("reason", "give the reason for the extension")])
        request.extended_due_on = add_months(request.received_on, 3)
        request.extension_reason = reason.strip()
        session.flush()
        self._audit(
            session,
            subject,
            request,
            "subject_request_extended",
            {"due_on": request.extended_due_on.isoformat()},
        )
        return request

    def set_status(
        self,
        session: Session,
        subject: Subject,
        request: SubjectRequest,
        status: RequestStatus,
        outcome: str | None,
    ) -> SubjectRequest:
        if request.status not in OPEN:
            raise Conflict(f"the request is already {request.status}", code="request_closed")
        if status in (RequestStatus.COMPLETED, RequestStatus.REFUSED):
            if not outcome:
                raise ValidationFailed([FieldError("outcome", "say what was done or why not")])
            request.completed_at = utc_now()
        request.status = status
        request.outcome = outcome or request.outcome
        session.flush()
        self._audit(session, subject, request, "subject_request_updated", {"status": status.value})
        return request

    def export(self, session: Session, subject: Subject, request: SubjectRequest) -> dict[str, Any]:
        """The access export for an access or portability request; logged as a read."""
        if request.kind not in EXPORTABLE:
            raise Conflict(f"a {request.kind} request has no export", code="wrong_request_kind")
        if request.person_id is None:
            raise Conflict("the person has been erased", code="person_erased")
        grant = grant_for(session, subject, "subject_rights")
        doc = subject_access(session, subject.jurisdiction_id, request.person_id)
        log_access(
            session,
            grant,
            [request.person_id],
            action=AccessAction.EXPORTED,
            what=f"subject access export {request.reference}",
            categories=[DataCategory(c) for c in sorted(grant.categories)],
        )
        self._audit(session, subject, request, "subject_access_exported", {"rows": doc["summary"]})
        if request.status == RequestStatus.RECEIVED:
            request.status = RequestStatus.IN_PROGRESS
        return doc

    def erase(self, session: Session, subject: Subject, request: SubjectRequest) -> dict[str, int]:
        """Carry out an erasure request and complete it."""
        if request.kind != RequestKind.ERASURE:
            raise Conflict(f"a {request.kind} request cannot erase", code="wrong_request_kind")
        if request.status not in OPEN or request.person_id is None:
            raise Conflict("the request is closed or already carried out", code="request_closed")
        counts = erase_person(session, subject.actor, subject.jurisdiction_id, request.person_id)
        session.refresh(request)
        request.status = RequestStatus.COMPLETED
        request.completed_at = utc_now()
        request.outcome = "erased: " + ", ".join(f"{t} {n}" for t, n in sorted(counts.items()))
        session.flush()
        self._audit(session, subject, request, "subject_request_updated", {"status": "completed"})
        return counts

    def _audit(
        self,
        session: Session,
        subject: Subject,
        request: SubjectRequest,
        action: str,
        details: dict[str, Any],
    ) -> None:
        record(
            session,
            subject.actor,
            action=action,
            entity_type="subject_request",
            entity_id=request.id,
            jurisdiction_id=request.jurisdiction_id,
            details={"reference": request.reference, **details},
        )


subject_request_service = SubjectRequestService()
