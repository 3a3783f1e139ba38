"""Staff REST API for outbound messages: what was sent to whom, and what failed."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session

from czrm.auth.deps import CurrentSubject
from czrm.auth.subject import Permission, Subject
from czrm.cases import repository as case_repository
from czrm.communications.models import MessageStatus
from czrm.communications.repository import MessageFilters
from czrm.communications.schemas import CallMade, MessagePage, MessageRead
from czrm.communications.service import communication_service
from czrm.errors import FieldError, ValidationFailed
from czrm.kit.pagination import Paging
from czrm.kit.web import DbSession
from czrm.people.api import Purpose
from czrm.privacy.access_log import record_read
from czrm.privacy.categories import DataCategory

router = APIRouter(prefix="/api/v1/messages", tags=["messages"])


@router.get("", response_model=MessagePage)
def list_messages(
    session: DbSession,
    subject: CurrentSubject,
    paging: Paging,
    status: Annotated[list[MessageStatus] | None, Query()] = None,
    person_id: uuid.UUID | None = None,
    case: str | None = None,
    purpose: Purpose = None,
) -> MessagePage:
    """Messages newest first; ``status=failed&status=bounced`` lists what needs following up,
    ``status=call_task`` the people to phone."""
    subject.require(Permission.MESSAGES_READ)
    filters = MessageFilters(status=list(status or []), person_id=person_id)
    if case:
        found = case_repository.get_readable(session, subject, case)
        if found is None:
            raise ValidationFailed([FieldError("case", f"{case} is not a case you can see")])
        filters.case_id = found.id
    total, rows = communication_service.search(session, subject, filters, paging)
    _logged(session, subject, purpose, [m.person_id for m in rows], "messages sent (list)")
    return MessagePage(
        items=[MessageRead.model_validate(m, from_attributes=True) for m in rows],
        page=paging.page,
        page_size=paging.page_size,
        total=total,
    )


@router.get("/{message_id}", response_model=MessageRead)
def get_message(
    message_id: int, session: DbSession, subject: CurrentSubject, purpose: Purpose = None
) -> MessageRead:
    found = communication_service.get(session, subject, message_id)
    _logged(session, subject, purpose, [found.person_id], f"message {found.id}")
    return MessageRead.model_validate(found, from_attributes=True)


def _logged(
    session: Session,
    subject: Subject,
    purpose: str | None,
    person_ids: list[uuid.UUID | None],
    what: str,
) -> None:
    record_read(
        session,
        subject,
        purpose,
        person_ids,
        categories=[DataCategory.CONTACT, DataCategory.SERVICE_HISTORY],
        what=what,
    )


@router.post("/{message_id}/call", response_model=MessageRead)
def call_made(
    message_id: int, body: CallMade, session: DbSession, subject: CurrentSubject
) -> MessageRead:
    """Record the call made for a call task (a person who prefers a human): the call
    is logged as an outbound phone interaction on the person and the case."""
    message, _ = communication_service.complete_call(
        session, subject, message_id, summary=body.summary, outcome=body.outcome
    )
    return MessageRead.model_validate(message, from_attributes=True)
