"""Administration pages: staff accounts and their second factor, the jobs
outbox, and verifying the audit chain."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from czrm.audit.verify import verify_chain
from czrm.auth import totp
from czrm.auth.service import staff_service
from czrm.auth.subject import Permission
from czrm.console.deps import console_subject
from czrm.jobs import service as job_service
from czrm.jobs.models import JobStatus
from czrm.kit import pages
from czrm.kit.web import DbSession, ReadSession
from czrm.kit.websecurity import checked_form

router = APIRouter(prefix="/console/admin", include_in_schema=False)
Form = Annotated[FormData, Depends(checked_form)]


@router.get("/staff")
def staff_list(request: Request, session: ReadSession) -> Response:
    subject = console_subject(request, session)
    staff = staff_service.list_all(session, subject)
    return pages.render(
        request,
        "console/admin_staff.html",
        {"staff": staff, "enrolled": {s.id for s in staff if totp.is_enrolled(s)}},
    )


@router.post("/staff/{staff_id}/reset-second-factor")
def reset_second_factor(
    staff_id: uuid.UUID, request: Request, session: DbSession, form: Form
) -> Response:
    """For someone who lost their device and recovery codes: they enrol again at next sign-in."""
    subject = console_subject(request, session)
    subject.require(Permission.STAFF_ADMIN)
    staff = staff_service.get(session, subject, staff_id)
    if totp.is_enrolled(staff):
        totp.reset(session, subject.actor, staff)
    return RedirectResponse(f"/console/admin/staff?reset={staff.username}", status_code=303)


@router.get("/audit")
def audit(request: Request, session: ReadSession) -> Response:
    subject = console_subject(request, session)
    subject.require(Permission.AUDIT_READ)
    return pages.render(request, "console/admin_audit.html", {"result": None})


@router.post("/audit")
def verify(request: Request, session: DbSession, form: Form) -> Response:
    """Walk the whole hash chain now and say where, if anywhere, it is broken."""
    subject = console_subject(request, session)
    subject.require(Permission.AUDIT_READ)
    result = verify_chain(session)
    return pages.render(request, "console/admin_audit.html", {"result": result})


@router.get("/jobs")
def jobs(
    request: Request,
    session: ReadSession,
    status: JobStatus | None = JobStatus.FAILED,
) -> Response:
    """The outbox: counts by status and the latest jobs (never their arguments,
    which may hold personal data such as an e-mail address)."""
    subject = console_subject(request, session)
    subject.require(Permission.JOBS_ADMIN)
    listed = list(session.scalars(job_service.list_statement(status).limit(100)))
    return pages.render(
        request,
        "console/admin_jobs.html",
        {
            "jobs": listed,
            "counts": job_service.counts(session),
            "status": status.value if status else "",
            "statuses": [s.value for s in JobStatus],
            "errors": [],
        },
    )


@router.post("/jobs/{job_id}/retry")
def retry_job(job_id: int, request: Request, session: DbSession, form: Form) -> Response:
    subject = console_subject(request, session)
    subject.require(Permission.JOBS_ADMIN)
    job_service.retry(session, job_id)
    return RedirectResponse(f"/console/admin/jobs?status=queued&retried={job_id}", status_code=303)
