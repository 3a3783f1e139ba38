"""Console pages about people: search, the 360° view with a purpose, and
assisted digital (a request taken for a caller)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from czrm.audit.models import AuditEntry
from czrm.cases.models import Case, Channel
from czrm.identity.intake import resolve_requester
from czrm.people.models import Person
from czrm.people.service import RequesterDetails, find_or_create_requester
from czrm.privacy.models import AccessLogEntry
from tests.factories import World, create_case, create_jurisdiction
from tests.webtools import csrf, sign_in


def _person(session: Session, world: World, email: str = "pat@example.org") -> Person:
    return find_or_create_requester(
        session,
        world.jurisdiction.id,
        RequesterDetails(given_name="Pat", family_name="Quinn", email=email),
    )


def _cases(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Case)) or 0)


def test_search_finds_people_of_this_council_only(
    client: TestClient, session: Session, world: World
) -> None:
    pat = _person(session, world)
    elsewhere = find_or_create_requester(
        session,
        create_jurisdiction(session).id,
        RequesterDetails(given_name="Pat", email="p@x.org"),
    )
    sign_in(client, session, world.caseworker)
    page = client.get("/console/people?q=quinn").text
    assert f"/console/people/{pat.id}" in page and str(elsewhere.id) not in page
    assert f"/console/people/{pat.id}" in client.get("/console/people?q=PAT@example").text
    assert "Nobody matches." in client.get("/console/people?q=zzzz").text


def test_the_360_view_asks_for_a_purpose_and_is_logged(
    client: TestClient, session: Session, world: World
) -> None:
    pat = _person(session, world)
    case = create_case(session, world.pothole, requester=pat)
    sign_in(client, session, world.caseworker)
    asked = client.get(f"/console/people/{pat.id}")
    assert asked.status_code == 200 and "Why do you need this record?" in asked.text
    assert case.reference not in asked.text
    bad = client.get(f"/console/people/{pat.id}?purpose=curiosity")
    assert bad.status_code == 422 and 'href="#purpose"' in bad.text
    shown = client.get(f"/console/people/{pat.id}?purpose=casework")
    assert shown.status_code == 200
    assert "Pat Quinn" in shown.text and case.reference in shown.text
    assert "pat@example.org" in shown.text
    viewed = session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.action == "person_viewed", AuditEntry.entity_id == str(pat.id))
    )
    assert viewed == 1


def test_each_person_a_search_lists_gets_an_access_log_row(
    client: TestClient, session: Session, world: World
) -> None:
    pat = _person(session, world)
    sign_in(client, session, world.caseworker)
    assert f"/console/people/{pat.id}" in client.get("/console/people?q=quinn").text
    assert f"/console/assist/{pat.id}" in client.get("/console/assist?q=quinn").text
    rows = session.scalars(
        select(AccessLogEntry.action).where(AccessLogEntry.person_id == pat.id)
    ).all()
    assert rows == ["listed", "listed"]


def test_the_purposes_are_the_registers_and_withheld_parts_show_as_withheld(
    client: TestClient, session: Session, world: World
) -> None:
    pat = _person(session, world)
    case = create_case(session, world.pothole, requester=pat)
    sign_in(client, session, world.caseworker)
    asked = client.get(f"/console/people/{pat.id}").text
    assert "Handling service requests" in asked and 'value="service_updates"' in asked
    assert 'value="fraud_investigation"' not in asked  # open to counter-fraud and revenues only
    updates = client.get(f"/console/people/{pat.id}?purpose=service_updates")
    assert updates.status_code == 200
    assert "pat@example.org" in updates.text  # contact details serve this purpose
    assert case.reference not in updates.text  # the request history does not
    assert "Withheld" in updates.text and "service history" in updates.text

    # A record from a departmental system: how it was matched is linkage, which
    # casework does not need.
    walk_in = resolve_requester(
        session,
        world.subject(session, world.agent).actor,
        world.jurisdiction.id,
        RequesterDetails(given_name="Morgan", family_name="Walk-In", phone="01632 960 555"),
    )
    page = client.get(f"/console/people/{walk_in.id}?purpose=casework")
    assert page.status_code == 200 and "Morgan Walk-In" in page.text
    assert "contact:+441632960555" in page.text or "contact:01632960555" in page.text
    assert "not needed for this purpose:" in page.text and "linkage" in page.text


def test_another_councils_person_is_not_found(
    client: TestClient, session: Session, world: World
) -> None:
    other = find_or_create_requester(
        session, create_jurisdiction(session).id, RequesterDetails(email="o@x.org")
    )
    sign_in(client, session, world.agent)
    assert client.get(f"/console/people/{other.id}?purpose=casework").status_code == 404
    assert client.get(f"/console/assist/{other.id}").status_code == 404


def test_people_pages_without_permission(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, session, world.dpo)
    assert client.get("/console/people?q=pat").status_code == 403
    assert client.get("/console/assist").status_code == 403


def test_agent_takes_a_phone_request_for_a_known_caller(
    client: TestClient, session: Session, world: World
) -> None:
    pat = _person(session, world)
    sign_in(client, session, world.agent)
    found = client.get("/console/assist?q=quinn").text
    assert f'href="/console/assist/{pat.id}"' in found
    form = client.get(f"/console/assist/{pat.id}?service=POTHOLE")
    assert 'name="description"' in form.text
    token = csrf(client, f"/console/assist/{pat.id}?service=POTHOLE")
    before = _cases(session)
    empty = client.post(
        f"/console/assist/{pat.id}",
        data={"csrf_token": token, "service": "POTHOLE", "channel": "phone"},
    )
    assert empty.status_code == 422 and 'href="#description"' in empty.text
    assert _cases(session) == before
    done = client.post(
        f"/console/assist/{pat.id}",
        data={
            "csrf_token": token,
            "service": "POTHOLE",
            "channel": "walk_in",
            "description": "Caller says the hole is getting bigger",
            "address": "3 Canal Street",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"].startswith("/console/cases/SR-")
    case = session.scalars(select(Case).order_by(Case.id.desc())).first()
    assert case is not None
    assert (case.requester_id, case.channel, case.created_by_id) == (
        pat.id,
        Channel.WALK_IN,
        world.agent.id,
    )


def test_a_new_caller_is_created_then_the_request_raised(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, session, world.agent)
    token = csrf(client, "/console/assist")
    nameless = client.post(
        "/console/assist/person", data={"csrf_token": token, "phone": "01632960000"}
    )
    assert nameless.status_code == 422 and 'href="#given_name"' in nameless.text
    assert 'value="01632960000"' in nameless.text
    made = client.post(
        "/console/assist/person",
        data={
            "csrf_token": token,
            "given_name": "Ola",
            "family_name": "Nowak",
            "phone": "01632 960 001",
        },
        follow_redirects=False,
    )
    assert made.status_code == 303
    person = session.scalars(select(Person).where(Person.display_name == "Ola Nowak")).one()
    assert made.headers["location"] == f"/console/assist/{person.id}"


def test_a_caseworker_cannot_raise_for_another_department(
    client: TestClient, session: Session, world: World
) -> None:
    pat = _person(session, world)
    sign_in(client, session, world.caseworker)
    page = client.get(f"/console/assist/{pat.id}").text
    assert 'value="REPAIR"' not in page and 'value="POTHOLE"' in page
    token = csrf(client, f"/console/assist/{pat.id}")
    before = _cases(session)
    response = client.post(
        f"/console/assist/{pat.id}",
        data={"csrf_token": token, "service": "REPAIR", "channel": "phone", "description": "Leak"},
    )
    assert response.status_code == 403
    assert _cases(session) == before
