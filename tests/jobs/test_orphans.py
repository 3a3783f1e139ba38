"""Jobs of a worker process that died on this host go back in the queue at once."""

from __future__ import annotations

import os
import socket

from sqlalchemy import select
from sqlalchemy.orm import Session

from czrm.jobs import service
from czrm.jobs.models import Job, JobStatus
from czrm.kit.time import utc_now


def _running(session: Session, locked_by: str) -> Job:
    job = Job(
        task="jobs.purge_done",
        args={},
        status=JobStatus.RUNNING,
        attempts=1,
        max_attempts=5,
        run_at=utc_now(),
        created_at=utc_now(),
        started_at=utc_now(),
        locked_by=locked_by,
    )
    session.add(job)
    session.flush()
    return job


def test_only_jobs_of_dead_local_processes_are_requeued(session: Session) -> None:
    host = socket.gethostname()
    dead = _running(session, f"{host}:999999999:abc123")
    mine = _running(session, f"{host}:{os.getpid()}:abc123")
    elsewhere = _running(session, "another-host:1:abc123")
    assert service.requeue_orphans(session) == 1
    session.expire_all()
    statuses = dict(
        session.execute(
            select(Job.id, Job.status).where(Job.id.in_([dead.id, mine.id, elsewhere.id]))
        ).all()
    )
    assert statuses == {
        dead.id: JobStatus.QUEUED,
        mine.id: JobStatus.RUNNING,
        elsewhere.id: JobStatus.RUNNING,
    }
    assert session.get(Job, dead.id).last_error == "worker process gone"  # type: ignore[union-attr]
