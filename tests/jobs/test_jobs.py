"""The outbox and the worker: transactional enqueue, retries, no double runs."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from czrm.audit.models import AuditEntry
from czrm.audit.service import record
from czrm.auth.subject import SYSTEM
from czrm.jobs import service
from czrm.jobs.models import Job, JobStatus
from czrm.jobs.registry import task
from czrm.jobs.worker import Worker, slot_start
from czrm.kit.time import frozen_clock

FAILS_LEFT: dict[str, int] = {}


@task("tests.touch")
def touch(session: Session, n: int) -> None:
    """Leaves evidence of each run in the audit log (one entry per run)."""
    record(
        session,
        SYSTEM,
        action="test_job_ran",
        entity_type="test",
        entity_id=n,
        jurisdiction_id=None,
    )


@task("tests.flaky", max_attempts=3)
def flaky(session: Session, name: str) -> None:
    if FAILS_LEFT.get(name, 0) > 0:
        FAILS_LEFT[name] -= 1
        raise RuntimeError(f"{name} failed on purpose")


def test_enqueue_in_a_rolled_back_transaction_leaves_nothing(session: Session) -> None:
    before = session.scalar(select(func.count()).select_from(Job))
    savepoint = session.begin_nested()
    service.enqueue(session, "tests.touch", {"n": 1})
    savepoint.rollback()
    assert session.scalar(select(func.count()).select_from(Job)) == before
    service.enqueue(session, "tests.touch", {"n": 2})
    assert session.scalar(select(func.count()).select_from(Job)) == before + 1


def test_a_key_makes_enqueue_idempotent(session: Session) -> None:
    service.enqueue(session, "tests.touch", {"n": 1}, key="once")
    service.enqueue(session, "tests.touch", {"n": 2}, key="once")
    jobs = session.scalars(select(Job).where(Job.key == "once")).all()
    assert [j.args for j in jobs] == [{"n": 1}]


def test_unknown_task_is_refused(session: Session) -> None:
    import pytest

    with pytest.raises(ValueError, match="unknown task"):
        service.enqueue(session, "tests.nope")


def test_backoff_doubles_and_caps() -> None:
    assert [service.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [15, 30, 60, 120]
    assert service.backoff(30) == timedelta(hours=1)


def test_slot_start_aligns_periods() -> None:
    now = datetime(2026, 5, 1, 10, 7, 31, tzinfo=UTC)
    assert slot_start(now, 300) == datetime(2026, 5, 1, 10, 5, tzinfo=UTC)
    assert slot_start(now, 3600) == datetime(2026, 5, 1, 10, 0, tzinfo=UTC)


def test_two_workers_never_run_a_job_twice(fresh_engine: Engine) -> None:
    sessions = sessionmaker(fresh_engine, expire_on_commit=False)
    with sessions.begin() as session:
        for n in range(120):
            service.enqueue(session, "tests.touch", {"n": n})
    workers = [Worker(sessions, name=f"w{i}") for i in range(2)]
    counts = Counter[str]()

    def work(worker: Worker) -> None:
        while worker.run_once():
            counts[worker.name] += 1

    threads = [threading.Thread(target=work, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    with sessions() as session:
        ran = session.scalars(
            select(AuditEntry.entity_id).where(AuditEntry.action == "test_job_ran")
        ).all()
        statuses = set(session.scalars(select(Job.status)))
    assert sorted(int(n) for n in ran) == list(range(120))
    assert statuses == {JobStatus.DONE}
    assert sum(counts.values()) == 120


def test_failures_retry_with_backoff_then_stay_failed(fresh_engine: Engine) -> None:
    sessions = sessionmaker(fresh_engine, expire_on_commit=False)
    FAILS_LEFT.update({"twice": 2, "always": 99})
    start = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    with frozen_clock(start) as move:
        with sessions.begin() as session:
            service.enqueue(session, "tests.flaky", {"name": "twice"})
            service.enqueue(session, "tests.flaky", {"name": "always"})
        worker = Worker(sessions, name="w")
        assert worker.run_once() and worker.run_once()
        assert not worker.run_once()  # both waiting out their backoff
        with sessions() as session:
            jobs = {j.args["name"]: j for j in session.scalars(select(Job))}
            assert jobs["twice"].status == JobStatus.QUEUED
            assert jobs["twice"].run_at == start + timedelta(seconds=15)
            assert "failed on purpose" in (jobs["twice"].last_error or "")
        for minutes in (1, 2, 3):
            move(start + timedelta(minutes=minutes))
            while worker.run_once():
                pass
        with sessions() as session:
            jobs = {j.args["name"]: j for j in session.scalars(select(Job))}
        assert (jobs["twice"].status, jobs["twice"].attempts) == (JobStatus.DONE, 3)
        assert (jobs["always"].status, jobs["always"].attempts) == (JobStatus.FAILED, 3)
        with sessions.begin() as session:
            retried = service.retry(session, jobs["always"].id)
            assert (retried.status, retried.attempts) == (JobStatus.QUEUED, 0)


def test_a_dead_workers_job_is_requeued_after_the_lease(fresh_engine: Engine) -> None:
    sessions = sessionmaker(fresh_engine, expire_on_commit=False)
    start = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    with frozen_clock(start) as move:
        with sessions.begin() as session:
            service.enqueue(session, "tests.touch", {"n": 7})
        with sessions.begin() as session:  # claimed, then the worker "dies"
            assert service.claim_next(session, "dead") is not None
        with sessions.begin() as session:
            assert service.requeue_stale(session) == 0
        move(start + service.LEASE + timedelta(seconds=1))
        with sessions.begin() as session:
            assert service.requeue_stale(session) == 1
        assert Worker(sessions, name="alive").run_once()
        with sessions() as session:
            job = session.scalars(select(Job)).one()
        assert (job.status, job.attempts) == (JobStatus.DONE, 2)


def test_periodic_slots_are_enqueued_once_across_workers(fresh_engine: Engine) -> None:
    sessions = sessionmaker(fresh_engine, expire_on_commit=False)
    with frozen_clock(datetime(2026, 6, 1, 12, 2, tzinfo=UTC)):
        for name in ("a", "b"):
            Worker(sessions, name=name).schedule_periodic()
    with sessions() as session:
        keys = session.scalars(select(Job.key).where(Job.task == "cases.check_sla")).all()
    assert keys == ["cases.check_sla@2026-06-01T12:00:00+00:00"]
