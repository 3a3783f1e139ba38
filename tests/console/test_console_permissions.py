"""Every console page and form refuses a member of staff whose roles do not
allow it (a data protection officer here holds audit:read only)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from czrm.people.service import RequesterDetails, find_or_create_requester
from tests.factories import World, create_case
from tests.webtools import csrf, sign_in


def test_every_console_route_without_permission(
    client: TestClient, session: Session, world: World
) -> None:
    case = create_case(session, world.pothole)
    person = find_or_create_requester(
        session, world.jurisdiction.id, RequesterDetails(email="x@example.org")
    )
    sign_in(client, session, world.dpo)
    token = csrf(client, "/console/admin/audit")
    reads = [
        "/console/queue",
        f"/console/cases/{case.reference}",
        "/console/people?q=x",
        f"/console/people/{person.id}?purpose=casework",
        "/console/assist",
        f"/console/assist/{person.id}",
        "/console/reviews",
        "/console/reviews/1",
        "/console/merges",
        "/console/admin/staff",
    ]
    for path in reads:
        assert client.get(path).status_code == 403, path
    writes = {
        f"/console/cases/{case.reference}/transition": {"status": "fixed"},
        f"/console/cases/{case.reference}/assign": {"assignee_id": "me"},
        f"/console/cases/{case.reference}/update": {"body": "x"},
        f"/console/cases/{case.reference}/note": {"body": "x"},
        "/console/assist/person": {"given_name": "A"},
        f"/console/assist/{person.id}": {"service": "POTHOLE", "channel": "phone"},
        "/console/reviews/1": {"decision": "accept"},
        "/console/merges/00000000-0000-0000-0000-000000000000/undo": {},
        f"/console/admin/staff/{world.manager.id}/reset-second-factor": {},
    }
    for path, data in writes.items():
        assert client.post(path, data={"csrf_token": token, **data}).status_code == 403, path
    assert case.assignee_id is None and case.status == "new"


def test_an_agent_reads_and_notes_but_does_not_work_cases(
    client: TestClient, session: Session, world: World
) -> None:
    case = create_case(session, world.pothole)
    sign_in(client, session, world.agent)
    token = csrf(client, f"/console/cases/{case.reference}")
    for action, data in (
        ("assign", {"assignee_id": "me"}),
        ("update", {"body": "Public words"}),
        ("transition", {"status": "acknowledged"}),
    ):
        response = client.post(
            f"/console/cases/{case.reference}/{action}", data={"csrf_token": token, **data}
        )
        assert response.status_code == 403, action
    noted = client.post(
        f"/console/cases/{case.reference}/note",
        data={"csrf_token": token, "body": "Caller rang again"},
        follow_redirects=False,
    )
    assert noted.status_code == 303
    assert "Caller rang again" in client.get(f"/console/cases/{case.reference}").text
