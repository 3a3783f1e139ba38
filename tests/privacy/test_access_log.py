"""Who looked at my data: every read path writes a row; the person sees them,
covert ones only once disclosed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from czrm.auth.models import Role
from czrm.auth.subject import SYSTEM
from czrm.communications.models import Message
from czrm.identity.importer import import_rows
from czrm.identity.models import IdentityLink, LinkMethod, ReviewItem
from czrm.identity.service import source_system_service
from czrm.interactions.models import InteractionChannel
from czrm.interactions.schemas import InteractionCreate
from czrm.interactions.service import interaction_service
from czrm.kit.time import utc_now
from czrm.privacy.access_log import access_log_for_citizen
from czrm.privacy.models import AccessLogEntry, RequestKind
from czrm.privacy.requests import subject_request_service
from tests.factories import bearer, create_jurisdiction, create_staff
from tests.privacy.conftest import PrivacyWorld

# GET routes that read no person's data, and why.
NOT_PERSONAL = {
    "/health": "service health",
    "/api/v1/me": "the signed-in staff member",
    "/api/v1/staff": "staff accounts",
    "/api/v1/services": "the service catalogue",
    "/api/v1/services/{code}": "the service catalogue",
    "/api/v1/cases": "case summaries: service, status, place; never the requester",
    "/api/v1/jobs": "job queue state",
    "/api/v1/staff/{staff_id}": "a staff account",
    "/api/v1/open311/clients/{client_id}": "a client application",
    "/api/v1/open311/clients": "client applications",
    "/api/v1/source-systems": "source system definitions",
    "/api/v1/privacy/purposes": "the register of processing",
    "/api/v1/privacy/record-of-processing": "the Art. 30 record",
    "/api/v1/privacy/requests": "request register: references, dates, person ids only",
    "/api/v1/privacy/requests/{request_id}": "one request: dates and status only",
}


def _review_item(session: Session, pw: PrivacyWorld) -> None:
    """A pending pair between the person's tax record and another record."""
    system = source_system_service.register(
        session, SYSTEM, pw.world.jurisdiction.id, code="parking", name="Parking"
    )
    new = import_rows(
        session,
        SYSTEM,
        system,
        [(1, {"external_id": "P1", "first_name": "Ada", "surname": "King"})],
        collect_new_ids=True,
    ).new_record_ids[0]
    session.add(
        IdentityLink(
            source_record_id=new,
            person_id=pw.absorbed.id,
            probability=0.5,
            method=LinkMethod.PROBABILISTIC,
            decided_by="test",
        )
    )
    linked = session.scalars(
        select(IdentityLink.source_record_id).where(IdentityLink.person_id == pw.person.id)
    ).first()
    assert linked is not None
    session.add(
        ReviewItem(
            jurisdiction_id=pw.world.jurisdiction.id,
            record_a_id=min(linked, new),
            record_b_id=max(linked, new),
            probability=0.5,
            match_weight=1.0,
        )
    )
    session.flush()


def _routes(client: TestClient) -> set[str]:
    """Every GET of the JSON API (Open311's public reads show no person)."""
    paths = client.app.openapi()["paths"]  # type: ignore[attr-defined]
    return {p for p, ops in paths.items() if "get" in ops and not p.startswith("/open311")}


def test_every_read_route_touching_personal_data_writes_an_access_log_row(
    client: TestClient, session: Session, pw: PrivacyWorld
) -> None:
    world = pw.world
    request = subject_request_service.create(
        session,
        world.subject(session, world.dpo),
        person_id=pw.person.id,
        kind=RequestKind.ACCESS,
        received_on=utc_now().date(),
        channel="email",
    )
    _review_item(session, pw)
    contact = interaction_service.log(
        session,
        world.subject(session, world.agent),
        InteractionCreate(
            channel=InteractionChannel.PHONE,
            direction="inbound",
            person_id=pw.person.id,
            summary="Rang about the missed bin",
        ),
    )
    message = session.scalars(select(Message).where(Message.person_id == pw.person.id)).first()
    assert message is not None, "the case's requester was sent a message"
    admin, dpo, agent = (bearer(session, s) for s in (world.admin, world.dpo, world.agent))
    personal: dict[str, Callable[[], tuple[str, dict[str, str]]]] = {
        "/api/v1/people": lambda: ("/api/v1/people?family_name=King", agent),
        "/api/v1/people/{person_id}": lambda: (f"/api/v1/people/{pw.person.id}", agent),
        "/api/v1/people/{person_id}/access-log": lambda: (
            f"/api/v1/people/{pw.person.id}/access-log",
            dpo,
        ),
        "/api/v1/cases/{ref}": lambda: (f"/api/v1/cases/{pw.case.reference}", agent),
        "/api/v1/identity/reviews": lambda: ("/api/v1/identity/reviews", admin),
        "/api/v1/interactions": lambda: (f"/api/v1/interactions?person_id={pw.person.id}", agent),
        "/api/v1/interactions/{interaction_id}": lambda: (
            f"/api/v1/interactions/{contact.id}",
            agent,
        ),
        "/api/v1/messages": lambda: (f"/api/v1/messages?person_id={pw.person.id}", agent),
        "/api/v1/messages/{message_id}": lambda: (f"/api/v1/messages/{message.id}", agent),
        "/api/v1/people/{person_id}/consents": lambda: (
            f"/api/v1/people/{pw.person.id}/consents",
            agent,
        ),
        "/api/v1/people/{person_id}/may-contact": lambda: (
            f"/api/v1/people/{pw.person.id}/may-contact?purpose=consultation&channel=email",
            agent,
        ),
        "/api/v1/privacy/requests/{request_id}/export": lambda: (
            f"/api/v1/privacy/requests/{request.id}/export",
            dpo,
        ),
    }
    routes = _routes(client)
    undeclared = routes - set(NOT_PERSONAL) - set(personal)
    assert not undeclared, f"declare these read routes personal or not: {sorted(undeclared)}"
    for path, call in personal.items():
        url, headers = call()
        before = session.scalar(select(func.count()).select_from(AccessLogEntry))
        response = client.get(url, headers=headers)
        assert response.status_code == 200, (path, response.text)
        after = session.scalar(select(func.count()).select_from(AccessLogEntry))
        assert after > before, f"{path} read personal data without an access-log row"


