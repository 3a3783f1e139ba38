"""Every check czrm has, independent ones in parallel: lint, types, migrations,
the whole test suite on SQLite and on PostgreSQL, the browser journeys in
Chromium (screenshots of failures under the run's temp folder), and the benchmarks in smoke
mode (so they never rot; their figures are not judged here).

Exits non-zero if anything fails, including a test run that collected no tests
(pytest's exit code 5), so an empty run can never pass silently.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG_URL = os.environ.get("CZRM_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _check_migrations(url: str) -> list[str]:
    code = (
        "import sys\n"
        "from czrm.kit.db import create_db_engine\n"
        "from czrm.kit import migrate\n"
        "engine = create_db_engine(sys.argv[1])\n"
        "migrate.upgrade(engine)\n"
        "migrate.check(engine)\n"
        "print('migrations: models and migrations agree on', engine.dialect.name)\n"
    )
    return [str(BIN / "python"), "-c", code, url]


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="czrm-checks-"))
    pg_check_db = f"czrm_check_{os.getpid()}"
    subprocess.run(
        [
            str(BIN / "python"),
            "-c",
            "import sys, sqlalchemy as sa\n"
            "e = sa.create_engine(sys.argv[1].replace('postgresql://', 'postgresql+psycopg://'),"
            " isolation_level='AUTOCOMMIT')\n"
            "with e.connect() as c: c.execute(sa.text(f'CREATE DATABASE \"{sys.argv[2]}\"'))\n",
            PG_URL,
            pg_check_db,
        ],
        check=True,
    )
    pg_check_url = PG_URL.rsplit("/", 1)[0] + "/" + pg_check_db
    pytest = [str(BIN / "pytest"), "-q", "-p", "no:cacheprovider", "-n", "2", "--dist", "loadfile"]
    # The browser journeys run once, in a job of their own: their live server has
    # its own SQLite database whichever database the other tests use.
    units = [*pytest, "--ignore=tests/browser"]
    jobs: dict[str, tuple[list[str], dict[str, str]]] = {
        "ruff": ([str(BIN / "ruff"), "check", "src", "tests", "bench", "scripts"], {}),
        "format": (
            [str(BIN / "ruff"), "format", "--check", "src", "tests", "bench", "scripts"],
            {},
        ),
        "mypy": ([str(BIN / "mypy")], {}),
        "migrations-sqlite": (_check_migrations(f"sqlite:///{tmp / 'check.sqlite3'}"), {}),
        "migrations-postgresql": (_check_migrations(pg_check_url), {}),
        "tests-sqlite": (units, {"CZRM_TEST_DATABASE_URL": ""}),
        "tests-postgresql": (units, {"CZRM_TEST_DATABASE_URL": PG_URL}),
        "browser": (
            [str(BIN / "pytest"), "-q", "-p", "no:cacheprovider", "tests/browser"],
            {"CZRM_ARTIFACTS_DIR": str(tmp / "browser-artifacts")},
        ),
        "bench-smoke": (
            [str(BIN / "python"), "-m", "bench", "smoke"],
            {"CZRM_BENCH_PG_URL": PG_URL, "CZRM_BENCH_DB": f"czrm_bench_smoke_{os.getpid()}"},
        ),
    }
    started = time.monotonic()
    running = {}
    for name, (cmd, env) in jobs.items():
        log = open(tmp / f"{name}.log", "w+")  # noqa: SIM115 - closed below
        running[name] = (
            subprocess.Popen(
                cmd,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, "CZRM_ENVIRONMENT": "test", **env},
            ),
            log,
        )
    failed = []
    for name, (proc, log) in running.items():
        code = proc.wait()
        log.seek(0)
        output = log.read()
        log.close()
        status = "ok" if code == 0 else f"FAILED (exit {code})"
        if code == 5:
            status = "FAILED (no tests were collected)"
        print(f"\n===== {name}: {status} =====")
        lines = output.rstrip().splitlines()
        print("\n".join(lines if code else lines[-4:]))
        if code != 0:
            failed.append(name)
    subprocess.run(
        [
            str(BIN / "python"),
            "-c",
            "import sys, sqlalchemy as sa\n"
            "e = sa.create_engine(sys.argv[1].replace('postgresql://', 'postgresql+psycopg://'),"
            " isolation_level='AUTOCOMMIT')\n"
            'with e.connect() as c: c.execute(sa.text(f\'DROP DATABASE IF EXISTS "{sys.argv[2]}" '
            "WITH (FORCE)'))\n",
            PG_URL,
            pg_check_db,
        ],
        check=False,
    )
    print(f"\nall checks took {time.monotonic() - started:.0f} s")
    if failed:
        print(f"FAILED: {', '.join(failed)}")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
