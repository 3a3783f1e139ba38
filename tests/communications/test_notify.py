"""GOV.UK Notify through its official client, against a fake Notify API on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from czrm.communications import delivery, providers
from czrm.communications.models import Message, MessageStatus, ProviderConfig
from czrm.communications.status import check_notify_statuses
from czrm.consent.models import ContactChannel, ContactPreference
from czrm.kit.time import utc_now
from czrm.people.models import Person
from tests.factories import World, create_case, create_person
from tests.notifyfake import API_KEY, FakeNotify

TEMPLATE = "f33517ff-2a88-4f6e-b855-c550268ce08a"


@pytest.fixture
def notify(session: Session, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[World, FakeNotify]]:
    monkeypatch.setenv("CZRM_TEST_NOTIFY_KEY", API_KEY)
    world = World(session)
    with FakeNotify() as fake:
        for channel in ("email", "sms", "letter"):
            session.add(
                ProviderConfig(
                    jurisdiction_id=world.jurisdiction.id,
                    channel=channel,
                    provider="notify",
                    options={
                        "base_url": fake.base_url,
                        "api_key_env": "CZRM_TEST_NOTIFY_KEY",
                        "template_id": TEMPLATE,
                    },
                )
            )
        session.flush()
        yield world, fake


def _only_message(session: Session, person: Person) -> Message:
    session.expire_all()
    return session.scalars(select(Message).where(Message.person_id == person.id)).one()


def _deliver(session: Session, message: Message) -> str:
    outcome = delivery.deliver(session.get_bind(), message.id)
    session.expire_all()
    return outcome


def test_sms_in_welsh_goes_through_notify_with_our_reference(
    session: Session, notify: tuple[World, FakeNotify]
) -> None:
    world, fake = notify
    person = create_person(session, world.jurisdiction, phone="+447700900123", language="cy")
    session.add(
        ContactPreference(
            person_id=person.id, preferred_channel=ContactChannel.SMS, updated_at=utc_now()
        )
    )
    case = create_case(session, world.pothole, requester=person)
    message = _only_message(session, person)
    assert (message.channel, message.provider) == ("sms", "notify")
    assert _deliver(session, message) == "sent"
    [sent] = fake.sent
    assert sent["type"] == "sms" and sent["phone_number"] == "+447700900123"
    assert sent["reference"] == message.key and sent["template_id"] == TEMPLATE
    assert sent["personalisation"]["body"].startswith(
        f"{world.jurisdiction.name}: rydym wedi cael eich cais {case.reference}"
    )
    assert _only_message(session, person).provider_ref == sent["id"]


def test_letters_carry_the_address_lines(
    session: Session, notify: tuple[World, FakeNotify]
) -> None:
    world, fake = notify
    person = create_person(
        session,
        world.jurisdiction,
        postal="4 Mill Lane, Northmere, NM2 3BB",
        digitally_excluded=True,
        display_name="Ann Smith",
    )
    create_case(session, world.pothole, requester=person)
    message = _only_message(session, person)
    assert _deliver(session, message) == "sent"
    [sent] = fake.sent
    assert sent["type"] == "letter"
    lines = {k: v for k, v in sent["personalisation"].items() if k.startswith("address_line")}
    assert lines == {
        "address_line_1": "Ann Smith",
        "address_line_2": "4 Mill Lane",
        "address_line_3": "Northmere",
        "address_line_4": "NM2 3BB",
    }


def test_a_cut_off_attempt_is_resolved_by_asking_notify(
    session: Session, notify: tuple[World, FakeNotify]
) -> None:
    world, fake = notify
    person = create_person(session, world.jurisdiction, email="ann@example.org")
    create_case(session, world.pothole, requester=person)
    message = _only_message(session, person)
    # Notify accepted it, then the worker died before recording the outcome.
    provider = providers.build(session, message.jurisdiction_id, "email", "notify")
    provider.send(delivery._outgoing(session, message))
    message.status = MessageStatus.SENDING
    message.attempts = 1
    message.attempt_started_at = utc_now()
    message.attempt_by = f"{delivery.this_process().rsplit(':', 1)[0]}:999999999"
    session.flush()
    assert _deliver(session, message) == "sent"
    assert len(fake.sent) == 1
    message = _only_message(session, person)
    assert message.provider_ref == fake.sent[0]["id"]
    assert message.history[-1]["detail"] == "found at the provider after a cut-off attempt"


def test_notify_refusals_fail_and_outages_retry(
    session: Session, notify: tuple[World, FakeNotify]
) -> None:
    world, fake = notify
    person = create_person(session, world.jurisdiction, email="ann@example.org")
    create_case(session, world.pothole, requester=person)
    message = _only_message(session, person)
    fake.fail_with = (500, "Internal server error")
    with pytest.raises(delivery.TryLater, match="Notify answered 500"):
        _deliver(session, message)
    assert _only_message(session, person).status == MessageStatus.QUEUED
    fake.fail_with = (400, "Can't send to this recipient using a team-only API key")
    assert _deliver(session, message) == "failed"
    assert "team-only" in (_only_message(session, person).last_error or "")


def test_a_missing_api_key_is_a_retry_not_a_crash(
    session: Session, notify: tuple[World, FakeNotify], monkeypatch: pytest.MonkeyPatch
) -> None:
    world, _ = notify
    monkeypatch.delenv("CZRM_TEST_NOTIFY_KEY")
    person = create_person(session, world.jurisdiction, email="ann@example.org")
    create_case(session, world.pothole, requester=person)
    with pytest.raises(providers.ProviderError, match="CZRM_TEST_NOTIFY_KEY"):
        _deliver(session, _only_message(session, person))


def test_delivery_reports_are_fetched_from_notify(
    session: Session, notify: tuple[World, FakeNotify]
) -> None:
    world, fake = notify
    ok = create_person(session, world.jurisdiction, email="ok@example.org")
    gone = create_person(session, world.jurisdiction, email="gone@example.org")
    create_case(session, world.pothole, requester=ok)
    create_case(session, world.pothole, requester=gone)
    for person in (ok, gone):
        _deliver(session, _only_message(session, person))
    by_email = {r["email_address"]: r["id"] for r in fake.sent}
    fake.statuses[by_email["ok@example.org"]] = "delivered"
    fake.statuses[by_email["gone@example.org"]] = "permanent-failure"
    assert check_notify_statuses(session) == 2
    assert _only_message(session, ok).status == MessageStatus.DELIVERED
    bounced = _only_message(session, gone)
    assert (bounced.status, bounced.last_error) == (
        MessageStatus.BOUNCED,
        "Notify: permanent-failure",
    )
