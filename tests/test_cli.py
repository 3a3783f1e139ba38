"""The command line against a real database of its own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select, text
from typer.testing import CliRunner

from czrm.audit.service import record
from czrm.auth.models import StaffUser
from czrm.auth.passwords import verify_password
from czrm.auth.subject import SYSTEM
from czrm.cli import app
from czrm.kit import db
from tests.factories import create_department, create_jurisdiction

runner = CliRunner()


@pytest.fixture
def cli_engine(fresh_engine: Engine) -> Iterator[Engine]:
    previous = db._engine
    db.set_engine(fresh_engine)
    yield fresh_engine
    db.set_engine(previous)


def test_audit_verify_passes_then_fails_after_tampering(cli_engine: Engine) -> None:
    with db.unit_of_work() as session:
        for n in range(3):
            record(
                session,
                SYSTEM,
                action="cli_test",
                entity_type="t",
                entity_id=n,
                jurisdiction_id=None,
            )
    ok = runner.invoke(app, ["audit", "verify"])
    assert ok.exit_code == 0, ok.output
    assert "3 entries verified" in ok.output
    with cli_engine.begin() as conn:
        if cli_engine.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text("UPDATE audit_log SET entity_id = '99' WHERE seq = 2"))
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1
    assert "broken at seq 2 (edited)" in broken.output


def test_db_check_and_upgrade(cli_engine: Engine) -> None:
    upgraded = runner.invoke(app, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    checked = runner.invoke(app, ["db", "check"])
    assert checked.exit_code == 0 and "agree" in checked.output


def test_users_create(cli_engine: Engine) -> None:
    with db.unit_of_work() as session:
        jurisdiction = create_jurisdiction(session, slug="testshire")
        create_department(session, jurisdiction, code="waste")
    created = runner.invoke(
        app,
        [
            "users",
            "create",
            "w.ng",
            "--email",
            "w.ng@council.example",
            "--role",
            "caseworker",
            "--department",
            "waste",
            "--name",
            "Wei Ng",
            "--password",
            "a long enough password",
        ],
    )
    assert created.exit_code == 0, created.output
    with db.unit_of_work() as session:
        staff = session.scalars(select(StaffUser).where(StaffUser.username == "w.ng")).one()
        assert staff.roles == ["caseworker"]
        assert verify_password(staff.password_hash, "a long enough password")
    again = runner.invoke(
        app,
        [
            "users",
            "create",
            "w.ng",
            "--email",
            "x@council.example",
            "--role",
            "agent",
            "--password",
            "a long enough password",
        ],
    )
    assert again.exit_code == 1 and "taken" in again.output
    bad_role = runner.invoke(
        app,
        [
            "users",
            "create",
            "x",
            "--email",
            "x@y.org",
            "--role",
            "wizard",
            "--password",
            "a long enough password",
        ],
    )
    assert bad_role.exit_code == 2


def test_production_refuses_the_default_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    from czrm.config import get_settings

    monkeypatch.setenv("CZRM_ENVIRONMENT", "production")
    get_settings.cache_clear()
    try:
        result = runner.invoke(app, ["audit", "verify"])
    finally:
        monkeypatch.delenv("CZRM_ENVIRONMENT")
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert "CZRM_SECRET_KEY" in result.output
