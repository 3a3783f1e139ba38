"""Every privacy route refuses a caller without privacy rights (403) and without a
token (401); a request of another council is not found."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from czrm.kit.time import utc_now
from czrm.privacy.models import RequestKind
from czrm.privacy.requests import subject_request_service
from tests.factories import bearer
from tests.privacy.conftest import PrivacyWorld

ROUTES = [
    (
        "POST",
        "/api/v1/privacy/purposes",
        {
            "code": "x_y",
            "name": "X",
            "lawful_basis": "public_task",
            "categories": ["contact"],
            "retention": "1 year",
        },
    ),
    ("PATCH", "/api/v1/privacy/purposes/casework", {"retention_days": 1}),
    ("GET", "/api/v1/privacy/record-of-processing", None),
    ("GET", "/api/v1/people/{person}/access-log", None),
    ("GET", "/api/v1/privacy/requests", None),
    ("POST", "/api/v1/privacy/requests", "create"),
    ("GET", "/api/v1/privacy/requests/{request}", None),
    ("POST", "/api/v1/privacy/requests/{request}/extend", {"reason": "a long enough reason"}),
    ("POST", "/api/v1/privacy/requests/{request}/status", {"status": "in_progress"}),
    ("GET", "/api/v1/privacy/requests/{request}/export", None),
    ("POST", "/api/v1/privacy/requests/{request}/erase", None),
]


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
def test_without_privacy_rights_is_forbidden(
    client: TestClient,
    session: Session,
    pw: PrivacyWorld,
    method: str,
    path: str,
    body: object,
) -> None:
    world = pw.world
    request = subject_request_service.create(
        session,
        world.subject(session, world.dpo),
        person_id=pw.person.id,
        kind=RequestKind.ERASURE,
        received_on=utc_now().date(),
        channel="email",
    )
    url = path.format(person=pw.person.id, request=request.id)
    if body == "create":
        body = {"person_id": str(pw.person.id), "kind": "access", "received_on": "2026-01-05"}
    for staff in (world.manager, world.agent, pw.care_worker):
        response = client.request(method, url, json=body, headers=bearer(session, staff))
        assert response.status_code == 403, (staff.username, response.text)
        assert response.json()["code"] == "forbidden"
    assert client.request(method, url, json=body).status_code == 401
    # Nothing was changed: the person is still there and the request still open.
    assert (
        subject_request_service.get(session, world.subject(session, world.dpo), request.id).status
        == "received"
    )


def test_people_search_needs_a_read_permission(
    client: TestClient, session: Session, pw: PrivacyWorld
) -> None:
    from tests.factories import create_staff

    nobody = create_staff(session, pw.world.jurisdiction, [])
    response = client.get("/api/v1/people?family_name=King", headers=bearer(session, nobody))
    assert response.status_code == 403
    assert client.get("/api/v1/people?family_name=King").status_code == 401
