"""Logging contacts through the staff API, and seeing them on the person and the case."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from czrm.audit.models import AuditEntry
from czrm.kit.time import utc_now
from czrm.people.models import Relationship, RelationshipType
from tests.factories import World, bearer, create_case, create_person

PATH = "/api/v1/interactions"


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


def test_an_agent_logs_a_call_about_a_case(
    client: TestClient, session: Session, world: World
) -> None:
    person = create_person(session, world.jurisdiction, email="ann@example.org")
    case = create_case(session, world.pothole, requester=person)
    response = client.post(
        PATH,
        headers=bearer(session, world.agent),
        json={
            "channel": "phone",
            "person_id": str(person.id),
            "case_reference": case.reference,
            "subject": "Chasing the pothole",
            "summary": "Caller asked when the crew comes; told within 2 days.",
            "outcome": "answered",
            "duration_seconds": 240,
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["channel"] == "phone" and body["direction"] == "inbound"
    assert body["case_reference"] == case.reference
    assert body["staff_id"] == str(world.agent.id)
    assert body["duration_seconds"] == 240
    audit = session.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "interaction_logged", AuditEntry.entity_id == str(body["id"])
        )
    ).one()
    assert audit.details["case_id"] == case.id and audit.details["channel"] == "phone"

    fetched = client.get(f"{PATH}/{body['id']}", headers=bearer(session, world.caseworker))
    assert fetched.status_code == 200 and fetched.json()["summary"].startswith("Caller asked")
    timeline = client.get(
        f"/api/v1/cases/{case.reference}", headers=bearer(session, world.caseworker)
    ).json()["timeline"]
    assert [(e["type"], e["body"]) for e in timeline if e["type"] == "interaction"] == [
        ("interaction", "Chasing the pothole")
    ]
    view = client.get(f"/api/v1/people/{person.id}", headers=bearer(session, world.agent)).json()
    assert view["interactions"]["total"] == 1
    assert view["interactions"]["items"][0]["channel"] == "phone"


def test_listing_filters_by_person_case_and_channel(
    client: TestClient, session: Session, world: World
) -> None:
    ann = create_person(session, world.jurisdiction)
    bob = create_person(session, world.jurisdiction)
    case = create_case(session, world.pothole, requester=ann)
    headers = bearer(session, world.agent)
    for person, channel, ref in (
        (ann, "phone", case.reference),
        (ann, "walk_in", None),
        (bob, "letter", None),
    ):
        created = client.post(
            PATH,
            headers=headers,
            json={
                "channel": channel,
                "person_id": str(person.id),
                "case_reference": ref,
                "summary": f"{channel} contact",
            },
        )
        assert created.status_code == 201, created.text

    def summaries(**params: str) -> list[str]:
        page = client.get(PATH, headers=headers, params=params).json()
        return sorted(i["summary"] for i in page["items"])

    assert summaries(person_id=str(ann.id)) == ["phone contact", "walk_in contact"]
    assert summaries(case=case.reference) == ["phone contact"]
    assert summaries(channel="letter") == ["letter contact"]
    assert (
        client.get(PATH, headers=headers, params={"case": "SR-1999-000001"}).json()["errors"][0][
            "field"
        ]
        == "case"
    )


def test_an_authorised_representative_speaks_for_a_person(
    client: TestClient, session: Session, world: World
) -> None:
    person = create_person(session, world.jurisdiction)
    carer = create_person(session, world.jurisdiction)
    stranger = create_person(session, world.jurisdiction)
    session.add(
        Relationship(
            from_party_id=carer.id,
            to_party_id=person.id,
            type=RelationshipType.AUTHORISED_REPRESENTATIVE_OF,
            scope=["cases"],
            expires_on=(utc_now() + timedelta(days=30)).date(),
        )
    )
    session.flush()
    headers = bearer(session, world.agent)
    payload = {"channel": "walk_in", "person_id": str(person.id), "summary": "Came in about bins"}
    ok = client.post(PATH, headers=headers, json={**payload, "representative_id": str(carer.id)})
    assert ok.status_code == 201 and ok.json()["representative_id"] == str(carer.id)
    refused = client.post(
        PATH, headers=headers, json={**payload, "representative_id": str(stranger.id)}
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "representative_id"
    # The representative's own 360° view shows the contact too.
    view = client.get(f"/api/v1/people/{carer.id}", headers=headers).json()
    assert view["interactions"]["items"][0]["on_behalf"] is True


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"channel": "pigeon", "summary": "x"}, "channel"),
        ({"channel": "phone", "summary": ""}, "summary"),
        ({"channel": "phone", "summary": "x", "duration_seconds": -5}, "duration_seconds"),
        ({"channel": "phone", "summary": "x", "person_id": "not-a-uuid"}, "person_id"),
        ({"channel": "phone", "summary": "x", "colour": "red"}, "colour"),
        ({"channel": "phone", "summary": "x", "occurred_at": "2020-01-01T10:00:00"}, "occurred_at"),
        (
            {"channel": "phone", "summary": "x", "occurred_at": "2999-01-01T10:00:00Z"},
            "occurred_at",
        ),
        (
            {"channel": "phone", "summary": "x", "case_reference": "SR-2020-999999"},
            "case_reference",
        ),
        (
            {
                "channel": "phone",
                "summary": "x",
                "person_id": "8d3f1b4e-1111-4a2b-9c3d-000000000000",
            },
            "person_id",
        ),
    ],
)
def test_bad_input_names_the_field(
    client: TestClient, session: Session, world: World, payload: dict[str, object], field: str
) -> None:
    response = client.post(PATH, headers=bearer(session, world.agent), json=payload)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == field


def test_without_permission(client: TestClient, session: Session, world: World) -> None:
    headers = bearer(session, world.dpo)
    assert (
        client.post(PATH, headers=headers, json={"channel": "phone", "summary": "x"}).status_code
        == 403
    )
    assert client.get(PATH, headers=headers).status_code == 403
    assert client.get(f"{PATH}/1", headers=headers).status_code == 403
    assert client.get(PATH).status_code == 401


def test_another_department_or_council_is_not_found(
    client: TestClient, session: Session, world: World
) -> None:
    person = create_person(session, world.jurisdiction)
    housing_case = create_case(session, world.repair, requester=person)
    created = client.post(
        PATH,
        headers=bearer(session, world.admin),
        json={
            "channel": "phone",
            "person_id": str(person.id),
            "case_reference": housing_case.reference,
            "summary": "Damp in the bathroom",
        },
    ).json()
    highways = bearer(session, world.caseworker)
    assert client.get(f"{PATH}/{created['id']}", headers=highways).status_code == 404
    assert (
        client.get(PATH, headers=highways, params={"person_id": str(person.id)}).json()["total"]
        == 0
    )
    housing = bearer(session, world.housing_officer)
    assert client.get(f"{PATH}/{created['id']}", headers=housing).status_code == 200

    other = World(session)
    elsewhere = create_person(session, other.jurisdiction)
    assert (
        client.get(f"{PATH}/{created['id']}", headers=bearer(session, other.admin)).status_code
        == 404
    )
    refused = client.post(
        PATH,
        headers=bearer(session, world.agent),
        json={"channel": "phone", "person_id": str(elsewhere.id), "summary": "x"},
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "person_id"
