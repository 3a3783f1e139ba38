"""Staff REST API for people: the 360° view. Parse → call the service → render."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic_core import to_json

from czrm.auth.deps import CurrentSubject
from czrm.kit.pagination import MAX_PAGE_SIZE, PageParams
from czrm.kit.web import DbSession
from czrm.people.view import person_search, person_view

router = APIRouter(prefix="/api/v1/people", tags=["people"])
PURPOSE_HELP = "why you are reading (a purpose code from the register); default by role"
Purpose = Annotated[str | None, Query(max_length=64, description=PURPOSE_HELP)]


@router.get("")
def search_people(
    session: DbSession,
    subject: CurrentSubject,
    purpose: Purpose = None,
    identifier_scheme: Annotated[str | None, Query(max_length=40)] = None,
    identifier: Annotated[str | None, Query(max_length=200)] = None,
    family_name: Annotated[str | None, Query(min_length=2, max_length=200)] = None,
    given_name: Annotated[str | None, Query(max_length=200)] = None,
) -> dict[str, Any]:
    """Find people by an exact identifier (e.g. ``identifier_scheme=ni_number``) or by
    name; each person listed is recorded in their access log."""
    return person_search(
        session,
        subject,
        purpose=purpose,
        identifier_scheme=identifier_scheme,
        identifier=identifier,
        family_name=family_name,
        given_name=given_name,
    )


@router.get("/{person_id}", response_model=dict[str, Any])
def get_person(
    person_id: uuid.UUID,
    session: DbSession,
    subject: CurrentSubject,
    purpose: Purpose = None,
    cases_page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    cases_page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
    records_page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    records_page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    interactions_page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    interactions_page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
) -> Response:
    """Everything the purpose allows of one person: roles, relationships, contact points,
    identifiers (masked), needs, linked source records by system, cases and
    interactions (paged). Parts the purpose does not allow are marked
    ``{"withheld": true, "category": …}``."""
    view = person_view(
        session,
        subject,
        person_id,
        purpose=purpose,
        cases=PageParams(cases_page, cases_page_size),
        records=PageParams(records_page, records_page_size),
        interactions=PageParams(interactions_page, interactions_page_size),
    )
    # Serialised here, on the handler's thread: returned as a dict, it would be
    # validated against its own type on another trip to the thread pool first.
    return Response(to_json(view), media_type="application/json")
