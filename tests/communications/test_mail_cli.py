"""``czrm mail …`` against a database of its own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from czrm.cli import app
from czrm.communications.models import Mailbox, ProviderConfig
from czrm.kit import db
from tests.factories import World

runner = CliRunner()


@pytest.fixture
def cli_engine(fresh_engine: Engine) -> Iterator[Engine]:
    previous = db._engine
    db.set_engine(fresh_engine)
    with db.unit_of_work() as session:
        World(session)
    yield fresh_engine
    db.set_engine(previous)


def test_add_a_mailbox(cli_engine: Engine) -> None:
    added = runner.invoke(
        app, ["mail", "add-mailbox", "Reports@Council.example", "--service", "POTHOLE"]
    )
    assert added.exit_code == 0, added.output
    unknown = runner.invoke(app, ["mail", "add-mailbox", "x@council.example", "--service", "NOPE"])
    assert unknown.exit_code == 1 and "NOPE" in unknown.output
    bad = runner.invoke(app, ["mail", "add-mailbox", "not-an-address", "--service", "POTHOLE"])
    assert bad.exit_code == 2
    with db.unit_of_work() as session:
        assert session.scalars(select(Mailbox.address)).all() == ["reports@council.example"]


def test_choose_a_provider(cli_engine: Engine) -> None:
    ok = runner.invoke(
        app,
        [
            "mail",
            "provider",
            "sms",
            "notify",
            "--option",
            "api_key_env=NOTIFY_KEY",
            "--option",
            "template_id=t-1",
        ],
    )
    assert ok.exit_code == 0, ok.output
    again = runner.invoke(app, ["mail", "provider", "sms", "file"])
    assert again.exit_code == 0, again.output
    missing = runner.invoke(app, ["mail", "provider", "letter", "notify"])
    assert missing.exit_code == 2 and "api_key_env" in missing.output
    wrong = runner.invoke(app, ["mail", "provider", "fax", "smtp"])
    assert wrong.exit_code == 2 and "channel must be one of" in wrong.output
    with db.unit_of_work() as session:
        rows = session.scalars(select(ProviderConfig)).all()
        assert [(r.channel, r.provider, r.options) for r in rows] == [("sms", "file", {})]
