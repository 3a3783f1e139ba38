"""The 360° view: one call, everything held about a person, scoped and logged."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from czrm.audit.models import AuditEntry
from czrm.auth.models import Role
from czrm.auth.subject import SYSTEM
from czrm.errors import ValidationFailed
from czrm.identity.importer import import_rows
from czrm.identity.merges import merge_service
from czrm.identity.models import IdentityLink, LinkMethod
from czrm.identity.service import source_system_service
from czrm.interactions.models import Direction, InteractionChannel
from czrm.interactions.service import NewInteraction, interaction_service
from czrm.people import identifiers, profile
from czrm.people.models import (
    ContactKind,
    NameKind,
    Organisation,
    Person,
    RelationshipType,
    RoleType,
)
from czrm.people.service import RequesterDetails, find_or_create_requester
from tests.factories import World, bearer, create_case, create_jurisdiction, create_staff


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


def _person(session: Session, world: World) -> Person:
    person = find_or_create_requester(
        session,
        world.jurisdiction.id,
        RequesterDetails(given_name="Ada", family_name="King", email="ada@example.org"),
    )
    person.date_of_birth = date(1955, 12, 10)
    profile.add_previous_name(
        session, SYSTEM, person, given_name="Ada", family_name="Byron", valid_to=date(1975, 7, 8)
    )
    profile.add_role(session, SYSTEM, person, RoleType.RESIDENT, valid_from=date(2001, 1, 1))
    profile.add_role(
        session, SYSTEM, person, RoleType.COUNCIL_TAX_PAYER, department_id=world.housing.id
    )
    household = profile.create_household(
        session, SYSTEM, world.jurisdiction.id, name="12 Mill Road", postcode="NM1 2AB"
    )
    profile.relate(session, SYSTEM, person, RelationshipType.HOUSEHOLD_MEMBER, household)
    son = Person(jurisdiction_id=world.jurisdiction.id, display_name="Byron King")
    firm = Organisation(
        jurisdiction_id=world.jurisdiction.id,
        display_name="Engines Ltd",
        legal_name="Engines Ltd",
        registered_number="01234567",
    )
    session.add_all([son, firm])
    session.flush()
    profile.relate(
        session,
        SYSTEM,
        son,
        RelationshipType.AUTHORISED_REPRESENTATIVE_OF,
        person,
        scope=["cases"],
        expires_on=date(2027, 1, 1),
    )
    profile.relate(session, SYSTEM, person, RelationshipType.DIRECTOR_OF, firm)
    profile.add_contact(session, SYSTEM, person, ContactKind.PHONE, "07700 900123")
    identifiers.add(session, person.id, scheme="ni_number", value="ab 12 34 56 c", issuer="HMRC")
    profile.set_needs(
        session,
        SYSTEM,
        person,
        language="cy",
        accessible_formats=["large_print"],
        prefers_human=True,
    )
    return person


def test_the_view_assembles_everything(client: TestClient, session: Session, world: World) -> None:
    person = _person(session, world)
    for _ in range(3):
        create_case(session, world.pothole, requester=person)
    create_case(session, world.repair, requester=person)
    tax = source_system_service.register(
        session, SYSTEM, world.jurisdiction.id, code="tax", name="Council tax"
    )
    report = import_rows(
        session,
        SYSTEM,
        tax,
        [(2, {"external_id": "T9", "first_name": "Ada", "surname": "King"})],
        collect_new_ids=True,
    )
    session.add(
        IdentityLink(
            source_record_id=report.new_record_ids[0],
            person_id=person.id,
            probability=1.0,
            method=LinkMethod.CLERICAL,
            decided_by="test",
        )
    )
    session.flush()

    response = client.get(
        f"/api/v1/people/{person.id}?cases_page_size=2", headers=bearer(session, world.agent)
    )
    assert response.status_code == 200, response.text
    view = response.json()
    assert view["display_name"] == "Ada King" and view["date_of_birth"] == "1955-12-10"
    assert view["previous_names"][0]["family_name"] == "Byron"
    assert view["previous_names"][0]["kind"] == NameKind.PREVIOUS
    # Casework (the agent's default purpose) sees the residence but not the tax account.
    assert view["purpose"]["code"] == "casework"
    assert sorted(r.get("role", r.get("category")) for r in view["roles"]) == [
        "financial",
        "resident",
    ]
    assert {"withheld": True, "category": "financial"} in view["roles"]
    by_type = {r["type"]: r for r in view["relationships"]}
    assert by_type["household_member"]["other_party_name"] == "12 Mill Road"
    assert by_type["authorised_representative_of"]["direction"] == "incoming"
    assert by_type["authorised_representative_of"]["scope"] == ["cases"]
    assert by_type["authorised_representative_of"]["expires_on"] == "2027-01-01"
    assert by_type["director_of"]["other_party_name"] == "Engines Ltd"
    assert {(c["kind"], c["value"]) for c in view["contact_points"]} == {
        ("email", "ada@example.org"),
        ("phone", "+447700900123"),
    }
    assert view["identifiers"] == [
        {"scheme": "ni_number", "value": "••••••56C", "issuer": "HMRC", "verified": False}
    ]
    assert view["communication_needs"]["language"] == "cy"
    assert view["communication_needs"]["prefers_human"] is True
    assert view["source_records"]["total"] == 1
    assert view["source_records"]["systems"]["tax"][0]["external_id"] == "T9"
    assert view["source_records"]["systems"]["tax"][0]["link"] == {
        "withheld": True,
        "category": "linkage",
    }
    assert view["cases"]["total"] == 4 and len(view["cases"]["items"]) == 2
    assert view["cases"]["items"][0]["reference"].startswith("SR-")
    page2 = client.get(
        f"/api/v1/people/{person.id}?cases_page_size=2&cases_page=2",
        headers=bearer(session, world.agent),
    ).json()
    assert len(page2["cases"]["items"]) == 2
    assert {c["id"] for c in page2["cases"]["items"]}.isdisjoint(
        {c["id"] for c in view["cases"]["items"]}
    )
    logged = session.scalars(select(AuditEntry).where(AuditEntry.action == "person_viewed")).all()
    assert len(logged) == 2 and logged[0].entity_id == str(person.id)
    assert "Ada" not in str(logged[0].details)


def test_each_part_pages_with_its_total_even_past_the_end(
    client: TestClient, session: Session, world: World
) -> None:
    person = _person(session, world)
    for _ in range(3):
        create_case(session, world.pothole, requester=person)
    tax = source_system_service.register(
        session, SYSTEM, world.jurisdiction.id, code="tax", name="Council tax"
    )
    ids = import_rows(
        session,
        SYSTEM,
        tax,
        [(n + 2, {"external_id": f"T{n}", "surname": "King"}) for n in range(3)],
        collect_new_ids=True,
    ).new_record_ids
    for record_id in ids:
        session.add(
            IdentityLink(
                source_record_id=record_id,
                person_id=person.id,
                probability=1.0,
                method=LinkMethod.CLERICAL,
                decided_by="test",
            )
        )
    for n in range(3):
        interaction_service.add(
            session,
            SYSTEM,
            NewInteraction(
                jurisdiction_id=world.jurisdiction.id,
                channel=InteractionChannel.PHONE,
                direction=Direction.INBOUND,
                summary=f"call {n}",
                person_id=person.id,
            ),
        )
    session.flush()
    sizes = "cases_page_size=2&records_page_size=2&interactions_page_size=2"

    def view(page: int) -> dict[str, Any]:
        response = client.get(
            f"/api/v1/people/{person.id}?{sizes}&cases_page={page}&records_page={page}"
            f"&interactions_page={page}",
            headers=bearer(session, world.agent),
        )
        assert response.status_code == 200, response.text
        return dict(response.json())

    for page, shown in ((1, 2), (2, 1), (3, 0)):
        found = view(page)
        assert (found["cases"]["total"], len(found["cases"]["items"])) == (3, shown)
        assert (found["interactions"]["total"], len(found["interactions"]["items"])) == (3, shown)
        records = found["source_records"]
        assert (records["total"], len(records["systems"].get("tax", []))) == (3, shown)
    assert [r["external_id"] for r in view(1)["source_records"]["systems"]["tax"]] == ["T0", "T1"]


def test_cases_follow_the_readers_department_scope(
    client: TestClient, session: Session, world: World
) -> None:
    person = _person(session, world)
    create_case(session, world.pothole, requester=person)
    create_case(session, world.repair, requester=person)
    view = client.get(
        f"/api/v1/people/{person.id}", headers=bearer(session, world.housing_officer)
    ).json()
    assert view["cases"]["total"] == 1


def test_merged_persons_cases_show_on_the_survivor(
    client: TestClient, session: Session, world: World
) -> None:
    person = _person(session, world)
    other = find_or_create_requester(
        session, world.jurisdiction.id, RequesterDetails(given_name="A", email="a.k@example.org")
    )
    create_case(session, world.pothole, requester=other)
    tax = source_system_service.register(
        session, SYSTEM, world.jurisdiction.id, code="tax", name="Council tax"
    )
    ids = import_rows(
        session,
        SYSTEM,
        tax,
        [
            (2, {"external_id": "1", "first_name": "Ada", "surname": "King"}),
            (3, {"external_id": "2", "first_name": "A", "surname": "King"}),
        ],
        collect_new_ids=True,
    ).new_record_ids
    for record_id, owner in zip(ids, (person, other), strict=True):
        session.add(
            IdentityLink(
                source_record_id=record_id,
                person_id=owner.id,
                probability=1.0,
                method=LinkMethod.EXACT,
                decided_by="test",
            )
        )
    session.flush()
    merge_service.merge(
        session, SYSTEM, world.jurisdiction.id, survivor_id=person.id, absorbed_id=other.id
    )
    view = client.get(
        f"/api/v1/people/{person.id}?purpose=identity_resolution",
        headers=bearer(session, world.admin),
    ).json()
    assert view["merged_person_ids"] == [str(other.id)]
    assert view["cases"]["total"] == 1
    assert view["source_records"]["total"] == 2
    absorbed = client.get(f"/api/v1/people/{other.id}", headers=bearer(session, world.agent))
    assert absorbed.json()["merged_into_id"] == str(person.id)


def test_without_permission_is_forbidden(
    client: TestClient, session: Session, world: World
) -> None:
    person = _person(session, world)
    nobody = create_staff(session, world.jurisdiction, [])
    response = client.get(f"/api/v1/people/{person.id}", headers=bearer(session, nobody))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    # The data protection officer reads for subject rights, not for casework.
    response = client.get(
        f"/api/v1/people/{person.id}?purpose=casework", headers=bearer(session, world.dpo)
    )
    assert response.status_code == 403
    assert response.json()["code"] == "purpose_not_allowed"
    assert client.get(f"/api/v1/people/{person.id}").status_code == 401


def test_another_jurisdictions_person_is_not_found(
    client: TestClient, session: Session, world: World
) -> None:
    person = _person(session, world)
    elsewhere = create_staff(session, create_jurisdiction(session), [Role.ADMIN])
    response = client.get(f"/api/v1/people/{person.id}", headers=bearer(session, elsewhere))
    assert response.status_code == 404
    missing = client.get(
        "/api/v1/people/00000000-0000-0000-0000-000000000000", headers=bearer(session, world.agent)
    )
    assert missing.status_code == 404


def test_profile_rules(session: Session, world: World) -> None:
    person = _person(session, world)
    with pytest.raises(ValidationFailed):
        profile.relate(
            session,
            SYSTEM,
            person,
            RelationshipType.AUTHORISED_REPRESENTATIVE_OF,
            Person(jurisdiction_id=world.jurisdiction.id, display_name="x"),
        )
    with pytest.raises(ValidationFailed):
        profile.relate(session, SYSTEM, person, RelationshipType.PARENT_OF, person)
    with pytest.raises(ValidationFailed):
        profile.add_role(
            session,
            SYSTEM,
            person,
            RoleType.TENANT,
            valid_from=date(2020, 1, 1),
            valid_to=date(2019, 1, 1),
        )
    with pytest.raises(ValidationFailed):
        profile.add_contact(session, SYSTEM, person, ContactKind.EMAIL, "not-an-email")
    with pytest.raises(ValidationFailed):
        identifiers.add(session, person.id, scheme="NI Number", value="x")
    assert identifiers.find_parties(
        session, world.jurisdiction.id, scheme="ni_number", value="AB123456C"
    ) == [person.id]


def test_requester_matching_still_exact(session: Session, world: World) -> None:
    first = find_or_create_requester(
        session, world.jurisdiction.id, RequesterDetails(given_name="Ada", email="ADA@example.org")
    )
    again = find_or_create_requester(
        session, world.jurisdiction.id, RequesterDetails(email="ada@example.org")
    )
    assert again.id == first.id
