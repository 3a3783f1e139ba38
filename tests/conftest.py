"""Test databases: SQLite by default, PostgreSQL when CZRM_TEST_DATABASE_URL
names one. Each xdist worker gets its own database, built by the migrations;
each test runs in a transaction that is rolled back."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from czrm.app import create_app
from czrm.kit import crypto, db, migrate, web
from czrm.kit.cache import clear_all
from czrm.kit.ratelimit import limiter

TEST_URL = os.environ.get("CZRM_TEST_DATABASE_URL", "")
# Fixed test keys: encryption at rest runs in every test, with nothing read from disk.
TEST_KEYRING = crypto.Keyring({"test-1": b"\x01" * 32}, "test-1", b"\x02" * 32)
crypto.reset_keyring(TEST_KEYRING)


def _new_database(tmp_dir: Path) -> tuple[str, Callable[[], None]]:
    """A fresh, empty database; returns its URL and how to drop it."""
    if not TEST_URL.startswith("postgresql"):
        path = tmp_dir / f"czrm-{uuid.uuid4().hex[:8]}.sqlite3"
        return f"sqlite:///{path}", lambda: None
    server = make_url(TEST_URL).set(drivername="postgresql+psycopg")
    name = f"czrm_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return server.set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(scope="session", autouse=True)
def _own_rate_limits(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test process counts its own calls (the limiter is shared through a file)."""
    limiter.use(tmp_path_factory.mktemp("limits") / "ratelimit.sqlite3")


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    url, drop = _new_database(tmp_path_factory.mktemp("db"))
    eng = db.create_db_engine(url)
    migrate.upgrade(eng)
    db.set_engine(eng)
    yield eng
    db.set_engine(None)
    eng.dispose()
    drop()


@pytest.fixture
def fresh_engine(tmp_path: Path) -> Iterator[Engine]:
    """A database of its own, for tests that need real commits from several connections."""
    url, drop = _new_database(tmp_path)
    eng = db.create_db_engine(url)
    migrate.upgrade(eng)
    # The process's caches hold another database's rows (a jurisdiction list
    # cached by the test before would hide this database's council).
    clear_all()
    yield eng
    eng.dispose()
    drop()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    clear_all()
    limiter.reset()
    connection = engine.connect()
    outer = connection.begin()
    sess = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    yield sess
    sess.close()
    outer.rollback()
    connection.close()
    clear_all()


def use_test_session(app: FastAPI, session: Session) -> None:
    """Every request of ``app`` works in the test's transaction (flushed, never committed)."""

    def test_session() -> Iterator[Session]:
        yield session
        session.flush()

    app.dependency_overrides[web.get_session] = test_session
    app.dependency_overrides[web.get_read_session] = test_session
    app.dependency_overrides[web.get_unit_of_work] = lambda: contextmanager(test_session)


@pytest.fixture
def client(session: Session) -> Iterator[TestClient]:
    app = create_app(check_database=False)
    use_test_session(app, session)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def dialect(engine: Engine) -> str:
    return engine.dialect.name
