"""The database guards checked at start-up."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session

from czrm.kit.db import (
    DatabaseMisconfigured,
    allow_long_pauses,
    check_engine,
    create_db_engine,
)


def test_sqlite_runs_wal_full_sync_and_foreign_keys(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    check_engine(engine)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_a_plain_sqlite_engine_is_refused(tmp_path: Path) -> None:
    plain = create_engine(f"sqlite:///{tmp_path / 'y.sqlite3'}")
    with pytest.raises(DatabaseMisconfigured, match="journal_mode"):
        check_engine(plain)


def test_postgresql_sessions_carry_timeouts(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    check_engine(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SHOW lock_timeout")).scalar() == "5s"
        assert conn.execute(text("SHOW statement_timeout")).scalar() == "30s"


def test_a_batch_transaction_may_pause_but_only_itself(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    with Session(engine) as session:
        setting = text("SHOW idle_in_transaction_session_timeout")
        assert session.execute(setting).scalar() == "1min"
        allow_long_pauses(session)
        assert session.execute(setting).scalar() == "0"
        session.rollback()
        assert session.execute(setting).scalar() == "1min"


def test_unsupported_databases_are_refused() -> None:
    with pytest.raises(DatabaseMisconfigured, match="unsupported"):
        create_db_engine("mysql://root@localhost/test")
