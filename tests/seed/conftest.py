"""Databases for the seed tests: SQLite always, PostgreSQL too when
``CZRM_TEST_DATABASE_URL`` points at a server (a fresh database per use,
dropped afterwards)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url

from czrm.kit.db import create_db_engine
from czrm.kit.migrate import upgrade

PG_URL = os.environ.get("CZRM_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL.startswith("postgresql") else [])

MakeEngine = Callable[[], Engine]


@contextmanager
def _server() -> Iterator[Connection]:
    """AUTOCOMMIT on the server's own database, for CREATE/DROP DATABASE."""
    url = make_url(PG_URL)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


class _Databases:
    def __init__(self, backend: str, directory: Path) -> None:
        self.backend = backend
        self.directory = directory
        self.engines: list[Engine] = []
        self.pg_names: list[str] = []

    def new(self) -> Engine:
        if self.backend == "sqlite":
            path = self.directory / f"seed-{len(self.engines)}.sqlite3"
            engine = create_db_engine(f"sqlite:///{path}")
        else:
            name = f"czrm_seed_{uuid.uuid4().hex[:12]}"
            with _server() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            self.pg_names.append(name)
            url = make_url(PG_URL).set(database=name)
            engine = create_db_engine(url.render_as_string(hide_password=False))
        self.engines.append(engine)
        upgrade(engine)
        return engine

    def close(self) -> None:
        for engine in self.engines:
            engine.dispose()
        if self.pg_names:
            with _server() as conn:
                for name in self.pg_names:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="module", params=BACKENDS)
def make_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[MakeEngine]:
    """Fresh, migrated databases on one backend; all removed when the module ends."""
    databases = _Databases(request.param, tmp_path_factory.mktemp(f"seed-{request.param}"))
    try:
        yield databases.new
    finally:
        databases.close()
