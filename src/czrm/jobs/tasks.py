"""Housekeeping of the job table itself."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from czrm.jobs.models import Job, JobStatus
from czrm.jobs.registry import task
from czrm.kit.time import utc_now

KEEP_DONE = timedelta(days=7)


@task("jobs.purge_done", every=timedelta(hours=1))
def purge_done(session: Session) -> int:
    """Finished jobs are kept a week for inspection, then removed; failed ones stay."""
    result = session.execute(
        delete(Job).where(Job.status == JobStatus.DONE, Job.finished_at < utc_now() - KEEP_DONE)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
