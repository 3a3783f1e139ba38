"""The server's own cost of one request, measured in process: the application is
called directly (no network, no wrk), one request at a time, against the bench
database. CPU milliseconds per request hardly move with other work on the
machine, so runs taken on a busy machine still compare; wall time does move.

``python -m bench.inprocess [--requests N]`` prints GET by id, a list of 100 and
the 360° view (the view bench's person; run ``python -m bench view`` once first).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bench.common import Result, bench_database
from bench.seed import DATABASE
from czrm.auth.models import StaffUser
from czrm.auth.service import issue_token
from czrm.cases.models import Case, format_reference
from czrm.identity.models import IdentityLink
from czrm.kit import db


def _targets(url: str) -> dict[str, tuple[str, str | None]]:
    engine = db.create_db_engine(url)
    with Session(engine) as session:
        last = session.execute(select(Case.id, Case.opened_at).order_by(Case.id.desc())).first()
        if last is None:
            raise SystemExit("the bench database holds no cases: python -m bench seed first")
        person = session.scalar(
            select(IdentityLink.person_id)
            .group_by(IdentityLink.person_id)
            .order_by(func.count().desc())
            .limit(1)
        )
        admin = session.scalars(select(StaffUser).where(StaffUser.username == "admin")).one()
        token, _ = issue_token(session, admin, "bench in process")
        session.commit()
    engine.dispose()
    targets: dict[str, tuple[str, str | None]] = {
        "GET by id": (
            f"/open311/v2/requests/{format_reference(last.opened_at.year, last.id)}.json",
            None,
        ),
        "list of 100": ("/open311/v2/requests.json?service_code=POTHOLE&page_size=100", None),
    }
    if person is not None:
        targets["360 view"] = (f"/api/v1/people/{person}?cases_page_size=100", token)
    return targets


async def _measure(app: Any, path: str, token: str | None, requests: int) -> dict[str, Any]:
    route, _, query = path.partition("?")
    headers = [(b"host", b"127.0.0.1")]
    if token:
        headers.append((b"authorization", f"Bearer {token}".encode()))

    async def one() -> int:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": route,
            "raw_path": route.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": headers,
            "client": ("127.0.0.1", 5000),
            "server": ("127.0.0.1", 8000),
        }
        status = 0

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]

        await app(scope, receive, send)
        return status

    for _ in range(max(10, requests // 10)):  # warm-up: caches, prepared statements
        if (status := await one()) != 200:
            raise RuntimeError(f"{path} answered {status}")
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(requests):
        await one()
    return {
        "requests": requests,
        "wall_ms": (time.perf_counter() - wall) / requests * 1000,
        "cpu_ms": (time.process_time() - cpu) / requests * 1000,
        "load_average": os.getloadavg()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.inprocess", description=__doc__)
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()
    url = bench_database(DATABASE)
    os.environ["CZRM_DATABASE_URL"] = url
    targets = _targets(url)
    from czrm.app import create_app

    app = create_app()
    result = Result("in-process", {"requests": args.requests, "database": "postgresql"})

    async def run() -> None:
        async with app.router.lifespan_context(app):
            for name, (path, token) in targets.items():
                result.add(case=name, **await _measure(app, path, token, args.requests))

    asyncio.run(run())
    db.get_engine().dispose()
    result.save_and_print()


if __name__ == "__main__":
    main()
