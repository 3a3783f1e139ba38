"""Staff REST API for interactions. Parse → call the service → render."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from fastapi import APIRouter
from sqlalchemy.orm import Session

from czrm.auth.deps import CurrentSubject
from czrm.auth.subject import Permission, Subject
from czrm.cases import repository as case_repository
from czrm.errors import FieldError, ValidationFailed
from czrm.interactions import repository
from czrm.interactions.models import Interaction, InteractionChannel
from czrm.interactions.repository import InteractionFilters
from czrm.interactions.schemas import InteractionCreate, InteractionPage, InteractionRead
from czrm.interactions.service import interaction_service
from czrm.kit.pagination import Paging
from czrm.kit.web import DbSession
from czrm.people.api import Purpose
from czrm.privacy.access_log import record_read
from czrm.privacy.categories import DataCategory

router = APIRouter(prefix="/api/v1/interactions", tags=["interactions"])


def render(session: Session, rows: Sequence[Interaction]) -> list[InteractionRead]:
    refs = repository.case_references(session, {r.case_id for r in rows if r.case_id})
    return [
        InteractionRead(
            id=r.id,
            channel=r.channel,
            direction=r.direction,
            person_id=r.person_id,
            representative_id=r.representative_id,
            staff_id=r.staff_id,
            case_reference=refs.get(r.case_id) if r.case_id else None,
            subject=r.subject,
            summary=r.summary,
            outcome=r.outcome,
            duration_seconds=r.duration_seconds,
            occurred_at=r.occurred_at,
            data=r.data,
        )
        for r in rows
    ]


@router.post("", status_code=201, response_model=InteractionRead)
def log_interaction(
    body: InteractionCreate, session: DbSession, subject: CurrentSubject
) -> InteractionRead:
    """Record a contact: a call, a visit to the desk, a letter, a chat …"""
    return render(session, [interaction_service.log(session, subject, body)])[0]


@router.get("", response_model=InteractionPage)
def list_interactions(
    session: DbSession,
    subject: CurrentSubject,
    paging: Paging,
    person_id: uuid.UUID | None = None,
    case: str | None = None,
    channel: InteractionChannel | None = None,
    purpose: Purpose = None,
) -> InteractionPage:
    subject.require(Permission.INTERACTIONS_READ)
    filters = InteractionFilters(person_ids=[person_id] if person_id else None, channel=channel)
    if case:
        found = case_repository.get_readable(session, subject, case)
        if found is None:
            raise ValidationFailed([FieldError("case", f"{case} is not a case you can see")])
        filters.case_id = found.id
    total, rows = interaction_service.search(session, subject, filters, paging)
    _logged(session, subject, purpose, rows, "interactions (list)")
    return InteractionPage(
        items=render(session, rows), page=paging.page, page_size=paging.page_size, total=total
    )


@router.get("/{interaction_id}", response_model=InteractionRead)
def get_interaction(
    interaction_id: int, session: DbSession, subject: CurrentSubject, purpose: Purpose = None
) -> InteractionRead:
    found = interaction_service.get(session, subject, interaction_id)
    _logged(session, subject, purpose, [found], f"interaction {found.id}")
    return render(session, [found])[0]


def _logged(
    session: Session, subject: Subject, purpose: str | None, rows: Sequence[Interaction], what: str
) -> None:
    record_read(
        session,
        subject,
        purpose,
        [r.person_id for r in rows],
        categories=[DataCategory.SERVICE_HISTORY],
        what=what,
    )
