"""Staff REST API for people: the 360° view. Parse → call the service → render."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query

from czrm.auth.deps import CurrentSubject
from czrm.kit.pagination import MAX_PAGE_SIZE, PageParams
from czrm.kit.web import DbSession
from czrm.people.view import person_view

router = APIRouter(prefix="/api/v1/people", tags=["people"])


@router.get("/{person_id}")
def get_person(
    person_id: uuid.UUID,
    session: DbSession,
    subject: CurrentSubject,
    cases_page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    cases_page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
    records_page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    records_page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    interactions_page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    interactions_page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
) -> dict[str, Any]:
    """Everything held about one person: roles, relationships, contact points,
    identifiers (masked), needs, linked source records by system, cases and
    interactions (paged)."""
    return person_view(
        session,
        subject,
        person_id,
        cases=PageParams(cases_page, cases_page_size),
        records=PageParams(records_page, records_page_size),
        interactions=PageParams(interactions_page, interactions_page_size),
    )
