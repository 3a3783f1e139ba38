"""Clerical review of uncertain matches, side by side with the per-field
explanation, and the journal of merges and splits with undo."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from czrm.auth.subject import Permission, Subject
from czrm.console.deps import console_subject
from czrm.errors import CzrmError
from czrm.identity import repository as identity_repository
from czrm.identity.merges import merge_service
from czrm.identity.models import ReviewStatus
from czrm.identity.review import SHOWN_FIELDS, review_service
from czrm.kit import pages
from czrm.kit.web import DbSession, ReadSession
from czrm.kit.websecurity import checked_form

router = APIRouter(prefix="/console", include_in_schema=False)
Form = Annotated[FormData, Depends(checked_form)]
PAGE = 25
DECISIONS = ("accept", "reject", "defer")
CHOOSE = "Choose: the same person, different people, or decide later"


@router.get("/reviews")
def queue(
    request: Request,
    session: ReadSession,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    status: ReviewStatus = ReviewStatus.PENDING,
) -> Response:
    subject = console_subject(request, session)
    total, pairs = review_service.queue(
        session, subject, status=status, offset=(page - 1) * PAGE, limit=PAGE
    )
    return pages.render(
        request,
        "console/reviews.html",
        {
            "pairs": pairs,
            "total": total,
            "page": page,
            "pages": max(1, -(-total // PAGE)),
            "status": status.value,
        },
    )


def explanation(field_weights: dict[str, Any], shown: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per field: both values and what the model made of them (level, weight)."""
    rows = []
    for name in SHOWN_FIELDS:
        explained = field_weights.get(name) or {}
        rows.append(
            {
                "field": name,
                "left": shown["left"].get(name),
                "right": shown["right"].get(name),
                "level": explained.get("level"),
                "weight": explained.get("weight"),
            }
        )
    return rows


def _review_page(
    request: Request,
    session: Session,
    subject: Subject,
    item_id: int,
    *,
    errors: list[dict[str, str]] | None = None,
) -> Response:
    item = review_service.get(session, subject, item_id)
    pair = review_service.pair(session, item)
    return pages.render(
        request,
        "console/review.html",
        {
            "item": item,
            "pair": pair,
            "rows": explanation(item.field_weights, {"left": pair.left, "right": pair.right}),
            "errors": errors or [],
            "open": item.status in (ReviewStatus.PENDING, ReviewStatus.DEFERRED),
        },
        status=409 if errors else 200,
    )


@router.get("/reviews/{item_id}")
def review(item_id: int, request: Request, session: ReadSession) -> Response:
    subject = console_subject(request, session)
    return _review_page(request, session, subject, item_id)


@router.post("/reviews/{item_id}")
def decide(item_id: int, request: Request, session: DbSession, form: Form) -> Response:
    subject = console_subject(request, session)
    subject.require(Permission.CASES_UPDATE)
    decision = str(form.get("decision") or "")
    note = str(form.get("note") or "").strip()[:500] or None
    if decision not in DECISIONS:
        return _review_page(
            request,
            session,
            subject,
            item_id,
            errors=[
                {"id": "decision", "text": "Choose: the same person, different people, or later"}
            ],
        )
    action = getattr(review_service, decision)
    try:
        with session.begin_nested():
            action(session, subject, item_id, note=note)
    except CzrmError as error:
        if error.status in (403, 404):
            raise
        return _review_page(
            request, session, subject, item_id, errors=[{"id": "decision", "text": error.message}]
        )
    return RedirectResponse(f"/console/reviews?decided={item_id}", status_code=303)


@router.get("/merges")
def journal(request: Request, session: ReadSession) -> Response:
    subject = console_subject(request, session)
    subject.require(Permission.CASES_UPDATE)
    entries = identity_repository.recent_journal(session, subject.jurisdiction_id)
    return pages.render(request, "console/merges.html", {"entries": entries, "errors": []})


@router.post("/merges/{entry_id}/undo")
def undo(entry_id: uuid.UUID, request: Request, session: DbSession, form: Form) -> Response:
    subject = console_subject(request, session)
    subject.require(Permission.CASES_UPDATE)
    try:
        with session.begin_nested():
            merge_service.undo(session, subject.actor, subject.jurisdiction_id, entry_id)
    except CzrmError as error:
        if error.status in (403, 404):
            raise
        entries = identity_repository.recent_journal(session, subject.jurisdiction_id)
        return pages.render(
            request,
            "console/merges.html",
            {"entries": entries, "errors": [{"id": f"undo-{entry_id}", "text": error.message}]},
            status=409,
        )
    return RedirectResponse("/console/merges?undone=1", status_code=303)
