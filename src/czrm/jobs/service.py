"""The outbox: jobs written in the caller's transaction, claimed by workers."""

from __future__ import annotations

import functools
import uuid
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Insert, Select, Table, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from czrm.errors import Conflict, NotFound
from czrm.jobs import registry
from czrm.jobs.models import Job, JobStatus
from czrm.kit.time import utc_now

BACKOFF_BASE = timedelta(seconds=15)
BACKOFF_CAP = timedelta(hours=1)
# A job running longer than this is taken to belong to a dead worker.
LEASE = timedelta(minutes=15)


def enqueue(
    session: Session,
    task: str,
    args: dict[str, Any] | None = None,
    *,
    key: str | None = None,
    run_at: datetime | None = None,
    max_attempts: int | None = None,
) -> None:
    """Queue ``task`` to run after this transaction commits (never if it rolls back).

    A ``key`` makes the call idempotent: a second job with the same key is ignored.
    """
    definition = registry.get(task)
    if definition is None:
        raise ValueError(f"unknown task {task!r}")
    now = utc_now()
    values = {
        "task": task,
        "args": args or {},
        "key": key,
        "status": JobStatus.QUEUED,
        "attempts": 0,
        "max_attempts": max_attempts or definition.max_attempts,
        "run_at": run_at or now,
        "created_at": now,
    }
    # A Core insert on the session's connection: no ORM bookkeeping for a row
    # this transaction never reads back as an object.
    connection = session.connection()
    connection.execute(_insert_job(connection.dialect.name, keyed=key is not None), values)


@functools.cache
def _insert_job(dialect: str, *, keyed: bool) -> Insert:
    """Built once per dialect (every case opened enqueues): a keyed job that
    already exists is left alone."""
    insert_fn = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert_fn(cast(Table, Job.__table__))
    return stmt.on_conflict_do_nothing(index_elements=["key"]) if keyed else stmt


def backoff(attempts: int) -> timedelta:
    """15 s, 30 s, 60 s … doubling per attempt, at most an hour."""
    delay: timedelta = BACKOFF_BASE * (2 ** max(attempts - 1, 0))
    return min(delay, BACKOFF_CAP)


def claim_next(session: Session, worker: str) -> Job | None:
    """Take the oldest due job. ``SKIP LOCKED`` lets many workers claim at once
    on PostgreSQL; SQLite's single writer (BEGIN IMMEDIATE) serialises claims."""
    now = utc_now()
    candidate = (
        select(Job.id)
        .where(Job.status == JobStatus.QUEUED, Job.run_at <= now)
        .order_by(Job.run_at, Job.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    job_id = session.execute(
        update(Job)
        .where(Job.id == candidate, Job.status == JobStatus.QUEUED)
        .values(
            status=JobStatus.RUNNING,
            locked_by=worker,
            started_at=now,
            attempts=Job.attempts + 1,
        )
        .returning(Job.id)
    ).scalar()
    if job_id is None:
        return None
    return session.get(Job, job_id)


def mark_done(session: Session, job_id: int) -> None:
    session.execute(
        update(Job)
        .where(Job.id == job_id)
        .values(status=JobStatus.DONE, finished_at=utc_now(), locked_by=None, last_error=None)
    )


def mark_failed(session: Session, job_id: int, error: str) -> JobStatus:
    """Retry with backoff, or give up after ``max_attempts``."""
    job = session.get(Job, job_id, with_for_update=True)
    if job is None:
        return JobStatus.FAILED
    job.last_error = error[:4000]
    job.locked_by = None
    if job.attempts >= job.max_attempts:
        job.status = JobStatus.FAILED
        job.finished_at = utc_now()
    else:
        job.status = JobStatus.QUEUED
        job.run_at = utc_now() + backoff(job.attempts)
    session.flush()
    return job.status


def requeue_stale(session: Session) -> int:
    """Jobs left running by a worker that died go back in the queue."""
    result = session.execute(
        update(Job)
        .where(Job.status == JobStatus.RUNNING, Job.started_at < utc_now() - LEASE)
        .values(status=JobStatus.QUEUED, locked_by=None, last_error="worker lease expired")
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _process_alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def requeue_orphans(session: Session) -> int:
    """Jobs left running by a worker process of this host that no longer exists go
    back in the queue at once, instead of after the lease (which covers other hosts)."""
    import os
    import socket

    host = socket.gethostname()
    rows = session.execute(
        select(Job.id, Job.locked_by).where(
            Job.status == JobStatus.RUNNING, Job.locked_by.like(f"{host}:%")
        )
    ).all()
    orphans = []
    for job_id, locked_by in rows:
        pid = str(locked_by)[len(host) + 1 :].split(":", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _process_alive(int(pid)):
            orphans.append(job_id)
    if not orphans:
        return 0
    result = session.execute(
        update(Job)
        .where(Job.id.in_(orphans), Job.status == JobStatus.RUNNING)
        .values(status=JobStatus.QUEUED, locked_by=None, last_error="worker process gone")
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def list_statement(status: JobStatus | None = None) -> Select[Job]:
    stmt = select(Job).order_by(Job.id.desc())
    if status is not None:
        stmt = stmt.where(Job.status == status)
    return stmt


def retry(session: Session, job_id: int) -> Job:
    """An admin sends a failed job round again, with a fresh attempt budget."""
    job = session.get(Job, job_id)
    if job is None:
        raise NotFound("job", job_id)
    if job.status != JobStatus.FAILED:
        raise Conflict(f"job {job_id} is {job.status}, only failed jobs can be retried")
    job.status = JobStatus.QUEUED
    job.attempts = 0
    job.run_at = utc_now()
    job.finished_at = None
    session.flush()
    return job


def counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(Job.status, func.count()).group_by(Job.status)).all()
    return {str(status): int(n) for status, n in rows}


def worker_name() -> str:
    import os
    import socket

    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
