"""Mail from citizens: stored as received, then turned into an interaction and
a case update (when it cites a reference and comes from the requester) or a
new triage case. Bounces mark the message they bounce; auto-replies are
recorded and never answered, so no two robots talk for ever."""

from __future__ import annotations

import logging
import secrets
from pathlib import Path
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from czrm.auth.subject import Actor
from czrm.cases import repository as case_repository
from czrm.cases.models import Case, Channel, format_reference
from czrm.cases.service import CaseIntake, case_service
from czrm.catalogue.models import Service
from czrm.communications import mailparse, repository
from czrm.communications.models import InboundMessage, InboundStatus, Mailbox
from czrm.communications.service import communication_service
from czrm.config import get_settings
from czrm.errors import CzrmError
from czrm.identity.intake import resolve_requester
from czrm.interactions.models import Direction, InteractionChannel
from czrm.interactions.service import NewInteraction, interaction_service
from czrm.jobs.service import enqueue
from czrm.kit.time import utc_now
from czrm.people import repository as people_repository
from czrm.people.service import RequesterDetails

log = logging.getLogger("czrm.mail")
MAX_ATTACHMENTS = 10
MAX_TEXT = 4000


def store(
    session: Session,
    raw: bytes,
    *,
    source: str,
    envelope_from: str,
    recipients: list[str],
    source_key: str | None = None,
    mailbox: Mailbox | None = None,
) -> int | None:
    """Keep the message as received and queue its processing, in one transaction.

    Returns its id, or None when ``source_key`` shows it was stored before.
    """
    box = mailbox or repository.mailbox_for(session, recipients)
    values: dict[str, Any] = {
        "mailbox_id": box.id if box else None,
        "source": source,
        "source_key": source_key,
        "envelope_from": envelope_from[:500],
        "recipients": [r.lower() for r in recipients],
        "raw": raw,
        "size": len(raw),
        "received_at": utc_now(),
        "status": InboundStatus.RECEIVED,
    }
    dialect = session.get_bind().dialect.name
    insert_fn = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert_fn(InboundMessage).values(**values)
    if source_key is not None:
        stmt = stmt.on_conflict_do_nothing(index_elements=["source_key"])
    inbound_id = session.execute(stmt.returning(InboundMessage.id)).scalar()
    if inbound_id is None:
        return None
    enqueue(
        session,
        "communications.process_inbound",
        {"inbound_id": int(inbound_id)},
        key=f"inbound:{inbound_id}",
    )
    return int(inbound_id)


