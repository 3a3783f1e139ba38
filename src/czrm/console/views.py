"""Staff pages: the work queues and the case page. They call the cases service
exactly as the REST API does, so the same rules, scope and audit apply."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from czrm.auth.models import StaffUser
from czrm.auth.service import staff_service
from czrm.auth.subject import Permission, Subject
from czrm.cases import repository, workflow
from czrm.cases.models import Case, CaseStatus
from czrm.cases.repository import CaseFilters
from czrm.cases.service import case_service
from czrm.catalogue.models import Service
from czrm.catalogue.service import catalogue_service
from czrm.console.deps import console_subject
from czrm.errors import CzrmError, FieldError, ValidationFailed
from czrm.kit import pages
from czrm.kit.pagination import PageParams
from czrm.kit.time import utc_now
from czrm.kit.web import DbSession, ReadSession
from czrm.kit.websecurity import checked_form
from czrm.org import service as org

router = APIRouter(prefix="/console", include_in_schema=False)
Form = Annotated[FormData, Depends(checked_form)]
PAGE_SIZE = 25
View = Literal["mine", "team", "unassigned", "overdue", "all"]
Sort = Literal["due_at", "-due_at", "opened_at", "-opened_at", "priority", "-updated_at"]


@router.get("")
def home(request: Request, session: ReadSession) -> Response:
    console_subject(request, session)
    return RedirectResponse("/console/queue", status_code=303)


@dataclass(frozen=True)
class QueueRow:
    case: Case
    service_name: str
    overdue: bool


def _filters(subject: Subject, view: View, status: str, sort: Sort, q: str) -> CaseFilters:
    filters = CaseFilters(sort=sort, text=q.strip() or None)
    if status == "open" or not status:
        filters.is_open = True
    elif status == "closed":
        filters.is_open = False
    elif status in CaseStatus.__members__.values():
        filters.status = [CaseStatus(status)]
    if view == "mine":
        filters.assignee_id = subject.staff_id
    elif view == "unassigned":
        filters.unassigned = True
    elif view == "overdue":
        filters.overdue = True
    return filters


@router.get("/queue")
def queue(
    request: Request,
    session: ReadSession,
    view: View = "mine",
    status: Annotated[str, Query(max_length=32)] = "open",
    service: Annotated[str, Query(max_length=64)] = "",
    sort: Sort = "due_at",
    q: Annotated[str, Query(max_length=200)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    subject = console_subject(request, session)
    subject.require(Permission.CASES_READ)
    filters = _filters(subject, view, status, sort, q)
    if view == "team" and not subject.sees_all_departments:
        filters.department_id = None  # the readable statement already keeps to my departments
    directory = catalogue_service.directory(session, subject.jurisdiction_id)
    if service:
        filters.service_ids = [i.id for i in directory.services.values() if i.code == service]
    stmt = repository.search_statement(subject, filters)
    paging = PageParams(page, PAGE_SIZE)
    total = repository.count(session, stmt)
    cases = list(session.scalars(stmt.offset(paging.offset).limit(PAGE_SIZE)))
    now = utc_now()
    rows = [
        QueueRow(
            c,
            directory.services[c.service_id].name if c.service_id in directory.services else "",
            bool(c.due_at and c.closed_at is None and c.due_at < now),
        )
        for c in cases
    ]
    context: dict[str, Any] = {
        "rows": rows,
        "total": total,
        "page": page,
        "pages": max(1, -(-total // PAGE_SIZE)),
        "view": view,
        "status": status,
        "service": service,
        "sort": sort,
        "q": q,
        "services": sorted(
            {(i.code, i.name) for i in directory.services.values()}, key=lambda p: p[1]
        ),
        "statuses": [s.value for s in CaseStatus],
        "query": _query,
    }
    template = (
        "console/_queue_results.html"
        if request.headers.get("hx-request") and request.headers.get("hx-target") == "results"
        else "console/queue.html"
    )
    return pages.render(request, template, context)


def _query(base: dict[str, Any], **changes: Any) -> str:
    from urllib.parse import urlencode

    merged = {**base, **changes}
    return urlencode({k: v for k, v in merged.items() if v not in ("", None)})


# ----- the case page --------------------------------------------------------------------
def _case_page(
    request: Request,
    session: Session,
    subject: Subject,
    case: Case,
    *,
    errors: list[dict[str, str]] | None = None,
    status: int = 200,
    values: dict[str, str] | None = None,
) -> Response:
    directory = catalogue_service.directory(
        session, subject.jurisdiction_id, covering={case.service_id}
    )
    teams = org.teams_of(session, case.department_id)
    staff = staff_service.in_department(session, subject.jurisdiction_id, case.department_id)
    names = {s.id: s.display_name for s in staff}
    if case.assignee_id and case.assignee_id not in names:
        assignee = session.get(StaffUser, case.assignee_id)
        names[case.assignee_id] = assignee.display_name if assignee else "?"
    now = utc_now()
    service = session.get(Service, case.service_id)
    overdue = bool(case.due_at and case.closed_at is None and case.due_at < now)
    remaining = (case.due_at - now) if case.due_at and not overdue else None
    return pages.render(
        request,
        "console/case.html",
        {
            "case": case,
            "service_name": directory.services[case.service_id].name,
            "department_name": directory.departments.get(case.department_id, ""),
            "timeline": repository.timeline(session, case.id),
            "answers": answer_rows(service.attributes if service else [], case.attributes),
            "allowed": sorted(s.value for s in workflow.allowed_from(case.status)),
            "teams": teams,
            "team_names": {t.id: t.name for t in teams},
            "staff": staff,
            "staff_names": names,
            "overdue": overdue,
            "remaining_hours": round(remaining.total_seconds() / 3600, 1) if remaining else None,
            "paused": case.paused_since is not None,
            "is_closed": workflow.is_closed(case.status),
            "can_update": subject.can(Permission.CASES_UPDATE),
            "can_assign": subject.can(Permission.CASES_ASSIGN),
            "can_note": subject.can(Permission.CASES_NOTE),
            "me": subject.staff_id,
            "errors": errors or [],
            "values": values or {},
        },
        status=status,
    )


def answer_rows(
    definitions: list[dict[str, Any]], answers: dict[str, Any]
) -> list[tuple[str, str]]:
    """(question, answer) in the service's order, list keys shown by their names."""
    rows = []
    for definition in definitions:
        value = answers.get(definition["code"])
        if value is None:
            continue
        names = {v["key"]: v["name"] for v in definition.get("values", [])}
        items = value if isinstance(value, list) else [value]
        rows.append(
            (definition["description"], ", ".join(str(names.get(str(i), i)) for i in items))
        )
    return rows


