"""Running the Alembic tree from code (CLI, demo, tests)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, text

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


class ForeignKeysBroken(RuntimeError):
    pass


@contextmanager
def _migrating(engine: Engine) -> Iterator[Connection]:
    """One transaction for the run. On SQLite, foreign keys are off while it runs
    (batch mode rebuilds a table by copy, drop and rename, which a referenced
    table's rows would otherwise forbid) and checked before commit."""
    with engine.connect() as conn:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:  # outside any transaction, where the pragma takes effect
            driver = conn.connection.driver_connection
            assert driver is not None
            driver.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                yield conn
                if sqlite:
                    broken = conn.execute(text("PRAGMA foreign_key_check")).all()
                    if broken:
                        raise ForeignKeysBroken(f"the migration broke references: {broken[:5]}")
        finally:
            if sqlite:
                driver = conn.connection.driver_connection
                assert driver is not None
                driver.execute("PRAGMA foreign_keys=ON")


def upgrade(engine: Engine, revision: str = "head") -> None:
    config = alembic_config(engine)
    with _migrating(engine) as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    config = alembic_config(engine)
    with _migrating(engine) as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)


def check(engine: Engine) -> None:
    """Raise if the models and the migrations disagree."""
    config = alembic_config(engine)
    with engine.connect() as conn:
        config.attributes["connection"] = conn
        command.check(config)


def revision(engine: Engine, message: str) -> None:
    config = alembic_config(engine)
    with engine.connect() as conn:
        config.attributes["connection"] = conn
        command.revision(config, message=message, autogenerate=True)
