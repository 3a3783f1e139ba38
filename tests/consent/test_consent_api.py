"""Recording consent and preferences through the staff API: appended, audited, scoped."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from czrm.audit.models import AuditEntry
from tests.factories import World, bearer, create_person, create_staff


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


def _path(person_id: object, tail: str = "consents") -> str:
    return f"/api/v1/people/{person_id}/{tail}"


def test_consent_given_then_withdrawn_keeps_both_and_decides(
    client: TestClient, session: Session, world: World
) -> None:
    person = create_person(session, world.jurisdiction, email="ann@example.org")
    headers = bearer(session, world.agent)
    given = client.post(
        _path(person.id),
        headers=headers,
        json={
            "purpose": "consultation",
            "channel": "email",
            "source": "phone",
            "evidence": "Agreed on the call of 1 May, read the script",
        },
    )
    assert given.status_code == 201, given.text
    assert given.json()["recorded_by_id"] == str(world.agent.id)
    allowed = client.get(
        _path(person.id, "may-contact"),
        headers=headers,
        params={"purpose": "consultation", "channel": "email"},
    )
    assert allowed.json() == {"allowed": True, "reason": "consent given"}

    withdrawn = client.post(
        _path(person.id),
        headers=headers,
        json={"purpose": "consultation", "channel": "email", "active": False, "source": "email"},
    )
    assert withdrawn.status_code == 201
    overview = client.get(_path(person.id), headers=headers).json()
    assert [(h["active"], h["source"]) for h in overview["history"]] == [
        (True, "phone"),
        (False, "email"),
    ]
    assert overview["in_force"] == []
    denied = client.get(
        _path(person.id, "may-contact"),
        headers=headers,
        params={"purpose": "consultation", "channel": "email"},
    )
    assert denied.json() == {"allowed": False, "reason": "no consent for consultation by email"}
    actions = session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.entity_id == str(person.id))
        .order_by(AuditEntry.seq)
    ).all()
    assert actions == ["consent_given", "consent_withdrawn"]


def test_opt_outs_and_objections_are_recorded(
    client: TestClient, session: Session, world: World
) -> None:
    person = create_person(session, world.jurisdiction)
    headers = bearer(session, world.caseworker)
    opt_out = client.post(
        _path(person.id),
        headers=headers,
        json={"kind": "opt_out", "channel": "sms", "source": "phone"},
    )
    objection = client.post(
        _path(person.id),
        headers=headers,
        json={"kind": "objection", "purpose": "service_updates", "source": "letter"},
    )
    assert (opt_out.status_code, objection.status_code) == (201, 201)
    decision = client.get(
        _path(person.id, "may-contact"),
        headers=headers,
        params={"purpose": "service_updates", "channel": "email"},
    )
    assert decision.json()["reason"] == "the person objected to service_updates"
    in_force = client.get(_path(person.id), headers=headers).json()["in_force"]
    assert sorted(r["kind"] for r in in_force) == ["objection", "opt_out"]


def test_contact_preferences_are_set_and_audited(
    client: TestClient, session: Session, world: World
) -> None:
    person = create_person(session, world.jurisdiction)
    headers = bearer(session, world.agent)
    assert client.get(_path(person.id), headers=headers).json()["preferences"] == {
        "preferred_channel": None,
        "digest": "realtime",
    }
    response = client.put(
        _path(person.id, "contact-preferences"),
        headers=headers,
        json={"preferred_channel": "sms", "digest": "weekly"},
    )
    assert response.status_code == 200
    assert response.json() == {"preferred_channel": "sms", "digest": "weekly"}
    client.put(
        _path(person.id, "contact-preferences"),
        headers=headers,
        json={"preferred_channel": "email", "digest": "daily"},
    )
    changes = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.action == "contact_preferences_changed")
        .order_by(AuditEntry.seq)
    ).all()
    assert [c.details["before"] for c in changes] == [
        None,
        {"preferred_channel": "sms", "digest": "weekly"},
    ]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"purpose": "consultation", "source": "phone"}, "evidence"),
        ({"kind": "objection", "source": "phone"}, "purpose"),
        ({"purpose": "Bad Purpose!", "source": "phone", "evidence": "x"}, "purpose"),
        ({"purpose": "consultation", "source": "carrier pigeon", "evidence": "x"}, "source"),
        (
            {"purpose": "consultation", "channel": "fax", "source": "phone", "evidence": "x"},
            "channel",
        ),
        ({"kind": "maybe", "source": "phone"}, "kind"),
    ],
)
def test_bad_input_names_the_field(
    client: TestClient, session: Session, world: World, payload: dict[str, str], field: str
) -> None:
    person = create_person(session, world.jurisdiction)
    response = client.post(_path(person.id), headers=bearer(session, world.agent), json=payload)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field
    assert (
        client.get(_path(person.id), headers=bearer(session, world.agent)).json()["history"] == []
    )


def test_bad_preferences_and_questions_name_the_field(
    client: TestClient, session: Session, world: World
) -> None:
    person = create_person(session, world.jurisdiction)
    headers = bearer(session, world.agent)
    bad = client.put(
        _path(person.id, "contact-preferences"), headers=headers, json={"digest": "hourly"}
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "digest"
    question = client.get(
        _path(person.id, "may-contact"),
        headers=headers,
        params={"purpose": "x y", "channel": "email"},
    )
    assert question.status_code == 422 and question.json()["errors"][0]["field"] == "purpose"


def test_without_permission(client: TestClient, session: Session, world: World) -> None:
    person = create_person(session, world.jurisdiction)
    nobody = bearer(session, create_staff(session, world.jurisdiction, []))
    dpo = bearer(session, world.dpo)
    body = {"kind": "opt_out", "channel": "sms", "source": "phone"}
    assert client.get(_path(person.id), headers=nobody).status_code == 403
    assert client.get(_path(person.id), headers=dpo).status_code == 200  # a DPO may look
    assert client.post(_path(person.id), headers=dpo, json=body).status_code == 403
    assert (
        client.put(_path(person.id, "contact-preferences"), headers=dpo, json={}).status_code == 403
    )
    assert (
        client.get(
            _path(person.id, "may-contact"),
            headers=nobody,
            params={"purpose": "casework", "channel": "sms"},
        ).status_code
        == 403
    )


def test_another_councils_person_is_not_found(
    client: TestClient, session: Session, world: World
) -> None:
    other = World(session)
    elsewhere = create_person(session, other.jurisdiction)
    headers = bearer(session, world.admin)
    assert client.get(_path(elsewhere.id), headers=headers).status_code == 404
    body = {"kind": "opt_out", "channel": "sms", "source": "phone"}
    assert client.post(_path(elsewhere.id), headers=headers, json=body).status_code == 404
    assert (
        client.put(_path(elsewhere.id, "contact-preferences"), headers=headers, json={}).status_code
        == 404
    )
