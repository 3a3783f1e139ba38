"""Importing departmental extracts: idempotent, every bad row reported, good rows kept."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from czrm.auth.models import Role
from czrm.auth.subject import SYSTEM
from czrm.errors import Conflict, ValidationFailed
from czrm.identity import importer
from czrm.identity.exceptions import UnreadableFile
from czrm.identity.importer import import_rows
from czrm.identity.intake import import_file
from czrm.identity.models import SourceRecord, SourceSystem
from czrm.identity.service import source_system_service
from czrm.kit import bulk
from czrm.org.models import Jurisdiction
from tests.factories import bearer, create_jurisdiction, create_staff

CSV = """\
ref,forename,family_name,dob,post_code,mail
C1,Ada,Lovelace,10/12/1955,NM1 2AB,ada@example.org
C2,Charles,Babbage,26/12/1951,NM1 2AC,
,Nobody,Here,01/01/1990,NM1 2AD,
C4,Bad,Date,31/02/1990,NM1 2AE,
C5,Too,Many,01/01/1990,NM1 2AF,x@example.org,extra
C6,,,,NM1 2AG,
C2,Charles,Duplicate,26/12/1951,NM1 2AC,
C8,Mary,Somerville,26/12/1980,nm12ah,mary@example.org
"""
MAPPING = {
    "external_id": "ref",
    "first_name": "forename",
    "surname": "family_name",
    "date_of_birth": "dob",
    "postcode": "post_code",
    "email": "mail",
}


@pytest.fixture
def jurisdiction(session: Session) -> Jurisdiction:
    return create_jurisdiction(session)


@pytest.fixture
def tax(session: Session, jurisdiction: Jurisdiction) -> SourceSystem:
    return source_system_service.register(
        session, SYSTEM, jurisdiction.id, code="tax", name="Council tax", field_mapping=MAPPING
    )


def _count(session: Session, system: SourceSystem) -> int:
    stmt = select(func.count()).select_from(SourceRecord).where(SourceRecord.system_id == system.id)
    return session.scalar(stmt) or 0


def test_csv_import_reports_each_bad_line_and_keeps_the_rest(
    session: Session, tax: SourceSystem, tmp_path: Path
) -> None:
    path = tmp_path / "tax.csv"
    path.write_text(CSV)
    result = import_file(session, SYSTEM, tax, path)
    assert (result["inserted"], result["updated"], result["unchanged"]) == (3, 0, 0)
    assert [(r["line"], r["reason"]) for r in result["rejected"]] == [
        (4, "external_id is missing"),
        (5, "date_of_birth: '31/02/1990' is not a real date"),
        (6, "has 7 columns, the header has 6"),
        (7, "no name, email, phone or NI number to identify anyone by"),
        (8, "external_id C2 already given on line 3"),
    ]
    ada = session.scalars(select(SourceRecord).where(SourceRecord.external_id == "C1")).one()
    assert ada.data == {
        "ref": "C1",
        "forename": "Ada",
        "family_name": "Lovelace",
        "dob": "10/12/1955",
        "post_code": "NM1 2AB",
        "mail": "ada@example.org",
    }
    assert (ada.first_name, ada.surname, ada.postcode) == ("ada", "lovelace", "NM1 2AB")
    assert ada.date_of_birth is not None and ada.date_of_birth.isoformat() == "1955-12-10"


def test_first_and_later_imports_store_the_same(
    session: Session, jurisdiction: Jurisdiction, tax: SourceSystem, tmp_path: Path
) -> None:
    """A system's first extract streams in without look-ups; an extract for a
    system already holding records goes in batches: same rows, same report."""
    path = tmp_path / "tax.csv"
    path.write_text(CSV)
    first = import_file(session, SYSTEM, tax, path)
    later_system = source_system_service.register(
        session, SYSTEM, jurisdiction.id, code="tax2", name="Tax again", field_mapping=MAPPING
    )
    import_file(session, SYSTEM, later_system, _one_row_csv(tmp_path))
    later = import_file(session, SYSTEM, later_system, path)
    assert (first["inserted"], later["inserted"]) == (3, 3)
    assert first["rejected"] == later["rejected"] and first["rejected_count"] == 5

    def stored(system: SourceSystem) -> list[tuple[object, ...]]:
        rows = session.scalars(
            select(SourceRecord)
            .where(SourceRecord.system_id == system.id, SourceRecord.external_id != "Z9")
            .order_by(SourceRecord.external_id)
        )
        return [
            (r.external_id, r.data, r.first_name, r.surname_key, r.date_of_birth, r.postcode)
            + (r.email, r.date_of_birth_index, r.jurisdiction_id)
            for r in rows
        ]

    assert stored(tax) == stored(later_system)
    assert [r[0] for r in stored(tax)] == ["C1", "C2", "C8"]


def test_a_first_extract_larger_than_one_copy_is_kept_whole(
    session: Session, tax: SourceSystem, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "COPY_ROWS", 2)
    path = tmp_path / "tax.csv"
    path.write_text(CSV + "C9,Grace,Hopper,09/12/1956,NM1 2AJ,\n")
    result = import_file(session, SYSTEM, tax, path)
    assert (result["inserted"], result["rejected_count"]) == (4, 5)
    kept = session.scalars(
        select(SourceRecord.external_id)
        .where(SourceRecord.system_id == tax.id)
        .order_by(SourceRecord.external_id)
    ).all()
    assert kept == ["C1", "C2", "C8", "C9"]


def test_a_first_import_reports_only_the_records_it_kept(
    session: Session, tax: SourceSystem, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record another first import kept meanwhile is not reported as this one's."""
    earlier = import_rows(session, SYSTEM, tax, [(1, {"ref": "A1", "forename": "Ann"})])
    monkeypatch.setattr(importer, "_holds_records", lambda *_: False)
    rows = [(1, {"ref": "B1", "forename": "Bob"}), (2, {"ref": "B2", "forename": "Bea"})]
    report = import_rows(session, SYSTEM, tax, rows, collect_new_ids=True)
    kept = session.scalars(
        select(SourceRecord.id).where(SourceRecord.external_id.in_(["B1", "B2"]))
    ).all()
    assert earlier.inserted == 1 and report.inserted == 2
    assert sorted(report.new_record_ids) == sorted(kept) and len(kept) == 2


