"""Engines and sessions.

SQLite runs in WAL mode with ``synchronous=FULL`` and foreign keys on, checked
at start-up, so an acknowledged write survives a power cut. PostgreSQL
sessions carry lock and statement timeouts so no request waits for ever.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from czrm.config import Settings, get_settings


class DatabaseMisconfigured(RuntimeError):
    pass


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The sqlite3 module's own transaction handling would defer BEGIN until
    # the first write; we want SQLAlchemy's BEGIN to be the transaction.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    # IMMEDIATE takes the write lock at BEGIN, so two writers queue on the
    # busy timeout instead of failing with "database is locked" mid-way;
    # read-only work takes a plain (deferred) BEGIN and never waits for writers.
    if conn.get_execution_options().get("czrm_read_only"):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def create_db_engine(url: str, settings: Settings | None = None, **kwargs: Any) -> Engine:
    settings = settings or get_settings()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        options = (
            f"-c lock_timeout={settings.pg_lock_timeout_ms} "
            f"-c statement_timeout={settings.pg_statement_timeout_ms} "
            "-c idle_in_transaction_session_timeout=60000"
        )
        kwargs.setdefault("pool_size", settings.db_pool_size)
        kwargs.setdefault("max_overflow", settings.db_pool_size)
        kwargs.setdefault("pool_pre_ping", settings.db_pool_pre_ping)
        return create_engine(parsed, connect_args={"options": options}, **kwargs)
    raise DatabaseMisconfigured(f"unsupported database: {parsed.get_backend_name()}")


def allow_long_pauses(session: Session) -> None:
    """Let this transaction sit idle between statements for as long as it needs.

    Connections end a transaction left idle for a minute (a crashed request
    must not hold locks); a batch job that computes for minutes between its
    read and its writes (linking a population) opts out for its own transaction.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL idle_in_transaction_session_timeout = 0"))


def check_engine(engine: Engine) -> None:
    """Refuse to run on a database that would not keep acknowledged writes."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            mode = conn.execute(text("PRAGMA journal_mode")).scalar()
            sync = conn.execute(text("PRAGMA synchronous")).scalar()
            fks = conn.execute(text("PRAGMA foreign_keys")).scalar()
            if str(mode).lower() != "wal" and engine.url.database not in (None, "", ":memory:"):
                raise DatabaseMisconfigured(f"SQLite journal_mode is {mode}, expected wal")
            if sync != 2:
                raise DatabaseMisconfigured(f"SQLite synchronous is {sync}, expected 2 (FULL)")
            if fks != 1:
                raise DatabaseMisconfigured("SQLite foreign keys are off")
        elif engine.dialect.name == "postgresql":
            version = conn.execute(text("SHOW server_version_num")).scalar()
            if int(str(version)) < 150000:
                raise DatabaseMisconfigured("PostgreSQL 15 or newer is required")


_engine: Engine | None = None
_session_factory: sessionmaker[Session] | None = None
_read_session_factory: sessionmaker[Session] | None = None


def get_engine() -> Engine:
    global _engine
    if _engine is None:
        settings = get_settings()
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        _engine = create_db_engine(settings.effective_database_url, settings)
    return _engine


def set_engine(engine: Engine | None) -> None:
    """Point the process at another engine (tests, the demo)."""
    global _engine, _session_factory, _read_session_factory
    _engine = engine
    _session_factory = None
    _read_session_factory = None


def session_factory() -> sessionmaker[Session]:
    global _session_factory
    if _session_factory is None:
        _session_factory = sessionmaker(get_engine(), expire_on_commit=False)
    return _session_factory


def read_session_factory() -> sessionmaker[Session]:
    """Sessions for work that only reads (see ``kit.web.get_read_session``)."""
    global _read_session_factory
    if _read_session_factory is None:
        engine = get_engine()
        options: dict[str, Any] = {"czrm_read_only": True}
        if engine.dialect.name == "postgresql":
            options["isolation_level"] = "AUTOCOMMIT"
        _read_session_factory = sessionmaker(
            engine.execution_options(**options), expire_on_commit=False
        )
    return _read_session_factory


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """One transaction for CLI and worker code: commit on success, else roll back."""
    session = session_factory()()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
