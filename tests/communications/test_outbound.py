"""Messages to citizens: queued with the change, rendered in their language,
sent over a real SMTP server on loopback, stopped by objections and opt-outs."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from czrm.auth.subject import SYSTEM
from czrm.cases.models import CaseStatus
from czrm.cases.service import case_service
from czrm.communications import delivery
from czrm.communications.models import Mailbox, Message, MessageStatus, ProviderConfig
from czrm.communications.service import communication_service, reach_of
from czrm.communications.workflow import Route, choose_route
from czrm.config import get_settings
from czrm.consent.models import ConsentKind, ContactChannel, ContactPreference, DigestFrequency
from czrm.consent.schemas import ConsentIn
from czrm.consent.service import consent_service
from czrm.jobs.models import Job
from czrm.kit.time import utc_now
from czrm.people.models import ContactKind, ContactPoint, Person
from tests.factories import World, bearer, create_case, create_person
from tests.mailsink import Sink


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


def _messages(session: Session, person: Person) -> list[Message]:
    session.expire_all()
    stmt = select(Message).where(Message.person_id == person.id).order_by(Message.id)
    return list(session.scalars(stmt))


def _send_all(session: Session, person: Person) -> list[str]:
    outcomes = []
    for message in _messages(session, person):
        if message.status == MessageStatus.QUEUED:
            outcomes.append(_deliver(session, message.id))
    return outcomes


def _deliver(session: Session, message_id: int) -> str:
    """Deliver as the worker does (its own transactions), then forget stale objects."""
    outcome = delivery.deliver(session.get_bind(), message_id)
    session.expire_all()
    return outcome


def _opt_out(session: Session, person: Person, channel: ContactChannel | None) -> None:
    consent_service.append(
        session,
        SYSTEM,
        person,
        ConsentIn(kind=ConsentKind.OPT_OUT, channel=channel, source="phone"),
    )


def test_a_new_case_queues_an_acknowledgement_in_the_same_transaction(
    session: Session, world: World
) -> None:
    person = create_person(session, world.jurisdiction, email="ann@example.org")
    case = create_case(session, world.pothole, requester=person)
    [message] = _messages(session, person)
    assert (message.event, message.channel, message.status) == (
        "request_received",
        "email",
        MessageStatus.QUEUED,
    )
    assert message.recipient == "ann@example.org"
    assert case.reference in message.subject
    job = session.scalars(select(Job).where(Job.key == f"message:{message.id}")).one()
    assert (job.task, job.args) == ("communications.deliver", {"message_id": message.id})


def test_an_anonymous_case_sends_nothing(session: Session, world: World) -> None:
    case = create_case(session, world.pothole)
    assert session.scalars(select(Message).where(Message.case_id == case.id)).all() == []


def test_english_mail_reaches_the_relay_with_its_headers(
    session: Session, world: World, smtp_sink: Sink
) -> None:
    session.add(
        Mailbox(
            jurisdiction_id=world.jurisdiction.id,
            address="reports@council.example",
            triage_service_id=world.pothole.id,
            created_at=utc_now(),
        )
    )
    person = create_person(session, world.jurisdiction, email="ann@example.org")
    case = create_case(session, world.pothole, requester=person)
    assert _send_all(session, person) == ["sent"]
    [mail] = smtp_sink.messages
    [message] = _messages(session, person)
    assert mail["Message-ID"] == message.key
    assert mail["To"] == "ann@example.org"
    assert mail["Subject"] == f"We have received your request {case.reference}"
    assert mail["Content-Language"] == "en"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["Reply-To"] == "reports@council.example"
    text = mail.get_body(("plain",)).get_content()
    assert "Dear Person" in text and f"/requests/{case.reference}" in text
    assert message.status == MessageStatus.SENT and message.sent_at is not None
    assert [h["status"] for h in message.history] == ["queued", "sending", "sent"]


def test_welsh_and_arabic_speakers_get_their_language(
    session: Session, world: World, smtp_sink: Sink
) -> None:
    welsh = create_person(session, world.jurisdiction, email="cy@example.org", language="cy")
    arabic = create_person(session, world.jurisdiction, email="ar@example.org", language="ar")
    welsh_case = create_case(session, world.pothole, requester=welsh)
    arabic_case = create_case(session, world.pothole, requester=arabic)
    _send_all(session, welsh)
    _send_all(session, arabic)
    by_to = {str(m["To"]): m for m in smtp_sink.messages}
    cy, ar = by_to["cy@example.org"], by_to["ar@example.org"]
    assert cy["Subject"] == f"Rydym wedi cael eich cais {welsh_case.reference}"
    assert cy["Content-Language"] == "cy"
    assert "Diolch am gysylltu" in cy.get_body(("plain",)).get_content()
    assert ar["Subject"] == f"لقد استلمنا طلبك {arabic_case.reference}"
    assert ar["Content-Language"] == "ar"
    assert "شكرًا لتواصلك" in ar.get_body(("plain",)).get_content()
    html = ar.get_body(("html",)).get_content()
    assert 'dir="rtl"' in html and 'lang="ar"' in html


def test_messages_name_the_service_in_the_recipients_language(
    session: Session, world: World
) -> None:
    world.pothole.translations = {"cy": {"name": "Twll yn y ffordd"}}
    session.flush()
    welsh = create_person(session, world.jurisdiction, email="cy@example.org", language="cy")
    arabic = create_person(session, world.jurisdiction, email="ar@example.org", language="ar")
    english = create_person(session, world.jurisdiction, email="en@example.org")
    for person in (welsh, arabic, english):
        create_case(session, world.pothole, requester=person)
    [to_welsh] = _messages(session, welsh)
    assert "ynghylch Twll yn y ffordd" in to_welsh.body and "Pothole" not in to_welsh.body
    # No Arabic name: the English one, inside the Arabic message.
    [to_arabic] = _messages(session, arabic)
    assert to_arabic.language == "ar" and "Pothole" in to_arabic.body
    [to_english] = _messages(session, english)
    assert "about Pothole" in to_english.body


def test_closure_asks_for_a_rating_on_the_portal(
    session: Session, world: World, smtp_sink: Sink
) -> None:
    person = create_person(session, world.jurisdiction, email="ann@example.org")
    case = create_case(session, world.pothole, requester=person)
    subject = world.subject(session, world.caseworker)
    case_service.transition(session, subject, case, CaseStatus.FIXED, public_note="Filled today.")
    _send_all(session, person)
    closed = [m for m in smtp_sink.messages if "closed" in str(m["Subject"])]
    assert len(closed) == 1
    text = closed[0].get_body(("plain",)).get_content()
    base = get_settings().public_base_url.rstrip("/")
    assert f"{base}/requests/{case.reference}/rate" in text
    assert "Outcome: fixed." in text and "Filled today." in text


def test_status_changes_updates_and_reopening_each_send_their_message(
    session: Session, world: World
) -> None:
    person = create_person(session, world.jurisdiction, email="ann@example.org")
    case = create_case(session, world.pothole, requester=person)
    subject = world.subject(session, world.caseworker)
    case_service.transition(session, subject, case, CaseStatus.IN_PROGRESS)
    case_service.add_public_update(session, subject, case, "A crew is on the way.")
    case_service.add_internal_note(session, subject, case, "Staff only.")
    case_service.transition(session, subject, case, CaseStatus.CLOSED)
    case_service.transition(session, subject, case, CaseStatus.REOPENED)
    events = [m.event for m in _messages(session, person)]
    assert events == ["request_received", "status_changed", "public_update", "closed", "reopened"]
    update = _messages(session, person)[2]
    assert "A crew is on the way." in update.body


def test_an_objection_at_queue_time_suppresses_the_message(
    session: Session, world: World, smtp_sink: Sink
) -> None:
    person = create_person(session, world.jurisdiction, email="ann@example.org")
    consent_service.append(
        session,
        SYSTEM,
        person,
        ConsentIn(kind=ConsentKind.OBJECTION, purpose="service_updates", source="letter"),
    )
    create_case(session, world.pothole, requester=person)
    [message] = _messages(session, person)
    assert message.status == MessageStatus.SUPPRESSED
    assert message.last_error == "the person objected to service_updates"
    assert session.scalars(select(Job).where(Job.key == f"message:{message.id}")).first() is None
    assert smtp_sink.messages == []


def test_opting_out_after_queueing_stops_the_queued_message(
    session: Session, world: World, smtp_sink: Sink
) -> None:
    person = create_person(session, world.jurisdiction, email="ann@example.org")
    create_case(session, world.pothole, requester=person)
    [message] = _messages(session, person)
    assert message.status == MessageStatus.QUEUED
    _opt_out(session, person, ContactChannel.EMAIL)
    assert _deliver(session, message.id) == "suppressed"
    [message] = _messages(session, person)
    assert message.history[-1]["detail"] == "at send time: the person opted out of email contact"
    assert smtp_sink.messages == []


def test_promotional_messages_need_consent(session: Session, world: World, smtp_sink: Sink) -> None:
    person = create_person(session, world.jurisdiction, email="ann@example.org")
    context = {
        "reference": "SR-2026-000001",
        "service": "Events",
        "note": "Fun day",
        "track_url": "x",
    }
    first = communication_service.queue(
        session, person, event="public_update", purpose="marketing_events", context=context
    )
    assert first.status == MessageStatus.SUPPRESSED
    assert first.last_error == "no consent for marketing_events by email"
    consent_service.append(
        session,
        SYSTEM,
        person,
        ConsentIn(purpose="marketing_events", source="portal", evidence="ticked box on form 7"),
    )
    second = communication_service.queue(
        session, person, event="public_update", purpose="marketing_events", context=context
    )
    assert second.status == MessageStatus.QUEUED
    assert _deliver(session, second.id) == "sent"
    # Withdrawing consent stops the next one while it waits in the queue.
    third = communication_service.queue(
        session, person, event="public_update", purpose="marketing_events", context=context
    )
    consent_service.append(
        session,
        SYSTEM,
        person,
        ConsentIn(purpose="marketing_events", active=False, source="email"),
    )
    assert _deliver(session, third.id) == "suppressed"
    assert len(smtp_sink.messages) == 1


def test_people_who_prefer_a_human_get_a_call_task_and_the_excluded_a_letter(
    session: Session, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "data_dir", tmp_path)
    session.add(
        ProviderConfig(jurisdiction_id=world.jurisdiction.id, channel="letter", provider="file")
    )
    human = create_person(
        session,
        world.jurisdiction,
        email="h@example.org",
        phone="+447700900001",
        prefers_human=True,
    )
    offline = create_person(
        session,
        world.jurisdiction,
        email="o@example.org",
        postal="1 High Street, Northmere, NM1 1AA",
        digitally_excluded=True,
    )
    create_case(session, world.pothole, requester=human)
    create_case(session, world.pothole, requester=offline)
    [call] = _messages(session, human)
    assert (call.channel, call.status, call.recipient) == (
        "phone",
        MessageStatus.CALL_TASK,
        "+447700900001",
    )
    [letter] = _messages(session, offline)
    assert (letter.channel, letter.provider) == ("letter", "file")
    assert _deliver(session, letter.id) == "sent"
    [written] = list((tmp_path / "outbox").iterdir())
    text = written.read_text(encoding="utf-8")
    assert "Channel: letter" in text and "To: 1 High Street, Northmere, NM1 1AA" in text


def test_a_daily_digest_gathers_held_messages(session: Session, world: World) -> None:
    person = create_person(session, world.jurisdiction, email="ann@example.org")
    session.add(
        ContactPreference(person_id=person.id, digest=DigestFrequency.DAILY, updated_at=utc_now())
    )
    session.flush()
    case = create_case(session, world.pothole, requester=person)
    subject = world.subject(session, world.caseworker)
    case_service.add_public_update(session, subject, case, "A crew is on the way.")
    held = _messages(session, person)
    assert [m.status for m in held] == [MessageStatus.HELD, MessageStatus.HELD]
    due = held[0].digest_due_at
    assert due is not None and timedelta(0) < due - utc_now() <= timedelta(days=1)
    assert communication_service.send_digests(session, now=due - timedelta(minutes=1)) == 0
    assert communication_service.send_digests(session, now=due) == 1
    messages = _messages(session, person)
    digest = messages[-1]
    assert digest.event == "digest" and digest.status == MessageStatus.QUEUED
    assert "A crew is on the way." in digest.body and case.reference in digest.body
    assert [m.status for m in messages[:2]] == [MessageStatus.DIGESTED] * 2
    assert {m.digest_id for m in messages[:2]} == {digest.id}


def test_a_relay_that_is_down_means_a_retry_and_a_refusal_means_failure(
    session: Session, world: World, smtp_sink: Sink, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused = create_person(session, world.jurisdiction, email="gone@example.org")
    create_case(session, world.pothole, requester=refused)
    smtp_sink.refuse["gone@example.org"] = "550 5.1.1 No such user"
    [message] = _messages(session, refused)
    assert _deliver(session, message.id) == "failed"
    [message] = _messages(session, refused)
    assert message.status == MessageStatus.FAILED and "refused" in (message.last_error or "")

    later = create_person(session, world.jurisdiction, email="later@example.org")
    create_case(session, world.pothole, requester=later)
    [waiting] = _messages(session, later)
    monkeypatch.setattr(get_settings(), "smtp_port", 1)  # nothing listens there
    with pytest.raises(delivery.TryLater, match="unreachable"):
        _deliver(session, waiting.id)
    session.expire_all()
    [waiting] = _messages(session, later)
    assert (waiting.status, waiting.attempts) == (MessageStatus.QUEUED, 1)


def test_staff_list_failed_messages_and_see_them_on_the_case(
    session: Session, world: World, client: TestClient, smtp_sink: Sink
) -> None:
    person = create_person(session, world.jurisdiction, email="gone@example.org")
    case = create_case(session, world.pothole, requester=person)
    housing_case = create_case(
        session, world.repair, requester=create_person(session, world.jurisdiction, email="h@x.org")
    )
    smtp_sink.refuse["gone@example.org"] = "550 5.1.1 No such user"
    [message] = _messages(session, person)
    _deliver(session, message.id)
    headers = bearer(session, world.caseworker)
    listed = client.get("/api/v1/messages", params={"status": "failed"}, headers=headers)
    assert listed.status_code == 200
    assert [m["id"] for m in listed.json()["items"]] == [message.id]
    assert listed.json()["items"][0]["last_error"].startswith("recipient refused")
    one = client.get(f"/api/v1/messages/{message.id}", headers=headers)
    assert one.status_code == 200 and one.json()["status"] == "failed"
    # Another department's message is not found for a highways caseworker.
    [other] = session.scalars(select(Message).where(Message.case_id == housing_case.id)).all()
    assert client.get(f"/api/v1/messages/{other.id}", headers=headers).status_code == 404
    timeline = client.get(f"/api/v1/cases/{case.reference}", headers=headers).json()["timeline"]
    entries = [e for e in timeline if e["type"] == "message"]
    assert [(e["id"], e["data"]["status"]) for e in entries] == [(message.id, "failed")]


def test_messages_need_permission(session: Session, world: World, client: TestClient) -> None:
    headers = bearer(session, world.dpo)
    assert client.get("/api/v1/messages", headers=headers).status_code == 403
    assert client.get("/api/v1/messages/1", headers=headers).status_code == 403
    assert client.get("/api/v1/messages").status_code == 401


def test_a_bad_status_filter_names_the_field(
    session: Session, world: World, client: TestClient
) -> None:
    response = client.get(
        "/api/v1/messages", params={"status": "lost"}, headers=bearer(session, world.agent)
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "status.0"


def test_staff_make_the_call_for_a_person_who_prefers_a_human(
    session: Session, world: World, client: TestClient
) -> None:
    person = create_person(session, world.jurisdiction, phone="+447700900001", prefers_human=True)
    case = create_case(session, world.pothole, requester=person)
    [task] = _messages(session, person)
    headers = bearer(session, world.caseworker)
    listed = client.get("/api/v1/messages", params={"status": "call_task"}, headers=headers)
    assert [m["recipient"] for m in listed.json()["items"]] == ["+447700900001"]
    done = client.post(
        f"/api/v1/messages/{task.id}/call",
        headers=headers,
        json={"summary": "Told her the crew comes Tuesday", "outcome": "spoke to the person"},
    )
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "delivered"
    calls = client.get(
        "/api/v1/interactions", params={"case": case.reference}, headers=headers
    ).json()["items"]
    assert [(c["channel"], c["direction"], c["outcome"]) for c in calls] == [
        ("phone", "outbound", "spoke to the person")
    ]
    again = client.post(
        f"/api/v1/messages/{task.id}/call", headers=headers, json={"summary": "x", "outcome": "y"}
    )
    assert again.status_code == 409 and again.json()["code"] == "not_a_call"
    empty = client.post(
        f"/api/v1/messages/{task.id}/call", headers=headers, json={"summary": "", "outcome": "y"}
    )
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "summary"


def test_calls_need_permission_and_scope(
    session: Session, world: World, client: TestClient
) -> None:
    person = create_person(session, world.jurisdiction, phone="+447700900002", prefers_human=True)
    create_case(session, world.repair, requester=person)
    [task] = _messages(session, person)
    body = {"summary": "x", "outcome": "y"}
    path = f"/api/v1/messages/{task.id}/call"
    assert client.post(path, headers=bearer(session, world.dpo), json=body).status_code == 403
    # A highways caseworker cannot see a housing case's message.
    assert (
        client.post(path, headers=bearer(session, world.caseworker), json=body).status_code == 404
    )
    assert (
        client.post(path, headers=bearer(session, world.housing_officer), json=body).status_code
        == 200
    )


def test_the_contact_point_a_person_marked_preferred_chooses_the_channel(
    session: Session, world: World
) -> None:
    by_post = create_person(
        session, world.jurisdiction, email="p@example.org", postal="1 Mill Road"
    )
    for point in session.scalars(select(ContactPoint).where(ContactPoint.party_id == by_post.id)):
        point.preferred = point.kind == ContactKind.POSTAL
    session.flush()
    reach = reach_of(session, by_post)
    assert reach.preferred == "letter"
    assert choose_route(reach, {"email", "letter"}) == Route("letter", "1 Mill Road")
    both = create_person(session, world.jurisdiction, email="b@example.org", postal="2 Mill Road")
    assert reach_of(session, both).preferred is None  # e-mail first, as for everyone


def test_an_unexpected_provider_error_is_retried_then_fails_visibly(
    session: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from czrm.communications import providers

    def broken(self: object, out: object) -> None:
        raise RuntimeError("relay library bug")

    monkeypatch.setattr(providers.SmtpProvider, "send", broken)
    person = create_person(session, world.jurisdiction, email="ann@example.org")
    create_case(session, world.pothole, requester=person)
    [message] = _messages(session, person)
    for _ in range(delivery.MAX_ATTEMPTS - 1):
        with pytest.raises(delivery.TryLater, match="RuntimeError: relay library bug"):
            _deliver(session, message.id)
        session.expire_all()
    assert _deliver(session, message.id) == "failed"
    [message] = _messages(session, person)
    assert message.attempts == delivery.MAX_ATTEMPTS
    assert message.last_error == "RuntimeError: relay library bug"
