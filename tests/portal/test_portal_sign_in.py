"""Citizen sign-in by a one-time e-mail link (a real SMTP server on loopback),
"my requests", "my details" and "download my data"."""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from czrm.cases.models import CaseStatus
from czrm.cases.service import case_service
from czrm.config import get_settings
from czrm.jobs import registry
from czrm.jobs.models import Job
from czrm.kit.time import frozen_clock, utc_now
from czrm.people.models import CommunicationNeeds, ContactKind, ContactPoint, Person
from czrm.people.service import RequesterDetails, find_or_create_requester
from tests.factories import World, create_case
from tests.webtools import csrf, lang_attrs


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802
        self.messages.append(message_from_bytes(envelope.content))  # type: ignore[attr-defined]
        return "250 OK"


@pytest.fixture
def inbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings = get_settings()
    monkeypatch.setattr(settings, "smtp_host", "127.0.0.1")
    monkeypatch.setattr(settings, "smtp_port", port)
    monkeypatch.setattr(settings, "public_base_url", "http://portal.test")
    yield handler
    controller.stop()


@pytest.fixture
def world(session: Session, monkeypatch: pytest.MonkeyPatch) -> World:
    w = World(session)
    monkeypatch.setattr(get_settings(), "portal_jurisdiction", w.jurisdiction.slug)
    return w


def _send_queued_mail(session: Session) -> None:
    """Run the queued sign-in jobs as the worker would."""
    for job in session.scalars(select(Job).where(Job.task == "portal.send_sign_in_link")):
        registry.run(session, job.task, dict(job.args))
        session.delete(job)
    session.flush()


def _link(inbox: Inbox) -> str:
    body = inbox.messages[-1].get_payload(decode=True).decode()
    found = re.search(r"http://portal\.test(/sign-in/[A-Za-z0-9_-]+)", body)
    assert found, body
    return found.group(1)


