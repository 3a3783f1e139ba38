from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from czrm.kit.models import Base, BigId, UUIDPk


class MessageStatus(StrEnum):
    QUEUED = "queued"  # in the outbox, waiting for the worker
    HELD = "held"  # waiting for the person's daily or weekly digest
    SENDING = "sending"  # an attempt started; its outcome is recorded when known
    SENT = "sent"  # the provider accepted it
    DELIVERED = "delivered"  # the provider reported delivery
    FAILED = "failed"  # permanently failed: staff follow it up
    BOUNCED = "bounced"  # the recipient's server sent it back
    SUPPRESSED = "suppressed"  # stopped by an objection, opt-out or missing consent
    DIGESTED = "digested"  # went out inside a digest message
    CALL_TASK = "call_task"  # a person who prefers a human: staff phone them instead


FINAL = frozenset(
    {
        MessageStatus.SENT,
        MessageStatus.DELIVERED,
        MessageStatus.FAILED,
        MessageStatus.BOUNCED,
        MessageStatus.SUPPRESSED,
        MessageStatus.DIGESTED,
        MessageStatus.CALL_TASK,
    }
)


class Message(Base):
    """One outbound message to one person, rendered when it was queued.

    ``key`` is fixed at creation and travels with every attempt (the e-mail
    Message-ID, GOV.UK Notify's ``reference``), so the far side can recognise
    a repeat. ``history`` lists each status change with its time and detail.
    """

    __tablename__ = "messages"
    __table_args__ = (
        Index("ix_messages_person_created", "person_id", "created_at"),
        Index("ix_messages_case", "case_id"),
        Index("ix_messages_status_due", "status", "digest_due_at"),
        {
            "info": {
                "data_categories": {
                    "id": None,
                    "jurisdiction_id": None,
                    "person_id": None,
                    "case_id": None,
                    "event": "service_history",
                    "purpose": None,
                    "channel": "service_history",
                    "provider": None,
                    "language": "communication_needs",
                    "recipient": "contact",
                    "subject": "service_history",
                    "body": "service_history",
                    "key": None,
                    "status": None,
                    "attempts": None,
                    "attempt_started_at": None,
                    "attempt_by": None,
                    "provider_ref": None,
                    "last_error": None,
                    "digest_due_at": None,
                    "digest_id": None,
                    "created_at": None,
                    "updated_at": None,
                    "sent_at": "service_history",
                    "history": "service_history",
                }
            }
        },
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    jurisdiction_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jurisdictions.id"))
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    event: Mapped[str] = mapped_column(String(32))
    purpose: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16))
    provider: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(8))
    recipient: Mapped[str] = mapped_column(String(500))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    status: Mapped[MessageStatus] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(default=0)
    attempt_started_at: Mapped[datetime | None]
    attempt_by: Mapped[str | None] = mapped_column(String(200))
    provider_ref: Mapped[str | None] = mapped_column(String(200))
    last_error: Mapped[str | None] = mapped_column(Text)
    digest_due_at: Mapped[datetime | None]
    digest_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    history: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class ProviderConfig(UUIDPk, Base):
    """Which provider carries a channel for a council, and its options.

    ``options`` for ``smtp``: ``mail_from``; for ``notify``: ``base_url``,
    ``api_key_env`` (the name of the environment variable holding the key, so
    no secret sits in the database) and ``template_id`` (a Notify template
    with ``((subject))`` and ``((body))`` placeholders).
    """

    __tablename__ = "communication_providers"
    __table_args__ = (UniqueConstraint("jurisdiction_id", "channel"),)

    jurisdiction_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jurisdictions.id"))
    channel: Mapped[str] = mapped_column(String(16))
    provider: Mapped[str] = mapped_column(String(16))
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Mailbox(UUIDPk, Base):
    """A council address czrm takes mail for; new requests to it open a case of
    ``triage_service_id`` for staff to sort."""

    __tablename__ = "mailboxes"

    jurisdiction_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jurisdictions.id"))
    address: Mapped[str] = mapped_column(String(254), unique=True)
    triage_service_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("services.id"))
    created_at: Mapped[datetime]


class InboundStatus(StrEnum):
    RECEIVED = "received"  # stored, not yet processed
    PROCESSED = "processed"  # became an interaction (and a case update or a case)
    IGNORED = "ignored"  # an auto-reply or a bounce: recorded, never answered
    FAILED = "failed"  # could not be processed: staff see why


class InboundMessage(Base):
    """A message exactly as received, stored before the sender is told 250."""

    __tablename__ = "inbound_messages"
    __table_args__ = (
        {
            "info": {
                "data_categories": {
                    "id": None,
                    "mailbox_id": None,
                    "source": None,
                    "source_key": None,
                    "envelope_from": "contact",
                    "recipients": None,
                    "raw": "service_history",
                    "size": None,
                    "received_at": "service_history",
                    "status": None,
                    "kind": None,
                    "outcome": None,
                    "interaction_id": None,
                    "case_id": None,
                    "processed_at": None,
                }
            }
        },
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    mailbox_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("mailboxes.id"))
    source: Mapped[str] = mapped_column(String(16))  # smtp | imap
    # IMAP: mailbox, UIDVALIDITY and UID, so a message fetched twice is stored once.
    source_key: Mapped[str | None] = mapped_column(String(300), unique=True)
    envelope_from: Mapped[str] = mapped_column(String(500), default="")
    recipients: Mapped[list[str]] = mapped_column(JSON, default=list)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int]
    received_at: Mapped[datetime]
    status: Mapped[InboundStatus] = mapped_column(String(16))
    kind: Mapped[str | None] = mapped_column(String(16))  # message | auto_reply | bounce
    outcome: Mapped[str | None] = mapped_column(Text)
    interaction_id: Mapped[int | None] = mapped_column(ForeignKey("interactions.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    processed_at: Mapped[datetime | None]
