"""`czrm serve --workers N`: processes with a socket each, stopped together."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from czrm.kit import migrate
from czrm.kit.db import create_db_engine

pytestmark = pytest.mark.skipif(
    not hasattr(socket, "SO_REUSEPORT") or not Path("/proc/net/tcp").exists(),
    reason="one socket per process needs SO_REUSEPORT; the listeners are read from /proc",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(tmp_path: Path, port: int) -> subprocess.Popen[bytes]:
    """``czrm serve --workers 2``; what it writes goes to ``serve.log``."""
    url = f"sqlite:///{tmp_path / 'czrm.sqlite3'}"
    engine = create_db_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    env = {
        **os.environ,
        "CZRM_ENVIRONMENT": "test",
        "CZRM_DATABASE_URL": url,
        "CZRM_DATA_DIR": str(tmp_path),
        "CZRM_LOG_LEVEL": "warning",
    }
    return subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "czrm", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=(tmp_path / "serve.log").open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _listeners(port: int) -> int:
    """Sockets listening on ``port`` on loopback (from /proc, as `ss -l` reads it)."""
    listening = "0A"
    wanted = f"0100007F:{port:04X}"
    with open("/proc/net/tcp") as table:
        rows = [line.split() for line in table.readlines()[1:]]
    return sum(1 for row in rows if row[1] == wanted and row[3] == listening)


def test_two_processes_listen_each_on_its_own_socket_and_stop_together(tmp_path: Path) -> None:
    port = _free_port()
    server = _serve(tmp_path, port)
    try:
        deadline = time.monotonic() + 120
        while _listeners(port) < 2:
            assert server.poll() is None, "the server exited"
            assert time.monotonic() < deadline, "two listening sockets never appeared"
            time.sleep(0.2)
        for _ in range(8):  # new connections each time: whichever socket gets them answers
            assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=10).status_code == 200
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=60) == 0
        assert _listeners(port) == 0
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)


def test_a_port_taken_by_another_program_stops_the_server_instead_of_a_restart_loop(
    tmp_path: Path,
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))  # no SO_REUSEPORT: nobody else may bind it
        taken.listen()
        port = int(taken.getsockname()[1])
        server = _serve(tmp_path, port)
        try:
            assert server.wait(timeout=120) == 1
            said = (tmp_path / "serve.log").read_text()
            assert f"cannot listen on 127.0.0.1 port {port}: Address already in use" in said
            assert "a server process ended at start" in said and "Traceback" not in said
        finally:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGKILL)
