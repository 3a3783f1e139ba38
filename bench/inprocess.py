"""The server's own cost of one request, measured in process: the application is
called directly (no network, no wrk), one request at a time, against the bench
database. CPU milliseconds per request hardly move with other work on the
machine, so runs taken on a busy machine still compare; wall time does move.

``python -m bench.inprocess [--requests N]`` prints an Open311 POST (the intake's
request half: a new case with the requester's contact details), GET by id, a list
of 100 and the 360° view (the view bench's person; run ``python -m bench view``
once first). ``--profile FILE`` also writes a pyinstrument profile per case as
``FILE-<case>.html`` (and ``.txt``) when pyinstrument is installed.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bench.common import Result, bench_database
from bench.open311 import UNLIMITED
from bench.seed import DATABASE
from czrm.auth.models import StaffUser
from czrm.auth.service import issue_token, subject_for
from czrm.cases.models import Case, format_reference
from czrm.identity.models import IdentityLink
from czrm.kit import db
from czrm.open311.clients import client_service

# A request as the intake bench's wrk script sends it: form body, contact details.
POST_BODY = (
    "service_code=POTHOLE&attribute%5Bpothole_size%5D=small"
    "&attribute%5Broad_position%5D=carriageway&api_key={key}&lat=52.431&long=-1.512"
    "&description=Reported+by+a+resident+near+the+junction%2C+please+look+soon"
    "&first_name=Amelia&last_name=Smith&email=resident{n}%40example.org"
)


@dataclass(frozen=True)
class Target:
    path: str
    token: str | None = None
    body: str | None = None  # a form body: POSTed, with {n} numbering each request


def _targets(url: str) -> dict[str, Target]:
    engine = db.create_db_engine(url)
    with Session(engine) as session:
        last = session.execute(
            select(Case.id, Case.opened_at).order_by(Case.id.desc()).limit(1)
        ).first()
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
        key, _ = client_service.create(
            session, subject_for(session, admin), name=f"bench in process {uuid.uuid4().hex[:6]}"
        )
        session.commit()
    engine.dispose()
    targets = {
        "POST request": Target(
            "/open311/v2/requests.json", body=POST_BODY.replace("{key}", quote(key))
        ),
        "GET by id": Target(
            f"/open311/v2/requests/{format_reference(last.opened_at.year, last.id)}.json"
        ),
        "list of 100": Target("/open311/v2/requests.json?service_code=POTHOLE&page_size=100"),
    }
    if person is not None:
        targets["360 view"] = Target(f"/api/v1/people/{person}?cases_page_size=100", token)
    return targets


async def _measure(app: Any, target: Target, requests: int, profile: Path | None) -> dict[str, Any]:
    route, _, query = target.path.partition("?")
    headers = [(b"host", b"127.0.0.1")]
    if target.token:
        headers.append((b"authorization", f"Bearer {target.token}".encode()))
    if target.body:
        headers.append((b"content-type", b"application/x-www-form-urlencoded"))
    numbers = itertools.count(int(time.time() * 1000))

    async def one() -> int:
        body = target.body.replace("{n}", str(next(numbers))).encode() if target.body else b""
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST" if target.body else "GET",
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
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]

        await app(scope, receive, send)
        return status

    for _ in range(max(10, requests // 10)):  # warm-up: caches, prepared statements
        if (status := await one()) != 200:
            raise RuntimeError(f"{target.path} answered {status}")
    profiler = _profiler() if profile else None
    if profiler:
        profiler.start()
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(requests):
        await one()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if profiler and profile:
        profiler.stop()
        profile.write_text(profiler.output_html())
        profile.with_suffix(".txt").write_text(profiler.output_text(unicode=True, show_all=False))
    return {
        "requests": requests,
        "wall_ms": wall / requests * 1000,
        "cpu_ms": cpu / requests * 1000,
        "load_average": os.getloadavg()[0],
    }


def _profiler() -> Any:
    try:
        from pyinstrument import Profiler
    except ImportError:
        raise SystemExit("--profile needs pyinstrument: pip install pyinstrument") from None
    return Profiler(interval=0.0005)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.inprocess", description=__doc__)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--profile", type=Path, default=None, help="HTML profile file prefix")
    parser.add_argument("--only", default=None, help="one case, e.g. 'POST request'")
    args = parser.parse_args()
    url = bench_database(DATABASE)
    os.environ["CZRM_DATABASE_URL"] = url
    os.environ.update(UNLIMITED)  # one address and one key post every request
    targets = _targets(url)
    from czrm.app import create_app

    app = create_app()
    result = Result("in-process", {"requests": args.requests, "database": "postgresql"})

    async def run() -> None:
        async with app.router.lifespan_context(app):
            for name, target in targets.items():
                if args.only and name != args.only:
                    continue
                profile = (
                    args.profile.with_name(f"{args.profile.name}-{name.replace(' ', '-')}.html")
                    if args.profile
                    else None
                )
                result.add(case=name, **await _measure(app, target, args.requests, profile))

    asyncio.run(run())
    db.get_engine().dispose()
    result.save_and_print()


if __name__ == "__main__":
    main()
