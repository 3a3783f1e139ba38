"""A worker killed while sending loses nothing and sends nothing twice.

Real ``czrm worker`` processes send 1,000 messages to a real SMTP server on
loopback and are killed with SIGKILL several times along the way. The relay
keeps one copy per Message-ID and counts repeats, as a relay with duplicate
suppression does; see ``czrm.communications.delivery`` for the guarantee.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from czrm.communications import delivery, providers
from czrm.communications.models import Message, MessageStatus
from czrm.communications.service import communication_service
from czrm.config import get_settings
from czrm.jobs.models import Job, JobStatus
from tests.factories import World, create_person
from tests.mailsink import RunningSink

MESSAGES = 1000
KILL_AT = (150, 350, 550, 750)


def _queue(engine: Engine) -> None:
    with sessionmaker(engine).begin() as session:
        world = World(session)
        person = create_person(session, world.jurisdiction, email="many@example.org")
        for n in range(MESSAGES):
            communication_service.queue(
                session,
                person,
                event="public_update",
                purpose="service_updates",
                context={
                    "reference": f"SR-2026-{n:06d}",
                    "service": "Pothole",
                    "note": f"Update number {n}",
                    "track_url": "http://127.0.0.1/requests",
                },
            )


def _worker(engine: Engine, port: int, data_dir: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "CZRM_DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "CZRM_SMTP_HOST": "127.0.0.1",
        "CZRM_SMTP_PORT": str(port),
        "CZRM_COMMS_SINK": "smtp",
        "CZRM_DATA_DIR": str(data_dir),
        "CZRM_LOG_LEVEL": "warning",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "czrm", "worker", "--poll", "0.05"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _unfinished(engine: Engine) -> int:
    """Messages not yet sent plus delivery jobs not yet marked done (a job may be
    between its message's commit and its own)."""
    with Session(engine) as session:
        messages = session.scalar(select(func.count()).where(Message.status != MessageStatus.SENT))
        jobs = session.scalar(
            select(func.count()).where(
                Job.task == "communications.deliver", Job.status != JobStatus.DONE
            )
        )
        return int(messages or 0) + int(jobs or 0)


def test_killed_workers_deliver_every_message_exactly_once(
    fresh_engine: Engine, tmp_path: Path
) -> None:
    _queue(fresh_engine)
    running = RunningSink()
    kills = 0
    with running as sink:
        worker = _worker(fresh_engine, running.port, tmp_path)
        try:
            for threshold in KILL_AT:
                deadline = time.monotonic() + 180
                while sink.count() < threshold and time.monotonic() < deadline:
                    time.sleep(0.01)
                assert sink.count() >= threshold, "the worker stopped making progress"
                worker.send_signal(signal.SIGKILL)
                worker.wait()
                kills += 1
                worker = _worker(fresh_engine, running.port, tmp_path)
            deadline = time.monotonic() + 300
            while _unfinished(fresh_engine) and time.monotonic() < deadline:
                time.sleep(0.2)
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait()

    with Session(fresh_engine) as session:
        messages = session.scalars(select(Message)).all()
        jobs = session.scalars(select(Job).where(Job.task == "communications.deliver")).all()
    assert kills == len(KILL_AT)
    assert len(messages) == MESSAGES
    assert {m.status for m in messages} == {MessageStatus.SENT}
    assert {j.status for j in jobs} == {JobStatus.DONE}
    # Every message reached the relay's mailbox exactly once, under its own key.
    assert len(sink.messages) == MESSAGES
    assert {str(m["Message-ID"]) for m in sink.messages} == {m.key for m in messages}
    # A message was handed over twice only when a kill cut its attempt off
    # between the relay's answer and czrm's commit, and then with the same key.
    resent = {m.key for m in messages if any(h["status"] == "resending" for h in m.history)}
    repeats = {key for key, count in sink.handovers.items() if count > 1}
    assert repeats <= resent
    assert len(resent) <= kills
    assert sum(sink.handovers.values()) == MESSAGES + sum(sink.handovers[k] - 1 for k in repeats)


def test_an_attempt_cut_off_after_the_relay_accepted_is_repeated_with_the_same_key(
    fresh_engine: Engine, monkeypatch: object
) -> None:
    """The deterministic form of the window the kills above may or may not hit."""
    sessions = sessionmaker(fresh_engine, expire_on_commit=False)
    with sessions.begin() as session:
        world = World(session)
        person = create_person(session, world.jurisdiction, email="once@example.org")
        message = communication_service.queue(
            session,
            person,
            event="public_update",
            purpose="service_updates",
            context={
                "reference": "SR-2026-000001",
                "service": "Pothole",
                "note": "x",
                "track_url": "u",
            },
        )
    running = RunningSink()
    settings = get_settings()
    old = settings.smtp_port
    settings.smtp_port = running.port
    try:
        with running as sink:
            # A worker on this host recorded the attempt, the relay said 250,
            # and the process died before recording the outcome.
            with sessions.begin() as session:
                row = session.get(Message, message.id)
                assert row is not None
                row.status = MessageStatus.SENDING
                row.attempts = 1
                row.attempt_by = f"{delivery.this_process().rsplit(':', 1)[0]}:999999999"
                row.attempt_started_at = row.created_at
                provider = providers.build(session, row.jurisdiction_id, "email", "smtp")
                provider.send(delivery._outgoing(session, row))
            assert sink.handovers[message.key] == 1
            assert delivery.deliver(fresh_engine, message.id) == "sent"
            assert delivery.deliver(fresh_engine, message.id) == "sent"
    finally:
        settings.smtp_port = old
    assert sink.handovers[message.key] == 2
    assert len(sink.messages) == 1
    with sessions() as session:
        row = session.get(Message, message.id)
        assert row is not None
        assert [h["status"] for h in row.history] == ["queued", "resending", "sending", "sent"]
        assert row.attempts == 2
