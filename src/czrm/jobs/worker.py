"""The worker loop: schedule periodic slots, claim, run, record the outcome.

A task runs in one transaction together with marking its job done, so its
effects and its completion commit together; a crash mid-task leaves the job
to be claimed again after the lease, and tasks are written to be idempotent.
"""

from __future__ import annotations

import logging
import threading
import traceback
from datetime import datetime

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from czrm.audit.service import seal
from czrm.jobs import registry, service
from czrm.kit.time import utc_now

log = logging.getLogger("czrm.worker")
# Audit entries are chained within about this long of their commit.
SEAL_SECONDS = 1.0
SEAL_BATCH = 5_000


def slot_start(now: datetime, every_seconds: int) -> datetime:
    """The start of the periodic slot containing ``now`` (slots aligned to the epoch)."""
    stamp = int(now.timestamp())
    return datetime.fromtimestamp(stamp - stamp % every_seconds, tz=now.tzinfo)


class Worker:
    def __init__(self, sessions: sessionmaker[Session], name: str | None = None) -> None:
        self.sessions = sessions
        self.name = name or service.worker_name()
        self.stopping = threading.Event()
        registry.load_tasks()

    def schedule_periodic(self) -> None:
        """Enqueue the current slot of every periodic task; the job key makes it once-only."""
        now = utc_now()
        with self.sessions.begin() as session:
            for task in registry.TASKS.values():
                if task.every is None:
                    continue
                start = slot_start(now, int(task.every.total_seconds()))
                service.enqueue(
                    session, task.name, key=f"{task.name}@{start.isoformat()}", run_at=start
                )

    def run_once(self) -> bool:
        """Claim and run one due job; False when there was none."""
        with self.sessions.begin() as session:
            job = service.claim_next(session, self.name)
            if job is None:
                return False
            job_id, task_name, args = job.id, job.task, dict(job.args)
        try:
            with self.sessions.begin() as session:
                registry.run(session, task_name, args)
                service.mark_done(session, job_id)
        except Exception as exc:  # noqa: BLE001 - any task failure is recorded, never fatal
            error = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=8)}"
            with self.sessions.begin() as session:
                status = service.mark_failed(session, job_id, error)
            log.warning("job %s (%s) failed, now %s: %s", job_id, task_name, status, exc)
        return True

    def seal_audit(self) -> int:
        """Chain the audit entries written since the last seal (one batch); a
        worker finding another sealing leaves it to them."""
        with self.sessions.begin() as session:
            return len(seal(session, limit=SEAL_BATCH, wait=False))

    def run(self, poll_seconds: float = 1.0, max_jobs: int | None = None) -> int:
        """Work until stopped (or ``max_jobs`` done); returns how many jobs ran."""
        ran = 0
        last_housekeeping = last_seal = 0.0
        while not self.stopping.is_set():
            try:
                if utc_now().timestamp() - last_seal >= SEAL_SECONDS:
                    while self.seal_audit() == SEAL_BATCH:
                        pass
                    last_seal = utc_now().timestamp()
                if utc_now().timestamp() - last_housekeeping >= 30:
                    self.schedule_periodic()
                    with self.sessions.begin() as session:
                        service.requeue_stale(session)
                        service.requeue_orphans(session)
                    last_housekeeping = utc_now().timestamp()
                if self.run_once():
                    ran += 1
                    if max_jobs is not None and ran >= max_jobs:
                        break
                    continue
            except (OperationalError, IntegrityError) as exc:
                log.warning("worker %s: database unavailable, retrying: %s", self.name, exc)
            self.stopping.wait(poll_seconds)
        return ran

    def stop(self) -> None:
        self.stopping.set()
