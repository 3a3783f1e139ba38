"""A live czrm for the browser tests: its own SQLite database seeded with the
demo council, uvicorn in a subprocess on a free loopback port, and Debian's
Chromium driven by Playwright. Nothing is downloaded: the browser is the
system's, axe-core comes from node_modules.

Screenshots of failed tests and the list of pages axe checked go to
``CZRM_ARTIFACTS_DIR`` (default: a ``czrm-browser-artifacts`` temp folder).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select
from sqlalchemy.orm import Session

from czrm.auth import totp
from czrm.auth.models import Role, StaffUser
from czrm.auth.service import staff_service
from czrm.auth.subject import SYSTEM
from czrm.kit import db, migrate
from czrm.seed import catalogue_data as data

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CZRM_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(
    os.environ.get("CZRM_ARTIFACTS_DIR") or Path(tempfile.gettempdir()) / "czrm-browser-artifacts"
)
ADMIN = "axe-admin"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

sync_api = pytest.importorskip("playwright.sync_api")


class Inbox:
    """Mail the live server's worker sends, caught by an SMTP server on loopback."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:  # noqa: N802
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def wait_for(self, to: str, timeout: float = 60.0) -> Message:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.messages:
                if message["To"] == to:
                    return message
            time.sleep(0.1)
        raise AssertionError(f"no mail to {to} within {timeout} s")


@dataclass
class LiveServer:
    url: str
    data_dir: Path
    database_url: str
    new_staff: str  # a seeded login with no second factor yet (enrols on first sign-in)
    inbox: Inbox
    checked: list[str] = field(default_factory=list)

    def session(self) -> Session:
        engine = db.create_db_engine(self.database_url)
        return Session(engine, expire_on_commit=False)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _seed(database_url: str) -> str:
    from czrm.demo import prepare_web
    from czrm.seed.generate import seed_council, seed_population

    engine = db.create_db_engine(database_url)
    migrate.upgrade(engine)
    with Session(engine) as session, session.begin():
        summary = seed_council(session, seed=7)
        prepare_web(session, summary.jurisdiction_id)
        jurisdiction_id = summary.jurisdiction_id
        # An administrator of its own, so no other test's sign-in spends its code.
        admin = staff_service.create(
            session,
            SYSTEM,
            jurisdiction_id,
            username=ADMIN,
            display_name="Axe Admin",
            email="axe-admin@northmere.example",
            password=data.DEMO_PASSWORD,
            roles=[Role.ADMIN],
            departments=[],
        )
        totp.enrol_demo(session, admin)
    seed_population(engine, jurisdiction_id, people=150, cases=300, seed=7)
    with Session(engine) as session:
        fixed = {login.username for login in data.FIXED_LOGINS}
        new_staff = next(
            s.username
            for s in session.scalars(select(StaffUser).order_by(StaffUser.username))
            if s.username not in fixed and s.totp_secret is None and "caseworker" in s.roles
        )
    engine.dispose()
    return new_staff


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: apt-get install chromium (.ci/run does)")
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make assets` (npm ci)")
    data_dir = tmp_path_factory.mktemp("live")
    database_url = f"sqlite:///{data_dir / 'czrm.sqlite3'}"
    new_staff = _seed(database_url)
    port = _free_port()
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    smtp.start()
    env = {
        **os.environ,
        "CZRM_ENVIRONMENT": "test",
        "CZRM_DATABASE_URL": database_url,
        "CZRM_DATA_DIR": str(data_dir),
        "CZRM_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        # A tile server that is not there: the map must still work without tiles.
        "CZRM_MAP_TILE_URL": f"http://127.0.0.1:{port}/no-tiles/{{z}}/{{x}}/{{y}}.png",
        "CZRM_SMTP_HOST": "127.0.0.1",
        "CZRM_SMTP_PORT": str(smtp.port),
    }
    log = (data_dir / "server.log").open("w")
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [
            sys.executable,
            "-m",
            "uvicorn",
            "czrm.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "czrm", "worker", "--poll", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    # Generous: on a loaded machine the import alone has taken over a minute.
    deadline = time.monotonic() + 180
    while True:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            for process in (server, worker):  # the worker too: it would outlive the run
                process.kill()
            pytest.fail(f"the live server did not start: {(data_dir / 'server.log').read_text()}")
        time.sleep(0.2)
    live = LiveServer(url, data_dir, database_url, new_staff, inbox)
    yield live
    for process in (server, worker):
        process.terminate()
        process.wait(timeout=10)
    smtp.stop()
    log.close()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    checked = ARTIFACTS / f"axe-pages-{os.getpid()}.txt"
    checked.write_text("\n".join(sorted(set(live.checked))) + "\n")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


class Pages:
    """Browser contexts for one test; each page is screenshotted if the test fails."""

    def __init__(self, browser: Any, live: LiveServer) -> None:
        self.browser = browser
        self.live = live
        self.contexts: list[Any] = []
        # What the browser refused under the Content-Security-Policy, per page.
        self.blocked: list[str] = []

    def new(self, *, javascript: bool = True, locale: str = "en-GB") -> Any:
        context = self.browser.new_context(
            base_url=self.live.url, java_script_enabled=javascript, locale=locale
        )
        context.set_default_timeout(30_000)
        self.contexts.append(context)
        page = context.new_page()

        def watch(message: Any) -> None:
            if message.type == "error" and "Content Security Policy" in message.text:
                self.blocked.append(f"{page.url}: {message.text}")

        page.on("console", watch)
        return page

    def close(self, failed: bool, name: str) -> None:
        for index, context in enumerate(self.contexts):
            if failed:
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                for number, page in enumerate(context.pages):
                    target = ARTIFACTS / f"{name}-{index}-{number}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(f"screenshot of the failure: {target}")
            context.close()


@pytest.fixture
def pages(browser: Any, live_server: LiveServer, request: pytest.FixtureRequest) -> Iterator[Pages]:
    opened = Pages(browser, live_server)
    yield opened
    report = getattr(request.node, "report_call", None)
    opened.close(bool(report and report.failed), request.node.name)
    assert opened.blocked == [], f"the CSP blocked something: {opened.blocked}"


@pytest.fixture
def axe(live_server: LiveServer) -> Any:
    """Run axe-core in the page; fail on any violation, naming rule and element."""
    source = AXE.read_text()

    def check(page: Any) -> None:
        page.evaluate(source + "\n;void 0")
        violations = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
            ".then(r => r.violations.map(v => ({id: v.id, help: v.help,"
            " nodes: v.nodes.map(n => n.html.slice(0, 160))})))",
            AXE_TAGS,
        )
        path = page.url.replace(live_server.url, "")
        assert violations == [], f"axe found problems on {path}: {violations}"
        live_server.checked.append(f"{page.title()}  {path}")

    return check
