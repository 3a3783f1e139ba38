"""Open311 intake and reads against a production-like server, with wrk.

Intake also measures the ceiling: the rows one intake writes (the case with
its encrypted contact details, timeline event, job and pending audit entry)
inserted straight into PostgreSQL with psycopg from the same number of
connections; and then the workers' side of each intake (finding or creating
the person, queueing the acknowledgement), drained by real ``czrm worker``
processes.
"""

from __future__ import annotations

import json
import os
import random
import threading
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import psycopg
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bench import wrk
from bench.common import OUT, Result, Workers, console, percentile
from bench.seed import seeded_url
from bench.server import Server
from czrm.cases.models import Case
from czrm.catalogue.models import Service
from czrm.jobs.models import Job, JobStatus
from czrm.kit import crypto
from czrm.kit.db import create_db_engine
from czrm.seed import catalogue_data

UNLIMITED = {"CZRM_OPEN311_RATE_PER_KEY": "0", "CZRM_OPEN311_RATE_PER_ADDRESS": "0"}


def _admin_key(base: str) -> str:
    token = httpx.post(
        f"{base}/api/v1/auth/token",
        json={"username": "admin", "password": catalogue_data.DEMO_PASSWORD},
    ).json()["access_token"]
    created = httpx.post(
        f"{base}/api/v1/open311/clients",
        headers={"Authorization": f"Bearer {token}"},
        json={"name": f"bench {uuid.uuid4().hex[:6]}"},
    )
    created.raise_for_status()
    return str(created.json()["api_key"])


def _service_bodies(base: str) -> list[str]:
    """A valid form fragment per realtime service: its required questions answered."""
    fragments = []
    for service in httpx.get(f"{base}/open311/v2/services.json").json():
        if service["type"] != "realtime":
            continue
        definition = httpx.get(f"{base}/open311/v2/services/{service['service_code']}.json").json()
        parts = [f"service_code={service['service_code']}"]
        for attribute in definition.get("attributes", []):
            if not attribute["required"]:
                continue
            code = attribute["code"]
            if attribute["datatype"] in ("singlevaluelist", "multivaluelist"):
                value = attribute["values"][0]["key"]
            elif attribute["datatype"] == "number":
                value = "3"
            elif attribute["datatype"] == "datetime":
                value = "2026-11-20T10:00:00Z"
            else:
                value = "seen+from+the+bus"
            suffix = "[]" if attribute["datatype"] == "multivaluelist" else ""
            parts.append(
                f"attribute%5B{code}%5D{suffix.replace('[', '%5B').replace(']', '%5D')}={value}"
            )
        fragments.append("&".join(parts))
    return fragments


INTAKE_LUA = """
local fragments = {FRAGMENTS}
local key = "{KEY}"
local first = {"Amelia","Oliver","Isla","George","Ava","Noah","Mia","Arthur","Ivy","Leo"}
local last = {"Smith","Jones","Taylor","Brown","Wilson","Johnson","Davies","Patel","Khan"}

init = function(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end
request = function()

  local lat = 52.40 + math.random() * 0.06
  local long = -1.56 + math.random() * 0.10
  local n = math.random(1, 200000)
  local body = fragments[math.random(#fragments)] ..
    "&api_key=" .. key ..
    string.format("&lat=%.6f&long=%.6f", lat, long) ..
    "&description=Reported+by+a+resident+near+the+junction%2C+please+look+soon" ..
    "&first_name=" .. first[math.random(#first)] .. "&last_name=" .. last[math.random(#last)] ..
    "&email=resident" .. n .. "%40example.org"
  return wrk.format("POST", "/open311/v2/requests.json",
    {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
"""


def _lua_list(items: list[str]) -> str:
    return "{" + ",".join(json.dumps(i) for i in items) + "}"


