"""Server render time of the web pages: ``python -m bench.pages [--postgresql]``.

Seeds the demo council as ``czrm demo`` does (2,000 people, 5,000 cases by
default) into a fresh SQLite file — or, with ``--postgresql``, uses the bench
database as ``python -m bench seed`` left it (a million cases) — then renders,
in process and one after another, the staff queue (a caseworker's team queue,
first page, due soonest) and the portal's tracking page of random requests.
Prints the median, p95 and mean of each in milliseconds: the time the server
spends from request to the last byte of HTML, without network or browser.
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
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bench.common import Result, bench_database, percentile
from bench.seed import DATABASE
from czrm.app import create_app
from czrm.auth.totp import DEMO_SECRET
from czrm.cases.models import Case
from czrm.kit import db, migrate
from czrm.org.models import Jurisdiction
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


def _bench_database(requests: int) -> tuple[str, list[str], int]:
    """The seeded bench database, ready for sign-in; random references of its cases."""
    from czrm.demo import prepare_web

    url = bench_database(DATABASE)
    engine = db.create_db_engine(url)
    with Session(engine) as session, session.begin():
        council = session.scalar(select(Jurisdiction.id).where(Jurisdiction.slug == data.SLUG))
        if council is None:
            raise SystemExit("the bench database holds no council: python -m bench seed first")
        prepare_web(session, council)
    with Session(engine) as session:
        low, high = session.execute(select(func.min(Case.id), func.max(Case.id))).one()
        total = session.scalar(select(func.count()).select_from(Case)) or 0
        rng = random.Random(1)
        ids = [rng.randint(low, high) for _ in range(requests * 2)]
        references = [c.reference for c in session.scalars(select(Case).where(Case.id.in_(ids)))]
    engine.dispose()
    return url, references, total


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


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.pages", description=__doc__)
    parser.add_argument("--people", type=int, default=2_000)
    parser.add_argument("--cases", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument(
        "--postgresql", action="store_true", help="the seeded bench database (CZRM_BENCH_DB)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.postgresql:
            url, references, cases = _bench_database(args.requests)
            scale = f"bench database: {cases:,} cases, PostgreSQL, one process"
        else:
            url = f"sqlite:///{Path(tmp) / 'pages.sqlite3'}"
            references = _seed(url, args.people, args.cases)
            scale = f"demo scale: {args.people:,} people, {args.cases:,} cases, SQLite, one process"
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
    print(scale)
    result = Result("pages", {"scale": scale, "requests": args.requests})
    for name, timings in results.items():
        result.add(
            case=name,
            p50_ms=statistics.median(timings),
            p95_ms=percentile(timings, 95),
            mean_ms=statistics.fmean(timings),
        )
    result.save_and_print()


if __name__ == "__main__":
    main()