def test_a_row_records_reader_department_purpose_basis_and_categories(
    client: TestClient, session: Session, pw: PrivacyWorld
) -> None:
    officer = pw.world.housing_officer
    client.get(
        f"/api/v1/people/{pw.person.id}?purpose=housing_management",
        headers=bearer(session, officer),
    )
    entry = session.scalars(select(AccessLogEntry)).one()
    assert (entry.staff_id, entry.reader) == (officer.id, officer.display_name)
    assert entry.departments == ["HOUSING"]
    assert (entry.purpose_code, entry.lawful_basis) == ("housing_management", "public_task")
    assert "housing" in entry.categories and "health_social_care" not in entry.categories
    assert entry.disclose_after is None and entry.action == "viewed"


def test_search_and_case_reads_are_logged_for_each_person_shown(
    client: TestClient, session: Session, pw: PrivacyWorld
) -> None:
    agent = bearer(session, pw.world.agent)
    found = client.get(
        "/api/v1/people?identifier_scheme=ni_number&identifier=wx 91 82 73 d", headers=agent
    )
    assert found.status_code == 200
    assert [p["id"] for p in found.json()["items"]] == [str(pw.person.id)]
    case = client.get(f"/api/v1/cases/{pw.case.reference}", headers=agent).json()
    assert case["requester"]["display_name"] == "Ada King"
    assert {c["value"] for c in case["requester"]["contact_points"]} == {
        "ada@example.org",
        "+447700900123",
    }
    actions = session.scalars(
        select(AccessLogEntry.action)
        .where(AccessLogEntry.person_id == pw.person.id)
        .order_by(AccessLogEntry.id)
    ).all()
    assert actions == ["listed", "case_read"]
    missing = client.get("/api/v1/people?identifier_scheme=ni_number", headers=agent)
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "identifier"


def test_the_citizen_sees_reads_and_covert_ones_only_once_disclosed(
    client: TestClient, session: Session, pw: PrivacyWorld
) -> None:
    client.get(f"/api/v1/people/{pw.person.id}", headers=bearer(session, pw.world.agent))
    client.get(
        f"/api/v1/people/{pw.person.id}?purpose=fraud_investigation",
        headers=bearer(session, pw.fraud_officer),
    )
    now = utc_now()
    rows = access_log_for_citizen(session, pw.person.id, now=now)
    assert len(rows) == 1
    assert rows[0]["who"] == "Council staff"
    assert rows[0]["purpose"] == "Handling service requests"
    assert rows[0]["lawful_basis"] == "Art. 6(1)(e) public task"
    assert rows[0]["did"] == "looked at your record"
    assert "names, date of birth, national insurance and other identifiers" in rows[0]["data"]
    assert rows[0]["covert_note"] is None
    later = access_log_for_citizen(session, pw.person.id, now=now + timedelta(days=366))
    assert len(later) == 2
    covert = next(r for r in later if r["purpose"] == "Fraud investigation (covert)")
    assert covert["who"] == "Counter Fraud"
    assert covert["covert_note"].startswith("Hidden from you until ")
    assert "Preventing and detecting fraud" in covert["covert_note"]
    # The DPO sees both now, and which the person cannot see yet.
    staff = client.get(
        f"/api/v1/people/{pw.person.id}/access-log", headers=bearer(session, pw.world.dpo)
    ).json()
    visible = {i["purpose"]: i["visible_to_person"] for i in staff["items"]}
    assert visible == {"casework": True, "fraud_investigation": False}


def test_the_access_log_api_needs_privacy_rights_and_scope(
    client: TestClient, session: Session, pw: PrivacyWorld
) -> None:
    url = f"/api/v1/people/{pw.person.id}/access-log"
    assert client.get(url, headers=bearer(session, pw.world.caseworker)).status_code == 403
    elsewhere = create_staff(session, create_jurisdiction(session), [Role.DPO])
    assert client.get(url, headers=bearer(session, elsewhere)).status_code == 404


def test_another_departments_case_is_not_found(
    client: TestClient, session: Session, pw: PrivacyWorld
) -> None:
    response = client.get(
        f"/api/v1/cases/{pw.case.reference}", headers=bearer(session, pw.world.housing_officer)
    )
    assert response.status_code == 404
    assert session.scalar(select(func.count()).select_from(AccessLogEntry)) == 0
