"""czrm's own SMTP receiver, spoken to over SMTP on loopback (smtplib)."""

from __future__ import annotations

import smtplib
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from czrm.cases.models import Case, CaseEvent, EventType
from czrm.communications.models import InboundMessage, InboundStatus, Mailbox, Message
from czrm.communications.smtpd import controller
from czrm.config import get_settings
from czrm.interactions.models import Interaction
from czrm.jobs.worker import Worker
from czrm.kit.time import utc_now
from tests.factories import World, create_person
from tests.mailsink import free_port

ADDRESS = "reports@council.example"


@pytest.fixture
def receiver(
    fresh_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[int, sessionmaker[Session]]]:
    monkeypatch.setattr(get_settings(), "data_dir", tmp_path)
    monkeypatch.setattr(get_settings(), "comms_sink", "file")
    sessions = sessionmaker(fresh_engine, expire_on_commit=False)
    with sessions.begin() as session:
        world = World(session)
        create_person(session, world.jurisdiction, email="ann@example.org")
        session.add(
            Mailbox(
                jurisdiction_id=world.jurisdiction.id,
                address=ADDRESS,
                triage_service_id=world.pothole.id,
                created_at=utc_now(),
            )
        )
    port = free_port()
    running = controller(sessions, host="127.0.0.1", port=port, max_bytes=20_000)
    running.start()
    yield port, sessions
    running.stop()


def _mail(subject: str, body: str = "The bin was not collected.") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Ann Smith <ann@example.org>"
    message["To"] = ADDRESS
    message["Subject"] = subject
    message.set_content(body)
    return message


def _work(sessions: sessionmaker[Session]) -> None:
    worker = Worker(sessions)
    while worker.run_once():
        pass


def test_mail_is_stored_before_250_then_threaded(
    receiver: tuple[int, sessionmaker[Session]],
) -> None:
    port, sessions = receiver
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        refused = smtp.send_message(_mail("Missed bin"))
    assert refused == {}
    with sessions() as session:
        [stored] = session.scalars(select(InboundMessage)).all()
        assert stored.status == InboundStatus.RECEIVED
        assert b"Subject: Missed bin" in stored.raw
        assert stored.envelope_from == "ann@example.org"
    _work(sessions)
    with sessions() as session:
        stored = session.scalars(select(InboundMessage)).one()
        assert stored.status == InboundStatus.PROCESSED
        case = session.get(Case, stored.case_id)
        assert case is not None and case.channel == "email"
        reference = case.reference
        [ack] = session.scalars(select(Message).where(Message.case_id == case.id)).all()
        assert (ack.event, ack.status) == ("request_received", "sent")

    with smtplib.SMTP("127.0.0.1", port) as smtp:
        smtp.send_message(_mail(f"Re: {reference}", "Still not collected on Friday."))
    _work(sessions)
    with sessions() as session:
        updates = session.scalars(
            select(CaseEvent.body).where(CaseEvent.type == EventType.PUBLIC_UPDATE)
        ).all()
        assert updates == ["Still not collected on Friday."]
        interactions = session.scalars(select(Interaction).order_by(Interaction.id)).all()
        assert [i.case_id for i in interactions] == [stored.case_id, stored.case_id]
        # One case only: the reply threaded into it.
        assert len(session.scalars(select(Case)).all()) == 1


def test_unknown_addresses_are_refused(receiver: tuple[int, sessionmaker[Session]]) -> None:
    port, _ = receiver
    message = _mail("Hello")
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            smtp.send_message(message, to_addrs=["someone@elsewhere.example"])
    assert refused.value.recipients["someone@elsewhere.example"][0] == 550


def test_oversized_and_malformed_mail_is_refused_and_the_receiver_carries_on(
    receiver: tuple[int, sessionmaker[Session]],
) -> None:
    port, sessions = receiver
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        # The receiver announces its SIZE limit, so the refusal comes at MAIL FROM.
        with pytest.raises(smtplib.SMTPResponseException) as too_big:
            smtp.sendmail("ann@example.org", [ADDRESS], _mail("Big", "x" * 30_000).as_bytes())
        assert too_big.value.smtp_code == 552
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        with pytest.raises(smtplib.SMTPDataError) as malformed:
            smtp.sendmail("ann@example.org", [ADDRESS], b"Subject: no sender\r\n\r\nhello\r\n")
        assert malformed.value.smtp_code == 550
        assert b"no From header" in malformed.value.smtp_error
        smtp.send_message(_mail("Still listening"))
    with sessions() as session:
        stored = session.scalars(select(InboundMessage)).all()
        assert [b"Still listening" in s.raw for s in stored] == [True]