def _sign_in(client: TestClient, session: Session, inbox: Inbox, email: str) -> None:
    token = csrf(client, "/sign-in")
    asked = client.post("/sign-in", data={"csrf_token": token, "email": email})
    assert asked.status_code == 200 and "Check your email" in asked.text
    _send_queued_mail(session)
    path = _link(inbox)
    page = client.get(path)
    assert page.status_code == 200
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    done = client.post(path, data={"csrf_token": token.group(1)}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/account"


def test_link_by_email_signs_in_and_shows_my_requests(
    client: TestClient, session: Session, world: World, inbox: Inbox
) -> None:
    reporter = find_or_create_requester(
        session, world.jurisdiction.id, RequesterDetails(given_name="Sam", email="sam@example.org")
    )
    mine = create_case(session, world.pothole, requester=reporter)
    other = create_case(session, world.pothole)
    _sign_in(client, session, inbox, "Sam@Example.org")
    message = inbox.messages[-1]
    assert message["To"] == "sam@example.org"
    assert world.jurisdiction.name in message["Subject"]
    page = client.get("/account")
    assert mine.reference in page.text and other.reference not in page.text
    # The address is now verified: the link proved it.
    contact = session.scalars(
        select(ContactPoint).where(ContactPoint.party_id == reporter.id)
    ).one()
    assert contact.verified_at is not None


def test_an_unknown_address_gets_a_new_person(
    client: TestClient, session: Session, world: World, inbox: Inbox
) -> None:
    _sign_in(client, session, inbox, "new.person@example.org")
    person = session.scalars(
        select(Person)
        .join(ContactPoint, ContactPoint.party_id == Person.id)
        .where(ContactPoint.value == "new.person@example.org")
    ).one()
    assert person.jurisdiction_id == world.jurisdiction.id
    assert "You have no requests yet." in client.get("/account").text


def test_a_link_works_once_and_not_after_it_expires(
    client: TestClient, other_client: TestClient, session: Session, world: World, inbox: Inbox
) -> None:
    _sign_in(client, session, inbox, "once@example.org")
    path = _link(inbox)
    token = csrf(other_client, "/sign-in")
    again = other_client.post(path, data={"csrf_token": token})
    assert again.status_code == 410 and "This link has expired or has been used" in again.text
    other_client.post("/sign-in", data={"csrf_token": token, "email": "late@example.org"})
    _send_queued_mail(session)
    late = _link(inbox)
    with frozen_clock(utc_now() + timedelta(minutes=31)):
        assert other_client.get(late).status_code == 410
        assert other_client.post(late, data={"csrf_token": token}).status_code == 410
    assert other_client.get("/account", follow_redirects=False).status_code == 303


@pytest.fixture
def other_client(client: TestClient) -> Iterator[TestClient]:
    with TestClient(client.app, raise_server_exceptions=False) as second:
        yield second


def test_bad_address_is_refused_and_nothing_queued(
    client: TestClient, session: Session, world: World
) -> None:
    token = csrf(client, "/sign-in")
    response = client.post("/sign-in", data={"csrf_token": token, "email": "not-an-address"})
    assert response.status_code == 422
    assert 'href="#email"' in response.text and 'value="not-an-address"' in response.text
    assert (
        session.scalars(select(Job).where(Job.task == "portal.send_sign_in_link")).first() is None
    )


def test_account_pages_need_sign_in(client: TestClient, world: World) -> None:
    for path in ("/account", "/account/details", "/account/my-data.json"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/sign-in"


def test_details_and_preferences(
    client: TestClient, session: Session, world: World, inbox: Inbox
) -> None:
    _sign_in(client, session, inbox, "prefs@example.org")
    token = csrf(client, "/account/details")
    form = {
        "csrf_token": token,
        "given_name": "Rhian",
        "family_name": "Jones",
        "language": "cy",
        "channel": "phone",
        "formats": ["large_print", "easy_read"],
        "prefers_human": "yes",
    }
    refused = client.post("/account/details", data=form)
    assert refused.status_code == 422 and 'href="#phone"' in refused.text
    assert 'value="Rhian"' in refused.text
    saved = client.post(
        "/account/details", data={**form, "phone": "01632 960 777"}, follow_redirects=False
    )
    assert saved.status_code == 303
    person = session.scalars(
        select(Person)
        .join(ContactPoint, ContactPoint.party_id == Person.id)
        .where(ContactPoint.value == "prefs@example.org")
    ).one()
    assert (person.display_name, person.preferred_language) == ("Rhian Jones", "cy")
    contacts = {
        c.kind: c
        for c in session.scalars(select(ContactPoint).where(ContactPoint.party_id == person.id))
    }
    assert contacts[ContactKind.PHONE].preferred and not contacts[ContactKind.EMAIL].preferred
    needs = session.get(CommunicationNeeds, person.id)
    assert needs is not None and needs.accessible_formats == ["large_print", "easy_read"]
    assert needs.prefers_human
    # The pages now speak Welsh.
    page = client.get("/account", headers={"Accept-Language": "en"})
    assert lang_attrs(page.text) == ("cy", "ltr") and "Eich cyfrif" in page.text


def test_download_my_data_holds_mine_only(
    client: TestClient, session: Session, world: World, inbox: Inbox
) -> None:
    me = find_or_create_requester(
        session, world.jurisdiction.id, RequesterDetails(email="data@example.org")
    )
    mine = create_case(session, world.pothole, requester=me)
    case_service.add_public_update(session, world.subject(session, world.caseworker), mine, "On it")
    case_service.add_internal_note(
        session, world.subject(session, world.caseworker), mine, "Secret"
    )
    someone = create_case(session, world.pothole)
    _sign_in(client, session, inbox, "data@example.org")
    response = client.get("/account/my-data.json")
    assert response.headers["content-disposition"].startswith("attachment")
    data = json.loads(response.text)
    assert [r["reference"] for r in data["requests"]] == [mine.reference]
    assert any(e["text"] == "On it" for e in data["requests"][0]["timeline"])
    assert "Secret" not in response.text and someone.reference not in response.text
    assert data["contact_points"][0]["value"] == "data@example.org"


def test_a_signed_in_citizen_cannot_rate_another_citizens_request(
    client: TestClient, session: Session, world: World, inbox: Inbox
) -> None:
    someone = find_or_create_requester(
        session, world.jurisdiction.id, RequesterDetails(email="someone@example.org")
    )
    theirs = create_case(session, world.pothole, requester=someone)
    case_service.transition(
        session, world.subject(session, world.caseworker), theirs, CaseStatus.FIXED
    )
    _sign_in(client, session, inbox, "me@example.org")
    assert client.get(f"/requests/{theirs.reference}/rate").status_code == 404
    token = csrf(client, "/account/details")
    response = client.post(
        f"/requests/{theirs.reference}/rate", data={"csrf_token": token, "score": "1"}
    )
    assert response.status_code == 404


def test_by_post_needs_a_postal_address(
    client: TestClient, session: Session, world: World, inbox: Inbox
) -> None:
    _sign_in(client, session, inbox, "post@example.org")
    token = csrf(client, "/account/details")
    form = {"csrf_token": token, "language": "en", "channel": "post"}
    refused = client.post("/account/details", data=form)
    assert refused.status_code == 422 and 'href="#address"' in refused.text
    saved = client.post(
        "/account/details",
        data={**form, "address": "4 Mill Lane, Northmere", "postcode": "nm2 3ab"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    postal = session.scalars(
        select(ContactPoint).where(
            ContactPoint.kind == ContactKind.POSTAL, ContactPoint.value == "4 Mill Lane, Northmere"
        )
    ).one()
    assert postal.preferred and postal.postcode == "NM2 3AB"
    assert "4 Mill Lane, Northmere" in client.get("/account").text
