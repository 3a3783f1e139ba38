"""`czrm sources add`, `czrm import`, `czrm link` and `czrm export links` end to end."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from czrm.cli import app
from czrm.kit import db
from tests.factories import create_jurisdiction

runner = CliRunner()


@pytest.fixture
def cli_engine(fresh_engine: Engine) -> Iterator[Engine]:
    previous = db._engine
    db.set_engine(fresh_engine)
    yield fresh_engine
    db.set_engine(previous)


def _write(path: Path, rows: list[dict[str, Any]], columns: list[str]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def test_import_link_export(
    cli_engine: Engine, tmp_path: Path, population: dict[str, list[dict[str, Any]]]
) -> None:
    with db.unit_of_work() as session:
        create_jurisdiction(session, slug="northmere")
    added = runner.invoke(app, ["sources", "add", "tax", "Council tax", "--map", "external_id=ref"])
    assert added.exit_code == 0, added.output
    rows = [{**r, "ref": r["external_id"]} for r in population["tax"]]
    columns = [
        "ref",
        "first_name",
        "surname",
        "date_of_birth",
        "address_line_1",
        "postcode",
        "ni_number",
    ]
    path = tmp_path / "tax.csv"
    _write(path, [*rows, {"ref": "", "first_name": "x"}], columns)
    imported = runner.invoke(app, ["import", "tax", str(path)])
    assert imported.exit_code == 0, imported.output
    assert "inserted 90, updated 0, unchanged 0, rejected 1" in imported.output
    assert f"line {len(rows) + 2}: external_id is missing" in imported.output
    again = runner.invoke(app, ["import", "tax", str(path)])
    assert "inserted 0, updated 0, unchanged 90, rejected 1" in again.output
    linked = runner.invoke(app, ["link"])
    assert linked.exit_code == 0, linked.output
    assert "model v1: 90 records" in linked.output
    out = tmp_path / "links.csv"
    exported = runner.invoke(app, ["export", "links", str(out)])
    assert exported.exit_code == 0 and "wrote 90 links" in exported.output
    with out.open() as handle:
        written = list(csv.DictReader(handle))
    assert {r["system"] for r in written} == {"tax"} and len(written) == 90
    unknown = runner.invoke(app, ["import", "nope", str(path)])
    assert unknown.exit_code == 1 and "source system nope not found" in unknown.output
