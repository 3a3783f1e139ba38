"""The register of processing: a default for a UK council, edited by the DPO and
admins with every edit audited, exported as the Art. 30 record."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from czrm.audit.models import AuditEntry
from czrm.privacy.register import DEFAULT_REGISTER
from tests.factories import World, bearer

NEW = {
    "code": "blue_badges",
    "name": "Blue badge applications",
    "lawful_basis": "public_task",
    "categories": ["identity", "contact", "health_social_care"],
    "special_condition": "Art. 9(2)(g) substantial public interest",
    "departments": ["housing"],
    "retention": "3 years after the badge expires",
    "retention_days": 1095,
}


def test_the_default_register_is_installed_on_first_use(
    client: TestClient, session: Session
) -> None:
    world = World(session)
    listed = client.get("/api/v1/privacy/purposes", headers=bearer(session, world.caseworker))
    assert listed.status_code == 200
    codes = [p["code"] for p in listed.json()]
    assert codes == sorted(spec.code for spec in DEFAULT_REGISTER)
    fraud = next(p for p in listed.json() if p["code"] == "fraud_investigation")
    assert fraud["covert"] is True and fraud["disclosure_delay_days"] == 365
    assert "criminal" in fraud["categories"] and fraud["special_condition"]
    installed = session.scalars(
        select(AuditEntry.action).where(AuditEntry.action == "purpose_register_installed")
    ).all()
    assert installed == ["purpose_register_installed"]


def test_the_dpo_creates_and_edits_purposes_and_each_edit_is_audited(
    client: TestClient, session: Session
) -> None:
    world = World(session)
    dpo = bearer(session, world.dpo)
    created = client.post("/api/v1/privacy/purposes", json=NEW, headers=dpo)
    assert created.status_code == 201, created.text
    assert created.json()["departments"] == ["HOUSING"]
    edited = client.patch(
        "/api/v1/privacy/purposes/blue_badges", json={"retention_days": 730}, headers=dpo
    )
    assert edited.status_code == 200 and edited.json()["retention_days"] == 730
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.entity_type == "purpose").order_by(AuditEntry.seq)
    ).all()
    assert [e.action for e in entries] == ["purpose_created", "purpose_updated"]
    assert entries[1].details["changes"] == {"retention_days": [1095, 730]}
    duplicate = client.post("/api/v1/privacy/purposes", json=NEW, headers=dpo)
    assert duplicate.status_code == 409


def test_bad_purposes_are_refused_naming_the_field(client: TestClient, session: Session) -> None:
    world = World(session)
    admin = bearer(session, world.admin)
    no_condition = client.post(
        "/api/v1/privacy/purposes", json={**NEW, "special_condition": None}, headers=admin
    )
    assert no_condition.status_code == 422
    assert no_condition.json()["errors"][0]["field"] == "special_condition"
    unknown = client.post(
        "/api/v1/privacy/purposes", json={**NEW, "departments": ["nowhere"]}, headers=admin
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "departments"
    category = client.post(
        "/api/v1/privacy/purposes", json={**NEW, "categories": ["gossip"]}, headers=admin
    )
    assert category.status_code == 422 and category.json()["errors"][0]["field"].startswith(
        "categories"
    )
    covert = client.patch(
        "/api/v1/privacy/purposes/casework",
        json={"covert": True},
        headers=admin,
    )
    assert covert.status_code == 422
    assert covert.json()["errors"][0]["field"] == "disclosure_delay_days"
    cleared = client.patch("/api/v1/privacy/purposes/casework", json={"name": None}, headers=admin)
    assert cleared.status_code == 422 and cleared.json()["errors"][0]["field"] == "name"
    missing = client.patch("/api/v1/privacy/purposes/nothing", json={}, headers=admin)
    assert missing.status_code == 404


def test_editing_needs_privacy_rights(client: TestClient, session: Session) -> None:
    world = World(session)
    manager = bearer(session, world.manager)
    assert client.post("/api/v1/privacy/purposes", json=NEW, headers=manager).status_code == 403
    patched = client.patch(
        "/api/v1/privacy/purposes/casework", json={"retention_days": 1}, headers=manager
    )
    assert patched.status_code == 403
    record = client.get("/api/v1/privacy/record-of-processing", headers=manager)
    assert record.status_code == 403
    assert client.get("/api/v1/privacy/purposes").status_code == 401


def test_the_art_30_record_as_json_and_csv(client: TestClient, session: Session) -> None:
    world = World(session)
    dpo = bearer(session, world.dpo)
    body = client.get("/api/v1/privacy/record-of-processing", headers=dpo).json()
    assert body["controller"] == world.jurisdiction.name
    rows = {p["code"]: p for p in body["purposes"]}
    assert rows["council_tax"]["lawful_basis"] == "Art. 6(1)(c) legal obligation"
    assert rows["adult_social_care"]["special_categories"] == ["health_social_care"]
    assert rows["casework"]["recipients"] == ["all departments"]
    assert "AES-256-GCM" in body["security_measures"]
    response = client.get("/api/v1/privacy/record-of-processing?format=csv", headers=dpo)
    assert response.headers["content-type"].startswith("text/csv")
    parsed = list(csv.DictReader(io.StringIO(response.text)))
    assert len(parsed) == len(DEFAULT_REGISTER)
    housing = next(r for r in parsed if r["code"] == "housing_management")
    assert housing["recipients"] == world.housing.name
    bad = client.get("/api/v1/privacy/record-of-processing?format=xml", headers=dpo)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "format"
