"""Sign-in, staff and service administration, jobs admin, and the error model."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from czrm.audit.models import AuditEntry
from czrm.auth.models import Role
from czrm.jobs import service as jobs
from czrm.jobs.models import Job, JobStatus
from tests.factories import PASSWORD, World, bearer, create_staff

PROBLEM = "application/problem+json"


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


def test_sign_in_use_and_revoke_a_token(client: TestClient, world: World) -> None:
    response = client.post(
        "/api/v1/auth/token", json={"username": world.caseworker.username, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    token = response.json()["access_token"]
    assert token.startswith("czrm_") and response.json()["token_type"] == "bearer"
    headers = {"Authorization": f"Bearer {token}"}
    me = client.get("/api/v1/me", headers=headers).json()
    assert me["username"] == world.caseworker.username
    assert me["roles"] == ["caseworker"] and me["department_ids"] == [str(world.highways.id)]
    assert client.delete("/api/v1/auth/token", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401


@pytest.mark.parametrize("password", ["wrong password", ""])
def test_wrong_password_and_unknown_user_look_the_same(
    client: TestClient, world: World, password: str
) -> None:
    wrong = client.post(
        "/api/v1/auth/token", json={"username": world.caseworker.username, "password": password}
    )
    unknown = client.post("/api/v1/auth/token", json={"username": "nobody", "password": "x"})
    assert unknown.status_code == 401 and unknown.json()["detail"] == "wrong username or password"
    if password:
        assert wrong.status_code == 401 and wrong.json() == unknown.json()
    else:
        assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "password"


def test_disabled_staff_tokens_stop_working(
    client: TestClient, session: Session, world: World
) -> None:
    headers = bearer(session, world.caseworker)
    admin = bearer(session, world.admin)
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    patched = client.patch(
        f"/api/v1/staff/{world.caseworker.id}", headers=admin, json={"is_active": False}
    )
    assert patched.status_code == 200 and patched.json()["is_active"] is False
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_admin_manages_staff(client: TestClient, session: Session, world: World) -> None:
    admin = bearer(session, world.admin)
    created = client.post(
        "/api/v1/staff",
        headers=admin,
        json={
            "username": "r.patel",
            "display_name": "Rina Patel",
            "email": "R.Patel@council.example",
            "password": "a long enough password",
            "roles": ["caseworker"],
            "departments": ["housing"],
        },
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["email"] == "r.patel@council.example" and body["departments"] == ["housing"]
    duplicate = client.post(
        "/api/v1/staff",
        headers=admin,
        json={
            "username": "r.patel",
            "display_name": "Other",
            "email": "o@council.example",
            "roles": ["agent"],
        },
    )
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "duplicate_username"
    moved = client.patch(
        f"/api/v1/staff/{body['id']}",
        headers=admin,
        json={"departments": ["highways", "housing"], "roles": ["manager"]},
    )
    assert moved.json()["departments"] == ["highways", "housing"]
    assert moved.json()["roles"] == ["manager"]
    listed = client.get("/api/v1/staff", headers=admin).json()
    assert "r.patel" in [s["username"] for s in listed]
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.entity_id == body["id"])
    ).all()
    assert actions == ["staff_created", "staff_updated"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            {"username": "Bad Name", "display_name": "x", "email": "x@y.org", "roles": ["agent"]},
            "username",
        ),
        (
            {"username": "ok", "display_name": "x", "email": "x@y.org", "roles": ["wizard"]},
            "roles.0",
        ),
        ({"username": "ok", "display_name": "x", "email": "x@y.org", "roles": []}, "roles"),
        (
            {
                "username": "ok",
                "display_name": "x",
                "email": "x@y.org",
                "roles": ["agent"],
                "password": "short",
            },
            "password",
        ),
        (
            {
                "username": "ok",
                "display_name": "x",
                "email": "x@y.org",
                "roles": ["agent"],
                "departments": ["nowhere"],
            },
            "departments",
        ),
    ],
)
def test_bad_staff_input_names_the_field(
    client: TestClient, session: Session, world: World, body: dict, field: str
) -> None:
    response = client.post("/api/v1/staff", headers=bearer(session, world.admin), json=body)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field


def test_admin_cannot_disable_themselves(
    client: TestClient, session: Session, world: World
) -> None:
    response = client.patch(
        f"/api/v1/staff/{world.admin.id}",
        headers=bearer(session, world.admin),
        json={"is_active": False},
    )
    assert response.status_code == 409 and response.json()["code"] == "self_disable"


def test_admin_cannot_drop_their_own_admin_role(
    client: TestClient, session: Session, world: World
) -> None:
    response = client.patch(
        f"/api/v1/staff/{world.admin.id}",
        headers=bearer(session, world.admin),
        json={"roles": ["manager"]},
    )
    assert response.status_code == 409 and response.json()["code"] == "self_demote"
    session.refresh(world.admin)
    assert world.admin.roles == ["admin"]
    other = create_staff(session, world.jurisdiction, [Role.ADMIN])
    demoted = client.patch(
        f"/api/v1/staff/{other.id}",
        headers=bearer(session, world.admin),
        json={"roles": ["manager"]},
    )
    assert demoted.status_code == 200 and demoted.json()["roles"] == ["manager"]


@pytest.mark.parametrize("who", ["caseworker", "agent", "manager", "dpo"])
def test_staff_admin_routes_without_permission(
    client: TestClient, session: Session, world: World, who: str
) -> None:
    headers = bearer(session, getattr(world, who))
    assert client.get("/api/v1/staff", headers=headers).status_code == 403
    assert client.get(f"/api/v1/staff/{world.admin.id}", headers=headers).status_code == 403
    assert (
        client.patch(
            f"/api/v1/staff/{world.admin.id}", headers=headers, json={"is_active": False}
        ).status_code
        == 403
    )
    assert (
        client.post(
            "/api/v1/staff",
            headers=headers,
            json={"username": "x1", "display_name": "x", "email": "x@y.org", "roles": ["agent"]},
        ).status_code
        == 403
    )
    assert (
        client.post(
            "/api/v1/services",
            headers=headers,
            json={"code": "X", "name": "X", "department": "highways"},
        ).status_code
        == 403
    )
    assert (
        client.patch(
            "/api/v1/services/POTHOLE", headers=headers, json={"active": False}
        ).status_code
        == 403
    )
    assert client.get("/api/v1/jobs", headers=headers).status_code == 403
    assert client.post("/api/v1/jobs/1/retry", headers=headers).status_code == 403


def test_admin_defines_and_changes_a_service(
    client: TestClient, session: Session, world: World
) -> None:
    admin = bearer(session, world.admin)
    created = client.post(
        "/api/v1/services",
        headers=admin,
        json={
            "code": "GRAFFITI",
            "name": "Graffiti",
            "group": "Streets",
            "department": "highways",
            "sla_hours": 24,
            "keywords": ["paint", "tag"],
            "attributes": [
                {
                    "code": "offensive",
                    "datatype": "singlevaluelist",
                    "required": True,
                    "description": "Is it offensive?",
                    "values": [{"key": "yes", "name": "Yes"}, {"key": "no", "name": "No"}],
                },
                {"code": "area", "datatype": "number", "description": "Square metres"},
            ],
        },
    )
    assert created.status_code == 201, created.text
    assert [a["order"] for a in created.json()["attributes"]] == [1, 2]
    listed = client.get("/api/v1/services", headers=bearer(session, world.agent)).json()
    assert "GRAFFITI" in [s["code"] for s in listed]
    retired = client.patch("/api/v1/services/GRAFFITI", headers=admin, json={"active": False})
    assert retired.json()["active"] is False
    assert "GRAFFITI" not in [
        s["code"] for s in client.get("/api/v1/services", headers=admin).json()
    ]
    refused = client.post(
        "/api/v1/cases",
        headers=admin,
        json={"service_code": "GRAFFITI", "attributes": {"offensive": "no"}},
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "service_code"


@pytest.mark.parametrize(
    ("attributes", "field"),
    [
        ([{"code": "a", "datatype": "singlevaluelist"}], "attributes[0].values"),
        ([{"code": "a", "datatype": "colour"}], "attributes.0.datatype"),
        (
            [{"code": "a", "datatype": "string"}, {"code": "a", "datatype": "string"}],
            "attributes[1].code",
        ),
    ],
)
def test_bad_service_definitions_are_refused(
    client: TestClient, session: Session, world: World, attributes: list, field: str
) -> None:
    response = client.post(
        "/api/v1/services",
        headers=bearer(session, world.admin),
        json={"code": "BAD", "name": "Bad", "department": "highways", "attributes": attributes},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


def test_admin_sees_and_retries_failed_jobs(
    client: TestClient, session: Session, world: World
) -> None:
    jobs.enqueue(session, "cases.check_sla")
    job = session.scalars(select(Job).order_by(Job.id.desc())).first()
    assert job is not None
    job.status, job.last_error = JobStatus.FAILED, "RuntimeError: boom"
    session.flush()
    admin = bearer(session, world.admin)
    listed = client.get("/api/v1/jobs", headers=admin, params={"status": "failed"}).json()
    assert listed["counts"]["failed"] >= 1
    assert job.id in [j["id"] for j in listed["items"]]
    retried = client.post(f"/api/v1/jobs/{job.id}/retry", headers=admin)
    assert retried.status_code == 200 and retried.json()["status"] == "queued"
    again = client.post(f"/api/v1/jobs/{job.id}/retry", headers=admin)
    assert again.status_code == 409
    assert client.post("/api/v1/jobs/999999999/retry", headers=admin).status_code == 404


def test_unknown_routes_and_methods_are_problem_json(client: TestClient) -> None:
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.headers["content-type"] == PROBLEM
    wrong = client.put("/api/v1/auth/token")
    assert wrong.status_code == 405 and wrong.json()["code"] == "method_not_allowed"


def test_openapi_is_served(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/cases/{ref}/transition" in spec["paths"]
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
