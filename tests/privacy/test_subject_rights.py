"""Subject rights: the request register with its statutory clock, a complete access
export found by walking every link, and erasure that leaves nothing behind."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from czrm.audit.models import AuditEntry
from czrm.audit.verify import verify_chain
from czrm.auth.models import Role
from czrm.cases.models import Case, CaseEvent
from czrm.kit.registry import Base
from czrm.privacy import graph
from czrm.privacy.categories import not_personal_reason, spec_for
from czrm.privacy.requests import add_months
from tests.factories import bearer, create_jurisdiction, create_staff
from tests.privacy.conftest import PrivacyWorld


def test_every_table_holding_a_person_is_categorised_or_declared_not_personal() -> None:
    """A table another area adds that refers to a person (directly or through a case,
    a source record …) is exported and erased automatically; this fails until its
    columns are given categories (or it is declared as holding nothing personal)."""
    problems = []
    for name in sorted(graph.reachable_tables()):
        table = Base.metadata.tables[name]
        spec = spec_for(table)
        if spec is None:
            if not not_personal_reason(table):
                problems.append(f"{name}: no data categories and not declared not personal")
            continue
        missing = {c.name for c in table.columns} - set(spec.columns)
        if missing:
            problems.append(f"{name}: columns without a category: {sorted(missing)}")
    assert not problems, "\n".join(problems)
    assert {"cases", "case_events", "source_records", "identity_links", "access_log"} <= (
        graph.reachable_tables()
    )


def test_due_dates_follow_the_calendar_month() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 3, 15), 1) == date(2026, 4, 15)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def _request(client: TestClient, session: Session, pw: PrivacyWorld, kind: str) -> dict:
    response = client.post(
        "/api/v1/privacy/requests",
        json={"person_id": str(pw.person.id), "kind": kind, "received_on": "2026-01-31"},
        headers=bearer(session, pw.world.dpo),
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_the_request_register_keeps_the_statutory_clock(
    client: TestClient, session: Session, pw: PrivacyWorld
) -> None:
    dpo = bearer(session, pw.world.dpo)
    request = _request(client, session, pw, "rectification")
    assert request["reference"] == "DSR-2026-0001"
    assert request["due_on"] == "2026-02-28" and request["status"] == "received"
    assert request["overdue"] is True  # received long before "now"
    url = f"/api/v1/privacy/requests/{request['id']}"
    short = client.post(f"{url}/extend", json={"reason": "busy"}, headers=dpo)
    assert short.status_code == 422 and short.json()["errors"][0]["field"] == "reason"
    extended = client.post(
        f"{url}/extend", json={"reason": "complex: records in six systems"}, headers=dpo
    ).json()
    assert extended["extended_due_on"] == "2026-04-30"
    assert extended["effective_due_on"] == "2026-04-30"
    again = client.post(f"{url}/extend", json={"reason": "complex: still more"}, headers=dpo)
    assert again.status_code == 409 and again.json()["code"] == "already_extended"
    no_outcome = client.post(f"{url}/status", json={"status": "completed"}, headers=dpo)
    assert no_outcome.status_code == 422
    done = client.post(
        f"{url}/status", json={"status": "completed", "outcome": "address corrected"}, headers=dpo
    ).json()
    assert done["status"] == "completed" and done["completed_at"] is not None
    listed = client.get("/api/v1/privacy/requests?status=completed", headers=dpo).json()
    assert [r["reference"] for r in listed["items"]] == ["DSR-2026-0001"]
    bad = client.post(
        "/api/v1/privacy/requests",
        json={"person_id": str(pw.person.id), "kind": "gossip", "received_on": "2026-01-31"},
        headers=dpo,
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "kind"


def test_requests_need_privacy_rights_and_stay_in_their_council(
    client: TestClient, session: Session, pw: PrivacyWorld
) -> None:
    request = _request(client, session, pw, "access")
    caseworker = bearer(session, pw.world.caseworker)
    assert client.get("/api/v1/privacy/requests", headers=caseworker).status_code == 403
    assert (
        client.get(
            f"/api/v1/privacy/requests/{request['id']}/export", headers=caseworker
        ).status_code
        == 403
    )
    elsewhere = bearer(session, create_staff(session, create_jurisdiction(session), [Role.DPO]))
    assert (
        client.get(f"/api/v1/privacy/requests/{request['id']}", headers=elsewhere).status_code
        == 404
    )
    other_person = client.post(
        "/api/v1/privacy/requests",
        json={"person_id": str(pw.person.id), "kind": "access", "received_on": "2026-01-31"},
        headers=elsewhere,
    )
    assert other_person.status_code == 404


def test_the_access_export_covers_every_table_holding_the_person(
    client: TestClient, session: Session, pw: PrivacyWorld
) -> None:
    client.get(f"/api/v1/people/{pw.person.id}", headers=bearer(session, pw.world.agent))
    request = _request(client, session, pw, "access")
    dpo = bearer(session, pw.world.dpo)
    response = client.get(f"/api/v1/privacy/requests/{request['id']}/export", headers=dpo)
    assert response.status_code == 200, response.text
    doc = response.json()
    held = graph.holdings(session, [pw.person.id, pw.absorbed.id])
    assert set(doc["tables"]) == set(held.rows)
    expected = {
        "parties",
        "persons",
        "identifiers",
        "contact_points",
        "communication_needs",
        "party_roles",
        "relationships",
        "cases",
        "case_events",
        "source_records",
        "identity_links",
        "access_log",
        "subject_requests",
    }
    assert expected <= set(doc["tables"])
    assert doc["summary"]["cases"] == 2  # the absorbed person's case too
    persons = {r["id"]: r for r in doc["tables"]["persons"]["rows"]}
    assert persons[str(pw.person.id)]["date_of_birth"] == "1919-09-19"
    assert doc["tables"]["identifiers"]["rows"][0]["value"] == "WX918273D"
    raw = {r["external_id"]: r["data"] for r in doc["tables"]["source_records"]["rows"]}
    assert raw["C1"]["need"] == "dementia"
    assert doc["tables"]["communication_needs"]["categories"]["notes"] == "health_social_care"
    assert doc["who_looked"][0]["purpose"] == "Handling service requests"
    # The carer is another person: their own record is not in this person's export.
    party_ids = {r["id"] for r in doc["tables"]["parties"]["rows"]}
    assert party_ids == {str(pw.person.id), str(pw.absorbed.id)}
    html = client.get(f"/api/v1/privacy/requests/{request['id']}/export?format=html", headers=dpo)
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "Who looked at your data" in html.text and "WX918273D" in html.text
    assert "<script" not in html.text
    wrong = _request(client, session, pw, "erasure")
    refused = client.get(f"/api/v1/privacy/requests/{wrong['id']}/export", headers=dpo)
    assert refused.status_code == 409


def test_erasure_leaves_none_of_their_data_and_the_audit_chain_verifies(
    client: TestClient, session: Session, pw: PrivacyWorld
) -> None:
    person_id, absorbed_id = pw.person.id, pw.absorbed.id
    client.get(f"/api/v1/people/{person_id}", headers=bearer(session, pw.world.agent))
    access = _request(client, session, pw, "access")
    request = _request(client, session, pw, "erasure")
    dpo = bearer(session, pw.world.dpo)
    response = client.post(f"/api/v1/privacy/requests/{request['id']}/erase", headers=dpo)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["request"]["status"] == "completed" and body["request"]["person_id"] is None
    assert body["rows"]["persons"] == 2 and body["rows"]["cases"] == 2
    session.expire_all()
    held = graph.holdings(session, [person_id, absorbed_id])
    assert held.count() == 0
    case = session.get(Case, pw.case.id)
    assert case is not None and case.requester_id is None
    assert case.description == "[removed on erasure]" and case.address is None
    assert case.service_id == pw.world.pothole.id and case.status is not None
    events = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)).all()
    assert events and all(e.body is None for e in events)
    # The requests stay as the record of handling them, without the person.
    after = client.get(f"/api/v1/privacy/requests/{access['id']}", headers=dpo).json()
    assert after["person_id"] is None
    assert client.get(f"/api/v1/people/{person_id}", headers=dpo).status_code == 404
    again = client.post(f"/api/v1/privacy/requests/{request['id']}/erase", headers=dpo)
    assert again.status_code == 409
    result = verify_chain(session)
    assert result.ok, result.describe()
    # The audit log never held any of it.
    entries = session.scalars(select(AuditEntry)).all()
    text = " ".join(f"{e.details} {e.actor_id} {e.entity_id}" for e in entries)
    for secret in ("Ada", "King", "WX918273D", "1919-09-19", "ada@example.org", "dementia"):
        assert secret not in text
    assert any(e.action == "person_erased" for e in entries)


@pytest.mark.parametrize("kind", ["access", "portability"])
def test_only_access_and_portability_export(
    client: TestClient, session: Session, pw: PrivacyWorld, kind: str
) -> None:
    request = _request(client, session, pw, kind)
    response = client.get(
        f"/api/v1/privacy/requests/{request['id']}/export", headers=bearer(session, pw.world.dpo)
    )
    assert response.status_code == 200
    assert response.json()["format"] == "czrm-subject-access/1"


def test_a_table_another_area_adds_is_found_through_any_link_and_declares_itself() -> None:
    from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table

    metadata = MetaData()
    for table in Base.metadata.sorted_tables:
        table.to_metadata(metadata)
    declared = Table(
        "case_visits",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("case_id", ForeignKey("cases.id")),
        Column("summary", String),
        info={"data_categories": {"id": None, "case_id": None, "summary": "service_history"}},
    )
    silent = Table(
        "notes_elsewhere",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("person_id", ForeignKey("persons.id")),
    )
    reachable = graph.reachable_tables(metadata)
    assert {"case_visits", "notes_elsewhere"} <= reachable
    spec = spec_for(declared)
    assert spec is not None and spec.columns["summary"] == "service_history"
    assert spec_for(silent) is None and not_personal_reason(silent) is None