@router.get("/cases/{reference}")
def case_page(reference: str, request: Request, session: ReadSession) -> Response:
    subject = console_subject(request, session)
    return _case_page(request, session, subject, case_service.get(session, subject, reference))


def _field_errors(request: Request, error: CzrmError, default_field: str) -> list[dict[str, str]]:
    _ = pages.translator(pages.current_language(request))
    if isinstance(error, ValidationFailed) and error.errors:
        return [
            {"id": e.field if e.field != "body" else default_field, "text": e.message}
            for e in error.errors
        ]
    return [{"id": default_field, "text": error.message or _("That cannot be done")}]


def _act(
    request: Request,
    session: Session,
    subject: Subject,
    case: Case,
    form: FormData,
    field: str,
    action: Any,
) -> Response:
    try:
        with session.begin_nested():
            action()
    except CzrmError as error:
        if error.status == 403:
            raise
        values = {k: str(v) for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
        return _case_page(
            request,
            session,
            subject,
            case_service.get(session, subject, case.reference),
            errors=_field_errors(request, error, field),
            status=422 if error.status == 422 else 409,
            values=values,
        )
    return RedirectResponse(f"/console/cases/{case.reference}", status_code=303)


@router.post("/cases/{reference}/transition")
def transition(reference: str, request: Request, session: DbSession, form: Form) -> Response:
    subject = console_subject(request, session)
    subject.require(Permission.CASES_UPDATE)
    case = case_service.get(session, subject, reference)
    wanted = str(form.get("status") or "")
    note = str(form.get("public_note") or "").strip() or None

    def run() -> None:
        if wanted not in CaseStatus.__members__.values():
            raise ValidationFailed([FieldError("status", "Choose the new status")])
        if note and len(note) > 4000:
            raise ValidationFailed([FieldError("public_note", "is longer than 4000 characters")])
        case_service.transition(
            session,
            subject,
            case,
            CaseStatus(wanted),
            public_note=note,
            duplicate_of=str(form.get("duplicate_of") or "").strip() or None,
        )

    return _act(request, session, subject, case, form, "status", run)


@router.post("/cases/{reference}/assign")
def assign(reference: str, request: Request, session: DbSession, form: Form) -> Response:
    subject = console_subject(request, session)
    subject.require(Permission.CASES_ASSIGN)
    case = case_service.get(session, subject, reference)

    def ident(name: str) -> uuid.UUID | None:
        raw = str(form.get(name) or "").strip()
        if not raw:
            return None
        if raw == "me":
            return subject.staff_id
        try:
            return uuid.UUID(raw)
        except ValueError as exc:
            raise ValidationFailed([FieldError(name, "Choose from the list")]) from exc

    def run() -> None:
        team_id = ident("team_id")
        assignee_id = ident("assignee_id")
        unassign = form.get("assignee_id") == "none"
        new_team = team_id if team_id != case.team_id else None
        if new_team is None and assignee_id is None and not unassign:
            return  # nothing changed: not worth a timeline entry
        case_service.assign(
            session, subject, case, team_id=new_team, assignee_id=assignee_id, unassign=unassign
        )

    return _act(request, session, subject, case, form, "assignee_id", run)


@router.post("/cases/{reference}/update")
def public_update(reference: str, request: Request, session: DbSession, form: Form) -> Response:
    subject = console_subject(request, session)
    subject.require(Permission.CASES_UPDATE)
    case = case_service.get(session, subject, reference)
    body = str(form.get("body") or "")
    return _act(
        request,
        session,
        subject,
        case,
        form,
        "update-body",
        lambda: case_service.add_public_update(session, subject, case, body),
    )


@router.post("/cases/{reference}/note")
def internal_note(reference: str, request: Request, session: DbSession, form: Form) -> Response:
    subject = console_subject(request, session)
    subject.require(Permission.CASES_NOTE)
    case = case_service.get(session, subject, reference)
    body = str(form.get("body") or "")
    return _act(
        request,
        session,
        subject,
        case,
        form,
        "note-body",
        lambda: case_service.add_internal_note(session, subject, case, body),
    )
