"""A czrm server run as in production, in its own processes, for load tests."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bench.common import OUT
from czrm.kit import crypto


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """``czrm serve`` with N worker processes, production settings, logs at info."""

    def __init__(
        self,
        database_url: str,
        workers: int = 2,
        pool_size: int = 20,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        OUT.mkdir(exist_ok=True)
        self.log_path = OUT / f"server-{self.port}.log"
        self.env = {
            **os.environ,
            "CZRM_DATABASE_URL": database_url,
            "CZRM_ENVIRONMENT": "production",
            "CZRM_SECRET_KEY": secrets.token_urlsafe(48),
            "CZRM_LOG_LEVEL": "info",
            "CZRM_DB_POOL_SIZE": str(pool_size),
            "CZRM_DATA_DIR": str(OUT / "data"),
            # The keys the bench database was seeded with (in this process).
            **crypto.keyring().as_env(),
            **(extra_env or {}),
        }
        self.workers = workers
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        czrm = Path(sys.executable).parent / "czrm"
        log = open(self.log_path, "wb")  # noqa: SIM115 - owned by the process
        self.proc = subprocess.Popen(
            [str(czrm), "serve", "--port", str(self.port), "--workers", str(self.workers)],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited; see {self.log_path}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.__exit__()  # no server left behind
        raise RuntimeError(f"server did not answer in 120 s; see {self.log_path}")

    def __exit__(self, *_exc: object) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
