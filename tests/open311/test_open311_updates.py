"""mySociety's servicerequestupdates extension."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from czrm.audit.models import AuditEntry
from czrm.cases import repository as case_repository
from czrm.cases.models import CaseStatus
from czrm.cases.service import case_service
from czrm.kit.time import frozen_clock
from czrm.open311.statuses import EXTENDED, FROM_EXTENDED
from tests.factories import create_case
from tests.open311 import schemas
from tests.open311.conftest import Council

BASE = "/open311/v2"


def _update(client: TestClient, council: Council, fmt: str = "json", **fields: str | None):
    data = {
        "api_key": council.key,
        "update_id": "fms-1",
        "status": "OPEN",
        "updated_datetime": "2026-03-05T10:00:00.123456+01:00",
        "description": "Still there, and getting worse",
        "first_name": "Rae",
        "email": "rae@example.org",
    }
    data.update(fields)
    return client.post(
        f"{BASE}/servicerequestupdates.{fmt}", data={k: v for k, v in data.items() if v is not None}
    )


def test_status_vocabulary_round_trips() -> None:
    assert set(EXTENDED.values()) <= set(FROM_EXTENDED)
    assert EXTENDED[CaseStatus.NEW] == "FOR_TRIAGE"
    assert EXTENDED[CaseStatus.REOPENED] == "REOPEN"
    assert EXTENDED[CaseStatus.NOT_RESPONSIBLE] == "NOT_COUNCILS_RESPONSIBILITY"
    for status in CaseStatus:
        if status not in (CaseStatus.WAITING_ON_CITIZEN, CaseStatus.ACKNOWLEDGED):
            assert FROM_EXTENDED[EXTENDED[status]] == status


def test_posted_update_appears_on_the_timeline(
    client: TestClient, session: Session, council: Council
) -> None:
    case = create_case(session, council.world.pothole, attributes={"size": "small"})
    response = _update(client, council, service_request_id=case.reference)
    assert response.status_code == 200, response.text
    [posted] = schemas.check(response.json(), schemas.UPDATE_POSTED)
    timeline = case_repository.timeline(session, case.id)
    update = timeline[-1]
    assert str(update.id) == posted["update_id"]
    assert (update.type, update.public, update.body) == (
        "public_update",
        True,
        "Still there, and getting worse",
    )
    assert update.actor_label == "Test app"
    assert case.status == CaseStatus.NEW  # a client does not move an open case
    audit = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "case_public_update")
    ).all()[-1]
    assert audit.actor_type == "client" and "Rae" not in str(audit.details)
    # the same update_id again is a replay, not a second entry
    again = _update(client, council, service_request_id=case.reference)
    assert again.json() == response.json()
    assert len(case_repository.timeline(session, case.id)) == len(timeline)
    # and it is published back in the updates feed
    feed = client.get(f"{BASE}/servicerequestupdates.json").json()
    mine = [
        u for u in schemas.check(feed, schemas.UPDATES) if u["update_id"] == posted["update_id"]
    ]
    assert mine == [
        {
            "update_id": posted["update_id"],
            "service_request_id": case.reference,
            "status": "FOR_TRIAGE",
            "updated_datetime": mine[0]["updated_datetime"],
            "description": "Still there, and getting worse",
            "media_url": None,
            "external_status_code": None,
        }
    ]
    assert "rae@example.org" not in client.get(f"{BASE}/servicerequestupdates.xml").text


def test_reopen_on_a_closed_case_reopens_it_and_fixed_from_a_client_does_not_close(
    client: TestClient, session: Session, council: Council
) -> None:
    case = create_case(session, council.world.pothole, attributes={"size": "small"})
    fixed = _update(
        client, council, service_request_id=case.reference, status="FIXED", update_id="u1"
    )
    assert fixed.status_code == 200
    assert case.status == CaseStatus.NEW
    case_service.transition(session, council.admin, case, CaseStatus.FIXED)
    reopened = _update(
        client,
        council,
        service_request_id=case.reference,
        status="REOPEN",
        update_id="u2",
        description="",
    )
    assert reopened.status_code == 200, reopened.text
    assert case.status == CaseStatus.REOPENED and case.closed_at is None
    types = [e.type for e in case_repository.timeline(session, case.id)]
    assert types[-2:] == ["status_changed", "public_update"]


def test_updates_feed_window_and_statuses(
    client: TestClient, session: Session, council: Council
) -> None:
    with frozen_clock(datetime(2026, 3, 2, 10, 0, tzinfo=UTC)) as move:
        case = create_case(session, council.world.pothole, attributes={"size": "small"})
        move(datetime(2026, 3, 3, 10, 0, tzinfo=UTC))
        case_service.transition(
            session,
            council.admin,
            case,
            CaseStatus.IN_PROGRESS,
            sub_status="crew-booked",
            public_note="Crew booked",
        )
        move(datetime(2026, 3, 4, 10, 0, tzinfo=UTC))
        case_service.add_public_update(session, council.admin, case, "Crew arrives at 9")
        case_service.add_internal_note(session, council.admin, case, "internal only")
        move(datetime(2026, 3, 10, 10, 0, tzinfo=UTC))
        feed = client.get(
            f"{BASE}/servicerequestupdates.json",
            params={"start_date": "2026-03-03T00:00:00Z", "end_date": "2026-03-05T00:00:00Z"},
        )
        updates = schemas.check(feed.json(), schemas.UPDATES)
        assert [(u["status"], u["description"], u["external_status_code"]) for u in updates] == [
            ("IN_PROGRESS", "Crew booked", "crew-booked"),
            ("IN_PROGRESS", "Crew arrives at 9", None),
        ]
        assert "internal only" not in feed.text
        root = ET.fromstring(
            client.get(
                f"{BASE}/servicerequestupdates.xml", params={"start_date": "2026-03-04T00:00:00Z"}
            ).content
        )
        assert root.tag == "service_request_updates"
        assert [u.findtext("description") for u in root.findall("request_update")] == [
            "Crew arrives at 9"
        ]
        bad = client.get(f"{BASE}/servicerequestupdates.json", params={"start_date": "soon"})
        assert bad.status_code == 400


@pytest.mark.parametrize(
    ("fields", "status", "words"),
    [
        ({"api_key": None}, 403, "api_key"),
        ({"status": "SMOULDERING"}, 400, "status"),
        ({"status": None}, 400, "status"),
        ({"service_request_id": None}, 400, "service_request_id"),
        ({"service_request_id": "SR-2001-000001"}, 404, "not found"),
        ({"updated_datetime": "last tuesday"}, 400, "updated_datetime"),
        ({"description": "x" * 4001}, 400, "description"),
        ({"description": ""}, 400, "description"),
        ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
    ],
)
def test_bad_updates_are_open311_errors(
    client: TestClient,
    session: Session,
    council: Council,
    fields: dict,
    status: int,
    words: str,
) -> None:
    case = create_case(session, council.world.pothole, attributes={"size": "small"})
    values = {"service_request_id": case.reference, **fields}
    before = len(case_repository.timeline(session, case.id))
    response = _update(client, council, **values)
    assert response.status_code == status, response.text
    assert any(words in e["description"] for e in schemas.check(response.json(), schemas.ERRORS))
    assert len(case_repository.timeline(session, case.id)) == before