def _one_row_csv(tmp_path: Path) -> Path:
    path = tmp_path / "one.csv"
    path.write_text("ref,forename,family_name,dob,post_code,mail\nZ9,Zed,Zee,,,\n")
    return path


def test_reimport_updates_instead_of_duplicating(
    session: Session, tax: SourceSystem, tmp_path: Path
) -> None:
    path = tmp_path / "tax.csv"
    path.write_text(CSV)
    import_file(session, SYSTEM, tax, path)
    again = import_file(session, SYSTEM, tax, path)
    assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, 3)
    path.write_text(CSV.replace("Ada,Lovelace", "Ada,King"))
    changed = import_file(session, SYSTEM, tax, path)
    assert (changed["inserted"], changed["updated"], changed["unchanged"]) == (0, 1, 2)
    assert _count(session, tax) == 3
    session.expire_all()
    ada = session.scalars(select(SourceRecord).where(SourceRecord.external_id == "C1")).one()
    assert ada.surname == "king" and ada.data["family_name"] == "King"


def test_jsonl_and_parquet_with_standard_names_need_no_mapping(
    session: Session, jurisdiction: Jurisdiction, tmp_path: Path
) -> None:
    library = source_system_service.register(
        session, SYSTEM, jurisdiction.id, code="library", name="Libraries"
    )
    rows = [
        {"external_id": "L1", "first_name": "Grace", "surname": "Hopper", "email": "g@example.org"},
        {"external_id": "L2", "first_name": "Alan", "surname": "Turing", "phone": "07700 900123"},
    ]
    jsonl = tmp_path / "library.jsonl"
    jsonl.write_text(json.dumps(rows[0]) + "\n\n{broken\n" + json.dumps(rows[1]) + "\n[1, 2]\n")
    result = import_file(session, SYSTEM, library, jsonl)
    assert result["inserted"] == 2
    assert [(r["line"], r["reason"][:20]) for r in result["rejected"]] == [
        (3, "is not valid JSON (E"),
        (5, "is not a JSON object"),
    ]
    parquet = tmp_path / "library.parquet"
    columns = ["external_id", "first_name", "surname", "email", "phone"]
    schema = pa.schema([(name, pa.string()) for name in columns])
    table = pa.Table.from_pylist([*rows, {"external_id": None, "first_name": "X"}], schema=schema)
    pq.write_table(table, parquet)
    second = import_file(session, SYSTEM, library, parquet)
    assert (second["inserted"], second["unchanged"]) == (0, 2)
    assert [(r["line"], r["reason"]) for r in second["rejected"]] == [(3, "external_id is missing")]
    turing = session.scalars(select(SourceRecord).where(SourceRecord.external_id == "L2")).one()
    assert turing.phone == "+447700900123"


