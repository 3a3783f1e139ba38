"""Against a real server on loopback: a third-party client library, and
concurrent retries with one Idempotency-Key (one case, however many arrive)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import httpx
import pytest
import uvicorn
from georeport import GeoReport
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from czrm.app import create_app
from czrm.cases.models import Case
from czrm.kit import db
from czrm.kit.cache import clear_all
from czrm.open311.config import get_open311_settings
from tests.open311 import schemas
from tests.open311.conftest import Council, build_council

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@contextmanager
def live_server(engine: Engine) -> Iterator[str]:
    """The app on a free loopback port, in a thread, using ``engine``."""
    previous = db._engine  # noqa: SLF001 - restored below
    db.set_engine(engine)
    clear_all()
    config = uvicorn.Config(
        create_app(check_database=False),
        host="127.0.0.1",
        port=0,
        log_level="warning",
        lifespan="off",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
            time.sleep(0.02)
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}/open311/v2"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        db.set_engine(previous)
        clear_all()


@pytest.fixture
def committed(fresh_engine: Engine, engine: Engine) -> Council:
    with Session(fresh_engine, expire_on_commit=False) as session:
        council = build_council(session)
        session.commit()
    return council


def _cases(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(Case)) or 0)


def test_georeport_library_reads_both_formats(committed: Council, fresh_engine: Engine) -> None:
    with live_server(fresh_engine) as base:
        created = httpx.post(
            f"{base}/requests.json",
            data={
                "api_key": committed.key,
                "service_code": "POTHOLE",
                "lat": "52.43",
                "long": "-1.53",
                "attribute[size]": "small",
                "attribute[hazards][]": ["traffic", "water"],
                "description": "Outside the library",
            },
            files=[("media", ("p.png", PNG, "image/png"))],
        )
        assert created.status_code == 200, created.text
        reference = schemas.check(created.json(), schemas.POST_RESPONSE)[0]["service_request_id"]

        for fmt in ("json", "xml"):
            api = GeoReport(base, jurisdiction=committed.slug, output_format=fmt)
            services = api.get_service_list()
            assert {s["service_code"] for s in services} == {"POTHOLE", "REPAIR", "BULKY"}
            definition = api.get_service_definition("POTHOLE")
            assert definition["service_code"] == "POTHOLE"
            requests = api.get_service_requests(status="open", service_code="POTHOLE")
            if isinstance(requests, dict):  # xmltodict gives a dict for a single element
                requests = [requests]
            assert [r["service_request_id"] for r in requests] == [reference]
            one = api.get_service_request(reference)
            assert one["service_request_id"] == reference
            assert one["description"] == "Outside the library"
            assert one["status"] == "open"
            media_url = one["media_url"]
            assert media_url.startswith(base + "/media/")
            assert httpx.get(media_url).content == PNG


def test_fifty_concurrent_retries_make_one_case(
    committed: Council, fresh_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = get_open311_settings()
    monkeypatch.setattr(settings, "rate_per_key", 1000)
    monkeypatch.setattr(settings, "rate_per_address", 1000)
    form = {
        "api_key": committed.key,
        "service_code": "POTHOLE",
        "address_string": "1 High Street",
        "attribute[size]": "large",
        "description": "Sent by a flaky mobile connection",
    }
    with live_server(fresh_engine) as base:
        before = _cases(fresh_engine)
        with httpx.Client(timeout=60, limits=httpx.Limits(max_connections=60)) as http:

            def send(_n: int) -> httpx.Response:
                return http.post(
                    f"{base}/requests.json", data=form, headers={"Idempotency-Key": "one-report"}
                )

            with ThreadPoolExecutor(max_workers=50) as pool:
                responses = list(pool.map(send, range(50)))
        assert [r.status_code for r in responses] == [200] * 50, {
            r.status_code: r.text for r in responses
        }
        bodies = {r.text for r in responses}
        assert len(bodies) == 1
        assert _cases(fresh_engine) == before + 1
        reference = responses[0].json()[0]["service_request_id"]
        shown = httpx.get(f"{base}/requests/{reference}.json").json()
        assert shown[0]["description"] == "Sent by a flaky mobile connection"
