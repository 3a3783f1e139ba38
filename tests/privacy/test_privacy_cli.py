"""`czrm privacy record` and `czrm keys status|rotate|retire` against a database of their own."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from czrm.auth.subject import SYSTEM
from czrm.cli import app
from czrm.kit import crypto, db
from czrm.people.models import Person
from czrm.privacy.canary import CANARY_DOB, seed_canary
from czrm.privacy.register import DEFAULT_REGISTER
from tests.factories import create_jurisdiction

runner = CliRunner()


@pytest.fixture
def cli_engine(fresh_engine: Engine) -> Iterator[Engine]:
    previous = db._engine
    db.set_engine(fresh_engine)
    yield fresh_engine
    db.set_engine(previous)


def test_the_record_of_processing_as_json_and_csv(cli_engine: Engine) -> None:
    with db.unit_of_work() as session:
        create_jurisdiction(session, name="Northmere")
    as_json = runner.invoke(app, ["privacy", "record"])
    assert as_json.exit_code == 0, as_json.output
    body = json.loads(as_json.output)
    assert body["controller"] == "Northmere"
    assert len(body["purposes"]) == len(DEFAULT_REGISTER)
    as_csv = runner.invoke(app, ["privacy", "record", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(as_csv.output)))
    assert {r["code"] for r in rows} == {s.code for s in DEFAULT_REGISTER}
    bad = runner.invoke(app, ["privacy", "record", "--format", "xml"])
    assert bad.exit_code == 2 and "json or csv" in bad.output


def test_keys_rotate_then_retire_with_a_key_file(cli_engine: Engine, tmp_path: Path) -> None:
    before = crypto.keyring()
    path = tmp_path / "keyring.json"
    crypto.write_keyring_file(
        crypto.Keyring(dict(before.keys), before.primary, before.index_key), path
    )
    crypto.reset_keyring(crypto._from_file(path))
    try:
        with Session(cli_engine) as session:
            person_id = seed_canary(session, SYSTEM, create_jurisdiction(session).id)
            session.commit()
        rotated = runner.invoke(app, ["keys", "rotate"])
        assert rotated.exit_code == 0, rotated.output
        assert "primary key is now k1" in rotated.output
        assert "persons.date_of_birth: 1 re-encrypted" in rotated.output
        status = runner.invoke(app, ["keys", "status"])
        assert "persons.date_of_birth: test-1 0, k1 1" in status.output
        retired = runner.invoke(app, ["keys", "retire"])
        assert "retired: test-1" in retired.output
        assert list(crypto._from_file(path).keys) == ["k1"]
        with Session(cli_engine) as session:
            person = session.scalars(select(Person).where(Person.id == person_id)).one()
            assert person.date_of_birth == CANARY_DOB
    finally:
        crypto.reset_keyring(before)


def test_keys_from_the_environment_are_not_rotated_by_the_cli(cli_engine: Engine) -> None:
    result = runner.invoke(app, ["keys", "rotate"])
    assert result.exit_code == 1
    assert "CZRM_ENCRYPTION_KEYS" in result.output
