"""Send throughput: real ``czrm worker`` processes delivering queued messages
to an SMTP server on loopback (aiosmtpd), on SQLite and on PostgreSQL.

Each message costs a job claim, the attempt record, the SMTP conversation
(a new connection per message, as ``czrm.kit.mail`` does), the outcome and
the job's completion: five commits. The figure is messages per second from
the first message accepted by the relay to the last (worker start-up is
excluded and shown apart), and the workers' CPU time per message, which
holds however busy the machine is.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bench.common import Result, Workers, bench_database, console, drop_database
from czrm.communications.models import Message, MessageStatus
from czrm.communications.service import communication_service
from czrm.kit import migrate
from czrm.kit.db import create_db_engine
from czrm.org.models import Jurisdiction
from czrm.people.models import ContactKind, ContactPoint, Person

PG_NAME = "czrm_bench_send"


class CountingRelay:
    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        with self.lock:
            self.count += 1
        return "250 OK"


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _queue(url: str, messages: int) -> None:
    engine = create_db_engine(url)
    migrate.upgrade(engine)
    with sessionmaker(engine).begin() as session:
        council = Jurisdiction(slug=f"bench-{uuid.uuid4().hex[:6]}", name="Bench Council")
        session.add(council)
        session.flush()
        people = []
        for n in range(max(messages // 10, 1)):
            person = Person(
                jurisdiction_id=council.id, display_name=f"Resident {n}", preferred_language="en"
            )
            session.add(person)
            session.flush()
            session.add(
                ContactPoint(
                    party_id=person.id, kind=ContactKind.EMAIL, value=f"resident{n}@example.org"
                )
            )
            people.append(person)
        session.flush()
        for n in range(messages):
            communication_service.queue(
                session,
                people[n % len(people)],
                event="public_update",
                purpose="service_updates",
                context={
                    "reference": f"SR-2026-{n:06d}",
                    "service": "Pothole",
                    "note": "A crew is on the way.",
                    "track_url": "http://127.0.0.1:8000/requests",
                },
            )
    engine.dispose()


def _run(url: str, messages: int, workers: int, data_dir: Path) -> dict[str, Any]:
    _queue(url, messages)
    relay = CountingRelay()
    port = _free_port()
    controller = Controller(relay, hostname="127.0.0.1", port=port)
    controller.start()
    env = {
        **os.environ,
        "CZRM_DATABASE_URL": url,
        "CZRM_SMTP_HOST": "127.0.0.1",
        "CZRM_SMTP_PORT": str(port),
        "CZRM_COMMS_SINK": "smtp",
        "CZRM_DATA_DIR": str(data_dir),
        "CZRM_LOG_LEVEL": "warning",
    }
    engine = create_db_engine(url)
    started = time.perf_counter()
    workers_run = Workers(env, workers)
    try:
        with workers_run:
            deadline = time.monotonic() + max(120, messages / 5)
            while time.monotonic() < deadline:
                with Session(engine) as session:
                    left = session.scalar(
                        select(func.count()).where(Message.status != MessageStatus.SENT)
                    )
                if not left:
                    break
                time.sleep(0.1)
            wall = time.perf_counter() - started
        with Session(engine) as session:
            first, last, sent = session.execute(
                select(func.min(Message.sent_at), func.max(Message.sent_at), func.count()).where(
                    Message.status == MessageStatus.SENT
                )
            ).one()
    finally:
        controller.stop()
        engine.dispose()
    cpu = workers_run.cpu_seconds
    span = (last - first).total_seconds() if first and last and last > first else float("nan")
    return {
        "workers": workers,
        "messages": messages,
        "sent": sent,
        "relay_received": relay.count,
        "msgs_per_s": (sent - 1) / span if span == span and span > 0 else float("nan"),
        "sending_s": span,
        "wall_s_incl_startup": wall,
        "worker_cpu_ms_per_msg": cpu * 1000 / max(sent, 1),
    }


def main(*, smoke: bool, messages: int | None = None, workers: int | None = None) -> None:
    count = messages or (50 if smoke else 2000)
    worker_counts = [workers] if workers else ([1] if smoke else [1, 2])
    result = Result("send", {"messages": count, "relay": "aiosmtpd on loopback"})
    with tempfile.TemporaryDirectory(prefix="czrm-bench-send-") as tmp:
        for database in ("sqlite", "postgresql"):
            for n in worker_counts:
                if database == "sqlite":
                    url = f"sqlite:///{Path(tmp) / f'send-{n}.sqlite3'}"
                else:
                    drop_database(PG_NAME)
                    url = bench_database(PG_NAME)
                console.print(f"sending {count} messages with {n} worker(s) on {database}…")
                try:
                    result.add(database=database, **_run(url, count, n, Path(tmp)))
                finally:
                    if database == "postgresql":
                        drop_database(PG_NAME)
    result.notes.append("msgs_per_s: first to last message accepted by the relay")
    result.notes.append(
        "worker_cpu_ms_per_msg: user+system CPU of the worker processes (start-up included) "
        "per message sent; it does not depend on how busy the machine is"
    )
    result.notes.append(f"load average at the end: {os.getloadavg()[0]:.1f}")
    result.save_and_print()
