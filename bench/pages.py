"""Server render time of the web pages at demo scale: ``python -m bench.pages``.

Seeds the demo council as ``czrm demo`` does (2,000 people, 5,000 cases by
default) into a fresh SQLite file, then renders, in process and one after
another, the staff queue (a caseworker's team queue, first page, due soonest)
and the portal's tracking page of random requests. Prints the median, p95 and
mean of each in milliseconds: the time the server spends from request to the
last byte of HTML, without network or browser.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import tempfile
import time
from pathlib import Path

import pyotp
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bench.common import percentile
from czrm.app import create_app
from czrm.auth.totp import DEMO_SECRET
from czrm.cases.models import Case
from czrm.kit import db, migrate
from czrm.seed import catalogue_data as data
from czrm.seed.generate import seed_council, seed_population

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _seed(url: str, people: int, cases: int) -> list[str]:
    from czrm.demo import prepare_web

    engine = db.create_db_engine(url)
    migrate.upgrade(engine)
    with Session(engine) as session, session.begin():
        summary = seed_council(session, seed=1)
        prepare_web(session, summary.jurisdiction_id)
        jurisdiction_id = summary.jurisdiction_id
    seed_population(engine, jurisdiction_id, people=people, cases=cases, seed=1)
    with Session(engine) as session:
        references = [c.reference for c in session.scalars(select(Case))]
    engine.dispose()
    return references


def _sign_in(client: TestClient) -> None:
    token = TOKEN.search(client.get("/console/sign-in").text)
    assert token
    client.post(
        "/console/sign-in",
        data={
            "csrf_token": token.group(1),
            "username": "caseworker",
            "password": data.DEMO_PASSWORD,
        },
    )
    token = TOKEN.search(client.get("/console/two-factor").text)
    assert token
    reply = client.post(
        "/console/two-factor",
        data={"csrf_token": token.group(1), "code": pyotp.TOTP(DEMO_SECRET).now()},
    )
    assert reply.status_code == 200 and "Queues" in reply.text, reply.status_code


def _time(client: TestClient, paths: list[str]) -> list[float]:
    timings = []
    for path in paths:
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return timings


def _line(name: str, timings: list[float]) -> str:
    return (
        f"{name:<28} n={len(timings):<5} median {statistics.median(timings):7.1f} ms   "
        f"p95 {percentile(timings, 95):7.1f} ms   mean {statistics.fmean(timings):7.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.pages", description=__doc__)
    parser.add_argument("--people", type=int, default=2_000)
    parser.add_argument("--cases", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'pages.sqlite3'}"
        references = _seed(url, args.people, args.cases)
        engine = db.create_db_engine(url)
        db.set_engine(engine)
        rng = random.Random(1)
        with TestClient(create_app()) as client:
            _sign_in(client)
            queue = ["/console/queue?view=team&sort=due_at"] * args.requests
            tracking = [f"/requests/{rng.choice(references)}" for _ in range(args.requests)]
            _time(client, queue[:20] + tracking[:20])  # warm up
            results = {
                "staff queue (team, page 1)": _time(client, queue),
                "portal tracking page": _time(client, tracking),
            }
        db.set_engine(None)
        engine.dispose()
    print(f"demo scale: {args.people:,} people, {args.cases:,} cases, SQLite, one process")
    for name, timings in results.items():
        print(_line(name, timings))


if __name__ == "__main__":
    main()