def _ceiling(database_url: str, connections: int, seconds: int) -> dict[str, Any]:
    """The same rows czrm writes per intake, inserted with psycopg, one transaction each."""
    engine = create_db_engine(database_url)
    with Session(engine) as session:
        service = session.scalars(select(Service).where(Service.code == "POTHOLE")).one()
        service_id, department_id, jurisdiction_id = (
            service.id,
            service.department_id,
            service.jurisdiction_id,
        )
    engine.dispose()
    dsn = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    latencies: list[list[float]] = [[] for _ in range(connections)]
    stop = time.monotonic() + seconds

    def worker(slot: int) -> None:
        with psycopg.connect(dsn) as conn:
            while time.monotonic() < stop:
                began = time.perf_counter()
                now = datetime.now(UTC)
                with conn.transaction():
                    contact = crypto.keyring().encrypt(
                        json.dumps(
                            {
                                "given_name": "Amelia",
                                "family_name": "Smith",
                                "email": f"r{random.randrange(10**9)}@example.org",
                            }
                        ),
                        "cases.requester_contact",
                    )
                    case_id = conn.execute(
                        "INSERT INTO cases (jurisdiction_id, service_id, requester_contact, "
                        "channel, description, attributes, media_urls, lat, long, status, "
                        "priority, department_id, opened_at, updated_at, due_at, paused_minutes) "
                        "VALUES (%s, %s, %s, 'open311', 'Reported by a resident', '{}', '[]', "
                        "52.43, -1.5, 'new', 'normal', %s, %s, %s, %s, 0) RETURNING id",
                        (jurisdiction_id, service_id, contact, department_id, now, now, now),
                    ).fetchone()[0]  # type: ignore[index]
                    conn.execute(
                        "INSERT INTO case_events (case_id, type, occurred_at, actor_label, "
                        "public, to_status, data) VALUES (%s, 'case_opened', %s, 'bench', true, "
                        "'new', '{}')",
                        (case_id, now),
                    )
                    conn.execute(
                        "INSERT INTO jobs (task, args, key, status, attempts, max_attempts, "
                        "run_at, created_at) VALUES ('identity.attach_requester', %s, %s, "
                        "'queued', 0, 10, %s, %s)",
                        (json.dumps({"case_id": case_id}), f"bench-case:{case_id}", now, now),
                    )
                    # The audit entry, as czrm writes it: chained later by a sealer.
                    conn.execute(
                        "INSERT INTO audit_pending (occurred_at, actor_type, action, "
                        "entity_type, entity_id, details) VALUES "
                        "(%s, 'client', 'case_opened', 'case', %s, %s)",
                        (now, str(case_id), json.dumps({"service": "POTHOLE"})),
                    )
                latencies[slot].append((time.perf_counter() - began) * 1000)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    flat = [v for slot in latencies for v in slot]
    return {
        "connections": connections,
        "requests": len(flat),
        "req_per_s": len(flat) / elapsed,
        "p50_ms": percentile(flat, 50),
        "p95_ms": percentile(flat, 95),
        "p99_ms": percentile(flat, 99),
        "max_ms": max(flat) if flat else 0.0,
        "errors": 0,
    }


ATTACH = "identity.attach_requester"


def _attach_left(engine: Engine) -> int:
    with Session(engine) as session:
        return (
            session.scalar(
                select(func.count()).where(Job.task == ATTACH, Job.status == JobStatus.QUEUED)
            )
            or 0
        )


def _drain(url: str, workers: int, seconds: int) -> dict[str, Any]:
    """The workers' half of the intakes just measured: real ``czrm worker``
    processes attach each request's person and queue its acknowledgement
    (delivered to files), for at most ``seconds``. The rate runs from the first
    attachment to the last, so the workers' start-up is not counted in it."""
    engine = create_db_engine(url)
    queued = _attach_left(engine)
    env = {
        **os.environ,
        "CZRM_DATABASE_URL": url,
        "CZRM_COMMS_SINK": "file",
        "CZRM_DATA_DIR": str(OUT / "data"),
        "CZRM_LOG_LEVEL": "warning",
        **crypto.keyring().as_env(),
    }
    started_at = datetime.now(UTC)
    with Workers(env, workers) as workers_run:
        deadline = time.monotonic() + seconds
        left = queued
        while left and time.monotonic() < deadline:
            time.sleep(0.5)
            left = _attach_left(engine)
    with Session(engine) as session:
        first, last, done = session.execute(
            select(func.min(Job.finished_at), func.max(Job.finished_at), func.count()).where(
                Job.task == ATTACH, Job.status == JobStatus.DONE, Job.finished_at >= started_at
            )
        ).one()
        # Deliveries of acknowledgements (this run's, or a backlog) share the workers.
        other = session.scalar(
            select(func.count()).where(
                Job.task != ATTACH, Job.status == JobStatus.DONE, Job.finished_at >= started_at
            )
        )
    engine.dispose()
    cpu = workers_run.cpu_seconds
    span = (last - first).total_seconds() if done > 1 else 0.0
    return {
        "workers": workers,
        "queued": queued,
        "attached": done,
        "left": left,
        "other_jobs_done": other,
        "req_per_s": (done - 1) / span if span > 0 else 0.0,
        "worker_cpu_ms_per_job": cpu * 1000 / max(done + (other or 0), 1),
    }