def test_unknown_file_types_and_missing_files_are_refused(
    session: Session, tax: SourceSystem, tmp_path: Path
) -> None:
    with pytest.raises(UnreadableFile):
        import_file(session, SYSTEM, tax, tmp_path / "absent.csv")
    other = tmp_path / "data.xlsx"
    other.write_text("x")
    with pytest.raises(UnreadableFile):
        import_file(session, SYSTEM, tax, other)


def test_systems_are_unique_and_mappings_checked(
    session: Session, jurisdiction: Jurisdiction, tax: SourceSystem
) -> None:
    with pytest.raises(Conflict):
        source_system_service.register(session, SYSTEM, jurisdiction.id, code="tax", name="again")
    with pytest.raises(ValidationFailed) as failed:
        source_system_service.register(
            session, SYSTEM, jurisdiction.id, code="x", name="X", field_mapping={"nino": "NI"}
        )
    assert failed.value.errors[0].field == "field_mapping.nino"


def test_bulk_api_imports_and_reports_rows(
    client: TestClient, session: Session, jurisdiction: Jurisdiction, tax: SourceSystem
) -> None:
    admin = create_staff(session, jurisdiction, [Role.ADMIN])
    rows = [
        {"ref": "A1", "forename": "Ada", "family_name": "Lovelace", "mail": "ada@example.org"},
        {"ref": "A2", "forename": "Bad", "dob": "yesterday"},
    ]
    url = "/api/v1/source-systems/tax/records"
    response = client.post(url, headers=bearer(session, admin), json=rows)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["inserted"], body["rejected_count"]) == (1, 1)
    assert body["rejected"] == [
        {"line": 2, "reason": "date_of_birth: cannot read date 'yesterday'"}
    ]
    again = client.post(url, headers=bearer(session, admin), json=rows).json()
    assert (again["inserted"], again["unchanged"]) == (0, 1)


def test_bulk_api_needs_permission_and_own_jurisdiction(
    client: TestClient, session: Session, jurisdiction: Jurisdiction, tax: SourceSystem
) -> None:
    caseworker = create_staff(session, jurisdiction, [Role.CASEWORKER])
    url = "/api/v1/source-systems/tax/records"
    assert client.post(url, headers=bearer(session, caseworker), json=[]).status_code == 403
    stranger = create_staff(session, create_jurisdiction(session), [Role.ADMIN])
    response = client.post(url, headers=bearer(session, stranger), json=[])
    assert response.status_code == 404
    assert client.post(url, json=[]).status_code == 401
    assert (
        client.get("/api/v1/source-systems", headers=bearer(session, caseworker)).status_code == 403
    )


def test_systems_api_registers_and_lists(
    client: TestClient, session: Session, jurisdiction: Jurisdiction
) -> None:
    headers = bearer(session, create_staff(session, jurisdiction, [Role.ADMIN]))
    created = client.post(
        "/api/v1/source-systems",
        headers=headers,
        json={"code": "housing", "name": "Housing", "field_mapping": {"external_id": "tenancy"}},
    )
    assert created.status_code == 201, created.text
    listed = client.get("/api/v1/source-systems", headers=headers).json()
    assert [s["code"] for s in listed] == ["housing"]
    assert listed[0]["field_mapping"] == {"external_id": "tenancy"}
    bad = client.post(
        "/api/v1/source-systems", headers=headers, json={"code": "Bad Code!", "name": "x"}
    )
    assert bad.status_code == 422
