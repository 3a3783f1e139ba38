"""Mail from citizens: threaded into cases, never answered when automatic,
bounces recognised; processing tested here on the rolled-back session."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from czrm.cases.models import CaseEvent, EventType
from czrm.cases.service import case_service
from czrm.communications import imap, inbound, mailparse
from czrm.communications.models import InboundMessage, InboundStatus, Mailbox, Message
from czrm.communications.service import communication_service
from czrm.config import get_settings
from czrm.interactions.models import Interaction
from czrm.kit.time import utc_now
from czrm.people.models import Person
from tests.factories import World, create_case, create_person

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ADDRESS = "reports@council.example"


@pytest.fixture
def world(session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    monkeypatch.setattr(get_settings(), "data_dir", tmp_path)
    world = World(session)
    session.add(
        Mailbox(
            jurisdiction_id=world.jurisdiction.id,
            address=ADDRESS,
            triage_service_id=world.pothole.id,
            created_at=utc_now(),
        )
    )
    session.flush()
    return world


def mail(
    sender: str = "Ann Smith <ann@example.org>",
    subject: str = "Broken streetlight",
    body: str = "The light outside 4 Mill Lane is out.",
    **headers: str,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ADDRESS
    message["Subject"] = subject
    message["Message-ID"] = "<m1@example.org>"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message


def take_in(
    session: Session, message: EmailMessage | bytes, envelope_from: str = "ann@example.org"
) -> InboundMessage:
    raw = message if isinstance(message, bytes) else message.as_bytes()
    inbound_id = inbound.store(
        session, raw, source="smtp", envelope_from=envelope_from, recipients=[ADDRESS]
    )
    assert inbound_id is not None
    inbound.process(session, inbound_id)
    row = session.get(InboundMessage, inbound_id)
    assert row is not None
    return row


def test_a_new_message_opens_a_triage_case_for_the_sender(session: Session, world: World) -> None:
    known = create_person(session, world.jurisdiction, email="ann@example.org")
    row = take_in(session, mail())
    assert row.status == InboundStatus.PROCESSED and row.kind == "message"
    assert row.case_id is not None
    case = case_service.get(session, world.subject(session, world.admin), str(row.case_id))
    assert case.requester_id == known.id and case.channel == "email"
    assert case.service_id == world.pothole.id
    assert case.description.startswith("Broken streetlight\n\nThe light outside 4 Mill Lane")
    interaction = session.get(Interaction, row.interaction_id)
    assert interaction is not None
    assert (interaction.channel, interaction.direction, interaction.person_id) == (
        "email",
        "inbound",
        known.id,
    )
    assert interaction.case_id == case.id
    assert interaction.outcome == f"opened triage case {case.reference}"
    assert interaction.data["message_id"] == "<m1@example.org>"
    # The sender is told the reference, so a reply can thread into the case.
    [ack] = session.scalars(select(Message).where(Message.case_id == case.id)).all()
    assert ack.event == "request_received" and ack.recipient == "ann@example.org"


def test_an_unknown_sender_becomes_a_person(session: Session, world: World) -> None:
    row = take_in(session, mail(sender="Bob Jones <BOB@example.org>"))
    interaction = session.get(Interaction, row.interaction_id)
    assert interaction is not None
    person = session.get(Person, interaction.person_id)
    assert person is not None
    assert (person.given_name, person.family_name) == ("Bob", "Jones")


def test_a_reply_citing_the_reference_is_a_citizen_update(session: Session, world: World) -> None:
    person = create_person(session, world.jurisdiction, email="ann@example.org")
    case = create_case(session, world.pothole, requester=person)
    row = take_in(
        session,
        mail(subject=f"Re: We have received your request {case.reference}", body="Still dark."),
    )
    assert row.case_id == case.id
    events = session.scalars(
        select(CaseEvent).where(
            CaseEvent.case_id == case.id, CaseEvent.type == EventType.PUBLIC_UPDATE
        )
    ).all()
    assert [(e.body, e.public, e.actor_label) for e in events] == [
        ("Still dark.", True, person.display_name)
    ]
    interaction = session.get(Interaction, row.interaction_id)
    assert interaction is not None and interaction.case_id == case.id
    assert interaction.outcome == f"an update to {case.reference} from its requester"


def test_a_reference_cited_by_someone_else_is_linked_but_not_published(
    session: Session, world: World
) -> None:
    owner = create_person(session, world.jurisdiction, email="ann@example.org")
    case = create_case(session, world.pothole, requester=owner)
    row = take_in(
        session,
        mail(sender="eve@example.org", body=f"About {case.reference}: rubbish."),
        "eve@example.org",
    )
    assert row.case_id == case.id
    updates = session.scalars(
        select(CaseEvent).where(
            CaseEvent.case_id == case.id, CaseEvent.type == EventType.PUBLIC_UPDATE
        )
    ).all()
    assert updates == []
    interaction = session.get(Interaction, row.interaction_id)
    assert interaction is not None and "does not come from its requester" in (
        interaction.outcome or ""
    )


@pytest.mark.parametrize(
    ("headers", "envelope_from"),
    [
        ({"Auto_Submitted": "auto-replied"}, "ann@example.org"),
        ({"Precedence": "bulk"}, "ann@example.org"),
        ({"X_Autoreply": "yes"}, "ann@example.org"),
        ({"X_Autorespond": "yes"}, "ann@example.org"),
        ({"List_Id": "<residents.example.org>"}, "ann@example.org"),
        ({}, ""),
    ],
)
def test_automatic_replies_are_recorded_and_never_answered(
    session: Session, world: World, headers: dict[str, str], envelope_from: str
) -> None:
    before = session.scalars(select(Message)).all()
    row = take_in(session, mail(subject="Out of office", **headers), envelope_from)
    assert (row.status, row.kind) == (InboundStatus.IGNORED, "auto_reply")
    assert row.case_id is None and row.interaction_id is None
    assert session.scalars(select(Message)).all() == before


def _dsn(original_key: str, action: str = "failed") -> bytes:
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\r\n"
        f"To: no-reply@northmere.example\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.org\r\n\r\n"
        f"Final-Recipient: rfc822; gone@example.org\r\nAction: {action}\r\nStatus: 5.1.1\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 user unknown\r\n\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {original_key}\r\nFrom: no-reply@northmere.example\r\n"
        "Subject: We have received your request\r\n\r\n--B--\r\n"
    ).encode()


def test_a_bounce_marks_the_message_bounced(session: Session, world: World) -> None:
    person = create_person(session, world.jurisdiction, email="gone@example.org")
    case = create_case(session, world.pothole, requester=person)
    [message] = session.scalars(select(Message).where(Message.case_id == case.id)).all()
    row = take_in(session, _dsn(message.key), envelope_from="")
    assert (row.status, row.kind) == (InboundStatus.IGNORED, "bounce")
    assert row.outcome == f"bounce of message {message.id}: marked bounced"
    session.refresh(message)
    assert message.status == "bounced"
    assert message.last_error == "smtp; 550 5.1.1 user unknown"


def test_a_delay_notice_is_not_a_bounce(session: Session, world: World) -> None:
    person = create_person(session, world.jurisdiction, email="slow@example.org")
    case = create_case(session, world.pothole, requester=person)
    [message] = session.scalars(select(Message).where(Message.case_id == case.id)).all()
    row = take_in(session, _dsn(message.key, action="delayed"), envelope_from="")
    assert row.outcome == "a delay notice: delivery is still being tried"
    session.refresh(message)
    assert message.status == "queued"


def test_images_are_kept_and_other_attachments_refused(session: Session, world: World) -> None:
    message = mail()
    message.add_attachment(PNG, maintype="image", subtype="png", filename="light.png")
    message.add_attachment(
        b"MZ\x90\x00", maintype="application", subtype="octet-stream", filename="x.exe"
    )
    row = take_in(session, message)
    interaction = session.get(Interaction, row.interaction_id)
    assert interaction is not None
    [kept] = interaction.data["attachments"]
    assert kept["filename"] == "light.png" and kept["size"] == len(PNG)
    stored = get_settings().data_dir / "mail-attachments" / kept["stored_as"]
    assert stored.read_bytes() == PNG
    assert interaction.data["refused_attachments"] == [
        {
            "filename": "x.exe",
            "size": 4,
            "reason": "only images (JPEG, PNG, GIF, WebP) and PDF files are kept",
        }
    ]


def test_processing_twice_changes_nothing(session: Session, world: World) -> None:
    row = take_in(session, mail())
    assert inbound.process(session, row.id) == "processed"
    assert (
        len(session.scalars(select(Interaction).where(Interaction.id == row.interaction_id)).all())
        == 1
    )
    cases = session.scalars(select(InboundMessage.case_id).where(InboundMessage.id == row.id)).all()
    assert cases == [row.case_id]


def test_html_only_mail_is_read_as_text() -> None:
    message = EmailMessage()
    message["From"] = "ann@example.org"
    message.set_content("<p>The <b>bin</b> was missed</p>", subtype="html")
    assert mailparse.text_of(message) == "The  bin  was missed"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"just some words without any header", "no header section"),
        (b"Subject: hello\r\n\r\nbody\r\n", "no From header"),
        (b"From: nobody\r\nSubject: hello\r\n\r\nbody\r\n", "the From header holds no address"),
    ],
)
def test_malformed_mail_is_named(raw: bytes, reason: str) -> None:
    with pytest.raises(mailparse.Malformed, match=reason):
        mailparse.check(raw)


class FakeImap:
    """Stands in for an IMAP server (there is none on this machine): the
    commands ``imap.poll`` issues, with the answers imaplib gives."""

    def __init__(self, messages: dict[bytes, bytes]) -> None:
        self.messages = messages
        self.seen: set[bytes] = set()
        self.forget_flags = False

    def status(self, mailbox: str, names: str) -> tuple[str, list[bytes]]:
        return "OK", [b'"INBOX" (UIDVALIDITY 42)']

    def select(self, mailbox: str = "INBOX", readonly: bool = False) -> tuple[str, list[bytes]]:
        return "OK", [str(len(self.messages)).encode()]

    def uid(self, command: str, *args: object) -> tuple[str, list[object]]:
        if command == "SEARCH":
            unseen = [u for u in self.messages if u not in self.seen]
            return "OK", [b" ".join(unseen)]
        if command == "FETCH":
            uid = args[0]
            assert isinstance(uid, bytes)
            return "OK", [(uid + b" (RFC822 {n}", self.messages[uid]), b")"]
        if command == "STORE":
            uid = args[0]
            assert isinstance(uid, bytes)
            if not self.forget_flags:
                self.seen.add(uid)
            return "OK", []
        raise AssertionError(command)


def test_the_imap_poller_takes_each_message_once(session: Session, world: World) -> None:
    from sqlalchemy.orm import sessionmaker

    bind = session.get_bind()
    sessions = sessionmaker(bind=bind, join_transaction_mode="create_savepoint")
    first = mail(subject="Fly-tipping on Canal Walk")
    first["Return-Path"] = "<ann@example.org>"
    second = mail(subject="Out of office", Auto_Submitted="auto-replied")
    server = FakeImap({b"7": first.as_bytes(), b"8": second.as_bytes()})
    server.forget_flags = True  # as if the connection dropped before \Seen was stored
    assert imap.poll(sessions, server, address=ADDRESS, name="ann@imap") == 2
    assert imap.poll(sessions, server, address=ADDRESS, name="ann@imap") == 0
    server.forget_flags = False
    assert imap.poll(sessions, server, address=ADDRESS, name="ann@imap") == 0
    assert server.seen == {b"7", b"8"}
    rows = session.scalars(
        select(InboundMessage).where(InboundMessage.source == "imap").order_by(InboundMessage.id)
    ).all()
    assert [r.source_key for r in rows] == ["imap:ann@imap:42:7", "imap:ann@imap:42:8"]
    assert [r.envelope_from for r in rows] == ["ann@example.org", "unknown"]
    outcomes = [inbound.process(session, r.id) for r in rows]
    assert outcomes == ["processed", "ignored"]


def test_unknown_mailboxes_are_refused_by_the_poller(session: Session, world: World) -> None:
    from sqlalchemy.orm import sessionmaker

    sessions = sessionmaker(bind=session.get_bind(), join_transaction_mode="create_savepoint")
    with pytest.raises(LookupError, match="not a council mailbox"):
        imap.poll(sessions, FakeImap({}), address="other@example.org", name="x")


def test_mark_bounced_ignores_unknown_keys(session: Session) -> None:
    assert communication_service.mark_bounced(session, "<nope@example.org>", "x") is None


def test_mail_from_czrms_own_addresses_is_never_answered(session: Session, world: World) -> None:
    from email.utils import parseaddr

    own = parseaddr(get_settings().mail_from)[1]
    row = take_in(session, mail(sender=own), own)
    assert (row.status, row.outcome) == (
        InboundStatus.IGNORED,
        "sent from czrm's own address: never answered",
    )
    assert row.case_id is None


def test_mail_that_cannot_become_a_case_fails_whole_with_its_reason(
    session: Session, world: World
) -> None:
    world.pothole.active = False
    session.flush()
    people_before = session.scalars(select(Person)).all()
    row = take_in(session, mail(sender="New Person <new@example.org>"))
    assert row.status == InboundStatus.FAILED
    assert row.outcome == "service_code: service POTHOLE is not active"
    assert row.case_id is None and row.interaction_id is None
    # Nothing half-written: not even the new sender's person record.
    assert session.scalars(select(Person)).all() == people_before
    assert b"new@example.org" in row.raw
