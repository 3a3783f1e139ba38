"""Admins see failed jobs and send them round again."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from czrm.auth.deps import CurrentSubject
from czrm.auth.subject import Permission
from czrm.jobs import service
from czrm.jobs.models import Job, JobStatus
from czrm.kit.pagination import Paging
from czrm.kit.web import DbSession

router = APIRouter(prefix="/api/v1/jobs", tags=["jobs"])


class JobRead(BaseModel):
    id: int
    task: str
    args: dict[str, Any]
    status: JobStatus
    attempts: int
    max_attempts: int
    run_at: datetime
    created_at: datetime
    finished_at: datetime | None
    last_error: str | None


class JobOverview(BaseModel):
    counts: dict[str, int]
    items: list[JobRead]


@router.get("", response_model=JobOverview)
def list_jobs(
    session: DbSession, subject: CurrentSubject, paging: Paging, status: JobStatus | None = None
) -> JobOverview:
    subject.require(Permission.JOBS_ADMIN)
    stmt = service.list_statement(status).offset(paging.offset).limit(paging.page_size)
    jobs = session.scalars(stmt)
    return JobOverview(
        counts=service.counts(session),
        items=[JobRead.model_validate(j, from_attributes=True) for j in jobs],
    )


@router.post("/{job_id}/retry", response_model=JobRead)
def retry_job(job_id: int, session: DbSession, subject: CurrentSubject) -> JobRead:
    subject.require(Permission.JOBS_ADMIN)
    job: Job = service.retry(session, job_id)
    return JobRead.model_validate(job, from_attributes=True)
