"""Administration: the index of sections, the jobs outbox and verifying the
audit chain. The other sections have a module each (``admin_*.py``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from czrm.audit.verify import verify_chain
from czrm.auth.subject import Permission
from czrm.console.deps import console_subject
from czrm.errors import Forbidden
from czrm.jobs import service as job_service
from czrm.jobs.models import JobStatus
from czrm.kit import pages
from czrm.kit.i18n import N_
from czrm.kit.web import DbSession, ReadSession
from czrm.kit.websecurity import checked_form

router = APIRouter(prefix="/console/admin", include_in_schema=False)
Form = Annotated[FormData, Depends(checked_form)]


DESCRIPTIONS = {
    "/console/admin/services": N_(
        "What people can ask for, the questions each asks, and who does it."
    ),
    "/console/admin/teams": N_(
        "Each department's teams, their managers and members, and their areas."
    ),
    "/console/admin/staff": N_("Accounts, roles and departments; resetting a lost second factor."),
    "/console/admin/api-keys": N_("Keys for applications that send reports through Open311."),
    "/console/admin/purposes": N_("Why personal data is used, and the Art. 30 record."),
    "/console/admin/jobs": N_(
        "Work queued after changes, such as e-mail, and retrying what failed."
    ),
    "/console/admin/audit": N_("Check that no one has altered the record of changes."),
}


@router.get("")
def index(request: Request, session: ReadSession) -> Response:
    """The sections this member of staff may use; none at all is a 403."""
    console_subject(request, session)
    if not request.state.admin_sections:
        raise Forbidden("no administration section is open to your roles")
    return pages.render(request, "console/admin_index.html", {"descriptions": DESCRIPTIONS})


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
