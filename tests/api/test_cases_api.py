"""The staff REST API for cases, end to end through HTTP."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from czrm.audit.models import AuditEntry
from czrm.cases.models import Case, CaseStatus
from czrm.cases.service import Location, case_service
from czrm.kit.time import frozen_clock
from czrm.people.service import RequesterDetails, find_or_create_requester
from tests.factories import World, bearer, create_case, create_service, subject

PROBLEM = "application/problem+json"


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


def test_agent_raises_a_case_on_a_callers_behalf(
    client: TestClient, session: Session, world: World
) -> None:
    headers = bearer(session, world.agent)
    response = client.post(
        "/api/v1/cases",
        headers=headers,
        json={
            "service_code": "POTHOLE",
            "description": "Deep pothole by the bus stop",
            "channel": "phone",
            "location": {"lat": 52.43, "long": -1.53, "address": "1 High Street"},
            "requester": {
                "given_name": "Ada",
                "family_name": "Lovelace",
                "email": "Ada@Example.org",
            },
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["reference"] == f"SR-{datetime.now(UTC).year}-{body['id']:06d}"
    assert body["status"] == "new" and body["open311_status"] == "open"
    assert body["team_id"] == str(world.west.id)  # inside the west polygon
    assert body["department_id"] == str(world.highways.id)
    assert body["timeline"][0]["type"] == "case_opened"
    assert body["requester_id"] is not None
    assert "acknowledged" in body["allowed_transitions"]
    # the same caller again is the same person
    again = client.post(
        "/api/v1/cases",
        headers=headers,
        json={
            "service_code": "POTHOLE",
            "requester": {"email": "ada@example.org"},
            "location": {"lat": 52.43, "long": -1.48},
        },
    ).json()
    assert again["requester_id"] == body["requester_id"]
    assert again["team_id"] == str(world.east.id)


def test_routing_falls_back_to_the_default_team(
    client: TestClient, session: Session, world: World
) -> None:
    case = create_case(session, world.pothole, location=Location(lat=51.0, long=0.1))
    assert case.team_id == world.hw_default.id
    no_point = create_case(session, world.pothole, location=Location(address="Town Hall"))
    assert no_point.team_id == world.hw_default.id


def test_case_creation_writes_event_and_audit_in_one_transaction(
    session: Session, world: World
) -> None:
    before = session.scalar(select(func.count()).select_from(AuditEntry))
    case = create_case(session, world.pothole)
    entries = session.scalars(
        select(AuditEntry).where(
            AuditEntry.entity_id == str(case.id), AuditEntry.entity_type == "case"
        )
    ).all()
    assert [e.action for e in entries] == ["case_opened"]
    assert entries[0].details["service"] == "POTHOLE"
    assert "A pothole" not in str(entries[0].details)  # no free text in the audit log
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == before + 1


def test_transition_allowed_and_forbidden(
    client: TestClient, session: Session, world: World
) -> None:
    case = create_case(session, world.pothole)
    headers = bearer(session, world.caseworker)
    ok = client.post(
        f"/api/v1/cases/{case.reference}/transition",
        headers=headers,
        json={"status": "in_progress", "public_note": "Crew booked"},
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["status"] == "in_progress"
    fixed = client.post(
        f"/api/v1/cases/{case.id}/transition", headers=headers, json={"status": "fixed"}
    ).json()
    assert fixed["open311_status"] == "closed" and fixed["closed_at"] is not None
    refused = client.post(
        f"/api/v1/cases/{case.reference}/transition",
        headers=headers,
        json={"status": "in_progress"},
    )
    assert refused.status_code == 409
    assert refused.headers["content-type"] == PROBLEM
    assert refused.json()["code"] == "transition_not_allowed"
    assert refused.json()["allowed"] == ["closed", "reopened"]
    reopened = client.post(
        f"/api/v1/cases/{case.reference}/transition", headers=headers, json={"status": "reopened"}
    ).json()
    assert reopened["closed_at"] is None
    types = [e["type"] for e in reopened["timeline"]]
    assert types == ["case_opened", "status_changed", "status_changed", "status_changed"]
    assert reopened["timeline"][1]["body"] == "Crew booked"


def test_duplicate_needs_an_original(client: TestClient, session: Session, world: World) -> None:
    original = create_case(session, world.pothole)
    dup = create_case(session, world.pothole)
    headers = bearer(session, world.caseworker)
    missing = client.post(
        f"/api/v1/cases/{dup.id}/transition", headers=headers, json={"status": "duplicate"}
    )
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "duplicate_of"
    done = client.post(
        f"/api/v1/cases/{dup.id}/transition",
        headers=headers,
        json={"status": "duplicate", "duplicate_of": original.reference},
    )
    assert done.json()["duplicate_of"] == original.reference


def test_assign_public_update_and_internal_note(
    client: TestClient, session: Session, world: World
) -> None:
    case = create_case(session, world.pothole)
    headers = bearer(session, world.manager)
    assigned = client.post(
        f"/api/v1/cases/{case.reference}/assign",
        headers=headers,
        json={"team_id": str(world.east.id), "assignee_id": str(world.caseworker.id)},
    )
    assert assigned.status_code == 200, assigned.text
    assert assigned.json()["assignee_id"] == str(world.caseworker.id)
    update = client.post(
        f"/api/v1/cases/{case.reference}/updates",
        headers=headers,
        json={"body": "We will fill it on Tuesday"},
    )
    note = client.post(
        f"/api/v1/cases/{case.reference}/notes",
        headers=headers,
        json={"body": "Check the gas main first"},
    )
    assert update.status_code == 201 and update.json()["public"] is True
    assert note.status_code == 201 and note.json()["public"] is False
    timeline = client.get(f"/api/v1/cases/{case.reference}", headers=headers).json()["timeline"]
    assert [(e["type"], e["public"]) for e in timeline] == [
        ("case_opened", True),
        ("assigned", False),
        ("public_update", True),
        ("internal_note", False),
    ]
    bad = client.post(
        f"/api/v1/cases/{case.reference}/assign",
        headers=headers,
        json={"assignee_id": "00000000-0000-4000-8000-000000000000"},
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "assignee_id"


CASE_ROUTES = [
    ("get", "", None),
    ("post", "/transition", {"status": "acknowledged"}),
    ("post", "/assign", {"unassign": True}),
    ("post", "/updates", {"body": "hello"}),
    ("post", "/notes", {"body": "hello"}),
]


@pytest.mark.parametrize(("method", "suffix", "body"), CASE_ROUTES)
def test_another_departments_case_is_not_found(
    client: TestClient, session: Session, world: World, method: str, suffix: str, body: dict
) -> None:
    case = create_case(session, world.pothole)
    headers = bearer(session, world.housing_officer)
    response = client.request(
        method, f"/api/v1/cases/{case.reference}{suffix}", headers=headers, json=body
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    own = bearer(session, world.caseworker)
    assert client.request(
        method, f"/api/v1/cases/{case.reference}{suffix}", headers=own, json=body
    ).status_code in (200, 201)


@pytest.mark.parametrize(("method", "suffix", "body"), CASE_ROUTES)
def test_case_routes_without_a_token_are_401(
    client: TestClient, session: Session, world: World, method: str, suffix: str, body: dict
) -> None:
    case = create_case(session, world.pothole)
    response = client.request(method, f"/api/v1/cases/{case.reference}{suffix}", json=body)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    bad = client.request(
        method,
        f"/api/v1/cases/{case.reference}{suffix}",
        json=body,
        headers={"Authorization": "Bearer czrm_not-a-token"},
    )
    assert bad.status_code == 401


def test_list_is_scoped_to_departments(client: TestClient, session: Session, world: World) -> None:
    for _ in range(3):
        create_case(session, world.pothole)

    person = find_or_create_requester(
        session, world.jurisdiction.id, RequesterDetails(email="tenant@example.org")
    )
    create_case(session, world.repair, requester=person, location=Location())
    highways = client.get("/api/v1/cases", headers=bearer(session, world.caseworker)).json()
    housing = client.get("/api/v1/cases", headers=bearer(session, world.housing_officer)).json()
    everyone = client.get("/api/v1/cases", headers=bearer(session, world.agent)).json()
    assert highways["total"] == 3 and {i["service_code"] for i in highways["items"]} == {"POTHOLE"}
    assert housing["total"] == 1 and housing["items"][0]["service_code"] == "REPAIR"
    assert everyone["total"] == 4


def test_list_filters_sorting_and_paging(
    client: TestClient, session: Session, world: World
) -> None:
    headers = bearer(session, world.admin)
    with frozen_clock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC)) as move:
        cases = []
        for day in range(1, 6):
            move(datetime(2026, 3, day + 1, 10, 0, tzinfo=UTC))
            cases.append(create_case(session, world.pothole, description=f"hole number {day}"))
        lamp = create_service(session, world.highways, code="LAMP")
        lamp_case = create_case(session, lamp, description="light out")
        move(datetime(2026, 3, 9, 10, 0, tzinfo=UTC))
        admin = subject(session, world.admin)
        case_service.transition(session, admin, cases[0], CaseStatus.FIXED)
        case_service.assign(session, admin, cases[1], assignee_id=world.caseworker.id)
        page = client.get(
            "/api/v1/cases",
            headers=headers,
            params={"service": "POTHOLE", "page_size": 2, "page": 2, "sort": "opened_at"},
        ).json()
        assert page["total"] == 5
        assert [i["id"] for i in page["items"]] == [cases[2].id, cases[3].id]
        by_status = client.get(
            "/api/v1/cases", headers=headers, params=[("status", "fixed")]
        ).json()
        assert [i["id"] for i in by_status["items"]] == [cases[0].id]
        open_only = client.get("/api/v1/cases", headers=headers, params={"open": "true"}).json()
        assert open_only["total"] == 5
        text = client.get("/api/v1/cases", headers=headers, params={"q": "LIGHT"}).json()
        assert [i["id"] for i in text["items"]] == [lamp_case.id]
        by_ref = client.get(
            "/api/v1/cases", headers=headers, params={"q": cases[3].reference}
        ).json()
        assert [i["id"] for i in by_ref["items"]] == [cases[3].id]
        mine = client.get(
            "/api/v1/cases", headers=bearer(session, world.caseworker), params={"assignee": "me"}
        ).json()
        assert [i["id"] for i in mine["items"]] == [cases[1].id]
        window = client.get(
            "/api/v1/cases",
            headers=headers,
            params={
                "opened_from": "2026-03-03T00:00:00Z",
                "opened_to": "2026-03-05T00:00:00+00:00",
            },
        ).json()
        assert sorted(i["id"] for i in window["items"]) == [cases[1].id, cases[2].id]
        overdue = client.get("/api/v1/cases", headers=headers, params={"overdue": "true"}).json()
        # SLA 16 business hours: cases opened 2–4 March are due by the 9th 10:00
        assert {i["id"] for i in overdue["items"]} == {cases[1].id, cases[2].id}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "smouldering"}, "status.0"),
        ({"page_size": "0"}, "page_size"),
        ({"sort": "name"}, "sort"),
        ({"opened_from": "2026-03-03T00:00:00"}, "opened_from"),
        ({"assignee": "bob"}, "assignee"),
        ({"overdue": "perhaps"}, "overdue"),
    ],
)
def test_bad_list_parameters_are_422_naming_the_field(
    client: TestClient, session: Session, world: World, params: dict, field: str
) -> None:
    response = client.get("/api/v1/cases", headers=bearer(session, world.admin), params=params)
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["errors"][0]["field"] == field


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "service_code"),
        ({"service_code": "POTHOLE", "location": {"lat": 95, "long": 0}}, "location.lat"),
        ({"service_code": "POTHOLE", "location": {"lat": 52.4}}, "location"),
        ({"service_code": "POTHOLE", "description": "x" * 4001}, "description"),
        ({"service_code": "POTHOLE", "colour": "red"}, "colour"),
        ({"service_code": "POTHOLE", "requester": {"email": "not-an-email"}}, "requester.email"),
        ({"service_code": "REPAIR"}, "requester"),
        ({"service_code": "POTHOLE", "attributes": {"size": "big"}}, "attributes[size]"),
    ],
)
def test_bad_case_input_is_422_and_writes_nothing(
    client: TestClient, session: Session, world: World, body: dict, field: str
) -> None:
    before = session.scalar(select(func.count()).select_from(Case))
    response = client.post("/api/v1/cases", headers=bearer(session, world.agent), json=body)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field
    assert session.scalar(select(func.count()).select_from(Case)) == before


def test_unknown_service_and_malformed_json(
    client: TestClient, session: Session, world: World
) -> None:
    headers = bearer(session, world.agent)
    unknown = client.post("/api/v1/cases", headers=headers, json={"service_code": "NOPE"})
    assert unknown.status_code == 404 and "NOPE" in unknown.json()["detail"]
    broken = client.post(
        "/api/v1/cases",
        headers={**headers, "content-type": "application/json"},
        content=b'{"service_code": ',
    )
    assert broken.status_code == 422 and broken.headers["content-type"] == PROBLEM
    assert "Traceback" not in broken.text


def test_roles_without_permission_are_forbidden(
    client: TestClient, session: Session, world: World
) -> None:
    case = create_case(session, world.pothole)
    agent = bearer(session, world.agent)
    dpo = bearer(session, world.dpo)
    assert (
        client.post(
            f"/api/v1/cases/{case.id}/transition", headers=agent, json={"status": "acknowledged"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/api/v1/cases/{case.id}/assign", headers=agent, json={"unassign": True}
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/api/v1/cases/{case.id}/updates", headers=agent, json={"body": "x"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/api/v1/cases/{case.id}/notes", headers=agent, json={"body": "called back"}
        ).status_code
        == 201
    )
    assert client.get("/api/v1/cases", headers=dpo).status_code == 403
    assert (
        client.post("/api/v1/cases", headers=dpo, json={"service_code": "POTHOLE"}).status_code
        == 403
    )
    housing = bearer(session, world.housing_officer)
    assert (
        client.post("/api/v1/cases", headers=housing, json={"service_code": "POTHOLE"}).status_code
        == 403
    )


def test_unknown_reference_forms_are_404(
    client: TestClient, session: Session, world: World
) -> None:
    case = create_case(session, world.pothole)
    headers = bearer(session, world.admin)
    wrong_year = f"SR-{case.opened_at.year - 1}-{case.id:06d}"
    for ref in (wrong_year, "SR-2026-999999", "banana", "99999999"):
        assert client.get(f"/api/v1/cases/{ref}", headers=headers).status_code == 404


def test_a_service_created_by_another_process_is_named_at_once(
    client: TestClient, session: Session, world: World
) -> None:
    """The cached catalogue reloads when a case names a service it has not seen."""
    headers = bearer(session, world.admin)
    create_case(session, world.pothole)
    assert client.get("/api/v1/cases", headers=headers).status_code == 200  # cache loaded
    newcomer = create_service(session, world.highways, code="NEWCOMER")  # cache not told
    case = create_case(session, newcomer)
    response = client.get(f"/api/v1/cases/{case.reference}", headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["service_code"] == "NEWCOMER"
    listed = client.get("/api/v1/cases", headers=headers, params={"service": "NEWCOMER"})
    assert [i["service_code"] for i in listed.json()["items"]] == ["NEWCOMER"]
