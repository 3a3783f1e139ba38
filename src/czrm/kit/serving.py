"""Several server processes on one port, each listening on a socket of its own.

With one socket shared by every process (uvicorn's ``--workers``), whichever
process wakes first accepts the connections waiting, and keeps them: measured
with 16 keep-alive clients and 2 processes, the split was 3/13, 7/9 and 0/16,
and at 0/16 one core served everything (452 reads by id a second against
715–721 at the other two). With ``SO_REUSEPORT`` each process binds the port
itself and the kernel shares new connections out between the sockets by a
hash of their addresses.

A process that exits is replaced, as uvicorn's supervisor does; one that exits
within ``EARLY_EXIT_SECONDS`` of its start (a port in use, bad settings) stops
the whole server instead of being restarted over and over.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import threading
import time
from multiprocessing.process import BaseProcess
from typing import Any

import uvicorn

log = logging.getLogger("czrm.serving")
EARLY_EXIT_SECONDS = 10.0
STOP_GRACE_SECONDS = 30.0


def run(app: str, *, host: str, port: int, workers: int, **config: Any) -> int:
    """Serve ``app`` (an import string of an app factory) until stopped; returns
    the exit status."""
    if workers <= 1 or not hasattr(socket, "SO_REUSEPORT"):
        uvicorn.run(app, factory=True, host=host, port=port, workers=workers, **config)
        return 0
    context = multiprocessing.get_context("spawn")
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())

    def start() -> tuple[BaseProcess, float]:
        process = context.Process(target=_serve_one, args=(app, host, port, config))
        process.start()
        return process, time.monotonic()

    processes = [start() for _ in range(workers)]
    status = 0
    while not stop.wait(0.5):
        for i, (process, started) in enumerate(processes):
            if process.is_alive():
                continue
            if time.monotonic() - started < EARLY_EXIT_SECONDS:
                log.error("a server process ended at start (status %s)", process.exitcode)
                status = 1
                stop.set()
                break
            log.warning("a server process exited (status %s): replaced", process.exitcode)
            processes[i] = start()
    for process, _ in processes:
        if process.is_alive():
            process.terminate()  # uvicorn finishes the requests in hand, then exits
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for process, _ in processes:
        process.join(max(deadline - time.monotonic(), 0.1))
        if process.is_alive():
            process.kill()
    return status


def _serve_one(app: str, host: str, port: int, config: dict[str, Any]) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        logging.basicConfig()
        log.error("cannot listen on %s port %s: %s", host, port, exc.strerror)
        raise SystemExit(1) from None
    sock.listen(2048)
    server = uvicorn.Server(uvicorn.Config(app, factory=True, host=host, port=port, **config))
    server.run(sockets=[sock])
