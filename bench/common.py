"""What every workload shares: the machine, the result file, the table."""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

import czrm

OUT = Path(__file__).resolve().parent / "out"
console = Console(width=140)
PG_SERVER = os.environ.get("CZRM_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


def machine() -> dict[str, Any]:
    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    versions: dict[str, str] = {"python": platform.python_version(), "czrm": czrm.__version__}
    for module in ("sqlalchemy", "fastapi", "uvicorn", "psycopg", "starlette", "pydantic"):
        try:
            versions[module] = __import__(module).__version__
        except (ImportError, AttributeError):
            continue
    try:
        pg = subprocess.run(["psql", "--version"], capture_output=True, text=True, check=False)
        versions["postgresql-client"] = pg.stdout.strip()
    except OSError:
        pass
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "platform": platform.platform(),
        "commit": commit,
        "versions": versions,
    }


@dataclass
class Result:
    workload: str
    parameters: dict[str, Any]
    rows: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, **row: Any) -> None:
        self.rows.append(row)

    def save_and_print(self) -> Path:
        OUT.mkdir(exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        path = OUT / f"{self.workload}-{stamp}.json"
        body = {
            "workload": self.workload,
            "at": datetime.now(UTC).isoformat(),
            "machine": machine(),
            "parameters": self.parameters,
            "figures": self.rows,
            "notes": self.notes,
        }
        path.write_text(json.dumps(body, indent=2, default=str))
        table = Table(title=f"{self.workload} — {json.dumps(self.parameters, default=str)}")
        columns: list[str] = []
        for row in self.rows:
            for key in row:
                if key not in columns:
                    columns.append(key)
        for column in columns:
            table.add_column(column, justify="right" if column != "case" else "left")
        for row in self.rows:
            table.add_row(*[_fmt(row.get(c)) for c in columns])
        console.print(table)
        for note in self.notes:
            console.print(f"  note: {note}")
        console.print(f"  written to {path}")
        return path


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        if abs(value) < 1:
            return f"{value:.4f}"
        return f"{value:,.2f}" if value < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return "" if value is None else str(value)


def peak_rss_mb() -> float:
    """Peak resident memory of this process (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def bench_database(name: str) -> str:
    """The URL of a benchmark database on the PostgreSQL server (created if absent)."""
    server = make_url(PG_SERVER).set(drivername="postgresql+psycopg")
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        ).first()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


def drop_database(name: str) -> None:
    server = make_url(PG_SERVER).set(drivername="postgresql+psycopg")
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


class Timer:
    def __enter__(self) -> Timer:
        self.started = time.perf_counter()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.seconds = time.perf_counter() - self.started


def python() -> str:
    return sys.executable


class Workers:
    """``count`` real ``czrm worker`` processes run with ``env`` for the block;
    ``cpu_seconds`` is their user and system CPU, start-up included, once stopped."""

    def __init__(self, env: dict[str, str], count: int) -> None:
        self.env = env
        self.count = count
        self.cpu_seconds = 0.0
        self._procs: list[subprocess.Popen[bytes]] = []

    def __enter__(self) -> Workers:
        self._before = resource.getrusage(resource.RUSAGE_CHILDREN)
        self._procs = [
            subprocess.Popen(
                [python(), "-m", "czrm", "worker", "--poll", "0.05"],
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(self.count)
        ]
        return self

    def __exit__(self, *_exc: object) -> None:
        for proc in self._procs:
            proc.terminate()
        for proc in self._procs:
            proc.wait(timeout=30)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.cpu_seconds = (after.ru_utime - self._before.ru_utime) + (
            after.ru_stime - self._before.ru_stime
        )