def _keep(
    attachments: list[mailparse.Attachment],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    settings = get_settings()
    folder = Path(settings.data_dir) / "mail-attachments"
    kept: list[dict[str, Any]] = []
    refused: list[dict[str, Any]] = []
    for item in attachments:
        reason = None
        if item.extension is None:
            reason = "only images (JPEG, PNG, GIF, WebP) and PDF files are kept"
        elif len(item.data) > settings.mail_attachment_max_bytes:
            reason = f"larger than {settings.mail_attachment_max_bytes} bytes"
        elif len(kept) >= MAX_ATTACHMENTS:
            reason = f"more than {MAX_ATTACHMENTS} attachments"
        if reason:
            refused.append({"filename": item.filename, "size": len(item.data), "reason": reason})
            continue
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{secrets.token_hex(16)}.{item.extension}"
        (folder / name).write_bytes(item.data)
        kept.append({"filename": item.filename, "size": len(item.data), "stored_as": name})
    return kept, refused


def process(session: Session, inbound_id: int) -> str:
    """Turn a stored message into what it means; safe to run twice."""
    row = session.get(InboundMessage, inbound_id, with_for_update=True)
    if row is None:
        return "missing"
    if row.status != InboundStatus.RECEIVED:
        return str(row.status)
    try:
        with session.begin_nested():
            status, outcome = _process(session, row)
    except CzrmError as exc:
        status, outcome = InboundStatus.FAILED, exc.message
    except (ValueError, LookupError, UnicodeError) as exc:
        # The content, not the system, is at fault: a retry would fail the same way.
        # Database errors propagate, so the job is retried.
        log.warning("inbound message %s cannot be read: %s", inbound_id, exc)
        status, outcome = InboundStatus.FAILED, f"cannot be read: {type(exc).__name__}: {exc}"
    row.status = status
    row.outcome = outcome
    row.processed_at = utc_now()
    session.flush()
    log.info("inbound message %s: %s (%s)", inbound_id, status, outcome)
    return str(status)


def _process(session: Session, row: InboundMessage) -> tuple[InboundStatus, str]:
    message = mailparse.parse(row.raw)
    kind = mailparse.kind_of(message, row.envelope_from)
    row.kind = kind
    if kind == "bounce":
        bounce = mailparse.bounce_of(message)
        if not bounce.failed:
            return InboundStatus.IGNORED, "a delay notice: delivery is still being tried"
        for key in bounce.original_ids:
            found = communication_service.mark_bounced(session, key, bounce.diagnostic or "bounced")
            if found is not None:
                return InboundStatus.IGNORED, f"bounce of message {found.id}: marked bounced"
        return InboundStatus.IGNORED, "bounce of no message czrm sent"
    if kind == "auto_reply":
        return InboundStatus.IGNORED, "an automatic reply: recorded, not answered"
    mailbox = session.get(Mailbox, row.mailbox_id) if row.mailbox_id else None
    if mailbox is None:
        return InboundStatus.FAILED, "not addressed to a council mailbox czrm knows"
    name, address = mailparse.sender_of(message)
    own = {
        mailparse.sender_of(mailparse.parse(f"From: {get_settings().mail_from}\n\n".encode()))[1]
    }
    if address in own or repository.mailbox_for(session, [address]) is not None:
        row.kind = "auto_reply"
        return InboundStatus.IGNORED, "sent from czrm's own address: never answered"
    given, _, family = name.partition(" ")
    # Matched like any request's contact: exactly by address, else in real time.
    person = resolve_requester(
        session,
        Actor(kind="system", id=None, label=f"mail to {mailbox.address}"),
        mailbox.jurisdiction_id,
        RequesterDetails(given_name=given or None, family_name=family or None, email=address),
    )
    actor = Actor(kind="citizen", id=str(person.id), label=person.display_name)
    subject = str(message.get("Subject", ""))[:300]
    text = mailparse.text_of(message)
    kept, refused = _keep(mailparse.attachments_of(message))
    ref = mailparse.reference_in(subject, text)
    case: Case | None = None
    if ref is not None:
        case = case_repository.get_public(session, mailbox.jurisdiction_id, format_reference(*ref))
    if case is not None and case.requester_id in {
        person.id,
        *people_repository.absorbed_into(session, person.id),
    }:
        case_service.add_update_from_requester(
            session,
            actor,
            case,
            body=text[:MAX_TEXT] or subject,
            data={"channel": "email", "attachments": [k["stored_as"] for k in kept] or None},
            audit_details={"inbound_message_id": row.id},
        )
        outcome = f"an update to {case.reference} from its requester"
    elif case is not None:
        outcome = (
            f"cites {case.reference} but does not come from its requester: for staff to review"
        )
    else:
        service = session.get(Service, mailbox.triage_service_id)
        assert service is not None
        case = case_service.open(
            session,
            actor,
            CaseIntake(
                service=service,
                channel=Channel.EMAIL,
                description=(f"{subject}\n\n{text}".strip())[:MAX_TEXT],
                requester=person,
            ),
        )
        outcome = f"opened triage case {case.reference}"
    interaction = interaction_service.add(
        session,
        actor,
        NewInteraction(
            jurisdiction_id=mailbox.jurisdiction_id,
            channel=InteractionChannel.EMAIL,
            direction=Direction.INBOUND,
            summary=text[:8000],
            subject=subject,
            person_id=person.id,
            case=case,
            outcome=outcome,
            data={
                "message_id": str(message.get("Message-ID", "")),
                "from": address,
                "to": row.recipients,
                "inbound_message_id": row.id,
                "attachments": kept,
                "refused_attachments": refused,
            },
        ),
    )
    row.interaction_id = interaction.id
    row.case_id = case.id if case else None
    return InboundStatus.PROCESSED, outcome