def intake(*, seconds: int, connections: list[int], workers: int, cases: int) -> Result:
    url, _ = seeded_url(people=max(cases // 2, 100), cases=cases)
    result = Result(
        "open311-intake",
        {"seconds": seconds, "workers": workers, "seeded_cases": cases, "database": "postgresql"},
    )
    with Server(url, workers=workers, extra_env=UNLIMITED) as server:
        key = _admin_key(server.url)
        script = INTAKE_LUA.replace("{FRAGMENTS}", _lua_list(_service_bodies(server.url)))
        script = script.replace("{KEY}", key)
        sample = httpx.post(
            f"{server.url}/open311/v2/requests.json",
            content=(
                _service_bodies(server.url)[0] + f"&api_key={key}&lat=52.43&long=-1.5"
                "&email=check%40example.org"
            ),
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        if sample.status_code != 200:
            raise RuntimeError(f"intake request refused: {sample.status_code} {sample.text}")
        measured = {
            conns: wrk.run(server.url, script, connections=conns, seconds=seconds)
            for conns in connections
        }
    # The ceiling runs once the server has let go of its connections.
    for conns, figures in measured.items():
        result.add(case=f"czrm POST c={conns}", **figures)
        ceiling = _ceiling(url, conns, seconds)
        result.add(case=f"ceiling c={conns}", **ceiling)
        result.notes.append(
            f"c={conns}: czrm / ceiling = {figures['req_per_s'] / ceiling['req_per_s']:.2f}"
        )
    # The ceiling's job rows stand for work the drain below must not count.
    engine = create_db_engine(url)
    with engine.begin() as conn:
        conn.execute(delete(Job).where(Job.key.like("bench-case:%")))
    engine.dispose()
    drained = _drain(url, workers=2, seconds=max(seconds * 2, 20))
    result.add(case="workers: attach requester + queue acknowledgement", **drained)
    result.notes.append(
        "the workers' row: requests whose person was found or created, and whose "
        "acknowledgement was queued, per second by 2 `czrm worker` processes, which also "
        "deliver the acknowledgements (to files): other_jobs_done; worker CPU per job "
        "includes their start-up"
    )
    return result


READ_LUA = """
local lo, hi, year = {LO}, {HI}, "{YEAR}"
init = function(args) math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16)) end
request = function()
  local id = math.random(lo, hi)
  return wrk.format("GET", string.format("/open311/v2/requests/SR-%s-%06d.json", year, id))
end
"""

LIST_LUA = """
local codes = {CODES}
request = function()
  return wrk.format("GET", "/open311/v2/requests.json?service_code=" ..
    codes[math.random(#codes)] .. "&page_size={SIZE}")
end
"""


def reads(*, seconds: int, connections: list[int], workers: int, cases: int) -> Result:
    url, _ = seeded_url(people=max(cases // 2, 100), cases=cases)
    engine = create_db_engine(url)
    with Session(engine) as session:
        recent = session.execute(
            select(Case.id, Case.opened_at).order_by(Case.id.desc()).limit(1)
        ).one()
        year = recent.opened_at.year
        low = session.scalar(
            select(Case.id)
            .where(Case.opened_at >= datetime(year, 1, 1, tzinfo=UTC))
            .order_by(Case.id)
            .limit(1)
        )
        codes = list(session.scalars(select(Service.code).where(Service.active.is_(True))))
    engine.dispose()
    result = Result(
        "open311-reads",
        {"seconds": seconds, "workers": workers, "seeded_cases": cases, "database": "postgresql"},
    )
    by_id = (
        READ_LUA.replace("{LO}", str(low))
        .replace("{HI}", str(recent.id))
        .replace("{YEAR}", str(year))
    )
    with Server(url, workers=workers) as server:
        check = httpx.get(f"{server.url}/open311/v2/requests/SR-{year}-{recent.id:06d}.json")
        if check.status_code != 200:
            raise RuntimeError(f"read refused: {check.status_code} {check.text[:200]}")
        scripts = {"GET by id": by_id}
        for size in (100, 10):
            scripts[f"list of {size}"] = LIST_LUA.replace("{CODES}", _lua_list(codes)).replace(
                "{SIZE}", str(size)
            )
        # Warm the processes and PostgreSQL's buffers; the warm-up is not reported.
        for script in scripts.values():
            wrk.run(server.url, script, connections=connections[0], seconds=min(5, seconds))
        for conns in connections:
            for name, script in scripts.items():
                result.add(
                    case=f"{name} c={conns}",
                    **wrk.run(server.url, script, connections=conns, seconds=seconds),
                )
    return result


def main(name: str, *, smoke: bool, seconds: int, workers: int, cases: int) -> None:
    connections = [4] if smoke else [16, 64]
    if not wrk.available():
        console.print("[red]wrk is not installed (apt-get install wrk)[/red]")
        raise SystemExit(2)
    run = intake if name == "intake" else reads
    run(seconds=seconds, connections=connections, workers=workers, cases=cases).save_and_print()
