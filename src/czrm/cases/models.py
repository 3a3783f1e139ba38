from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from czrm.kit.crypto import EncryptedJSON
from czrm.kit.models import Base, BigId


class CaseStatus(StrEnum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    INVESTIGATING = "investigating"
    IN_PROGRESS = "in_progress"
    ACTION_SCHEDULED = "action_scheduled"
    WAITING_ON_CITIZEN = "waiting_on_citizen"
    FIXED = "fixed"
    CLOSED = "closed"
    DUPLICATE = "duplicate"
    NOT_RESPONSIBLE = "not_responsible"
    NO_FURTHER_ACTION = "no_further_action"
    INTERNAL_REFERRAL = "internal_referral"
    CANCELLED = "cancelled"
    REOPENED = "reopened"


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class Channel(StrEnum):
    WEB = "web"
    PHONE = "phone"
    EMAIL = "email"
    WALK_IN = "walk_in"
    LETTER = "letter"
    SMS = "sms"
    APP = "app"
    OPEN311 = "open311"
    STAFF = "staff"


class EventType(StrEnum):
    OPENED = "case_opened"
    STATUS_CHANGED = "status_changed"
    ASSIGNED = "assigned"
    PUBLIC_UPDATE = "public_update"
    INTERNAL_NOTE = "internal_note"
    SLA_BREACHED = "sla_breached"
    ESCALATED = "escalated"
    # Shown on the timeline, kept by their own modules (never stored as case events).
    INTERACTION = "interaction"
    MESSAGE = "message"


class Case(Base):
    """A service request. The integer id gives the human reference
    (``SR-<year opened>-<id, 6 digits>``); Open311 status open/closed is
    derived from ``status``, never stored."""

    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_jurisdiction_status", "jurisdiction_id", "status"),
        Index("ix_cases_department_status", "department_id", "status"),
        # Newest-first listings (Open311, queues) read these backwards and stop early.
        Index("ix_cases_service_opened", "service_id", "opened_at", "id"),
        Index("ix_cases_jurisdiction_opened", "jurisdiction_id", "opened_at", "id"),
        Index("ix_cases_due_open", "due_at", "closed_at"),
        Index("ix_cases_updated", "jurisdiction_id", "updated_at"),
        # A department's open cases, due soonest first: the staff queues. Open is a
        # few thousand of a department's hundreds of thousands of cases.
        Index(
            "ix_cases_open_department_due",
            "department_id",
            "due_at",
            "id",
            # Carried so a queue's count is read from the index alone.
            "jurisdiction_id",
            "status",
            postgresql_where=text("closed_at IS NULL"),
            sqlite_where=text("closed_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    jurisdiction_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jurisdictions.id"))
    service_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("services.id"))
    requester_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("parties.id"), index=True)
    # Contact details sent with the request, kept (encrypted) until a worker has
    # matched them to a person; cleared then.
    requester_contact: Mapped[dict[str, Any] | None] = mapped_column(
        EncryptedJSON("cases.requester_contact")
    )
    channel: Mapped[Channel] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(Text, default="")
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    media_urls: Mapped[list[str]] = mapped_column(JSON, default=list)
    lat: Mapped[float | None]
    long: Mapped[float | None]
    address: Mapped[str | None] = mapped_column(String(500))
    address_id: Mapped[str | None] = mapped_column(String(100))
    postcode: Mapped[str | None] = mapped_column(String(16))

    status: Mapped[CaseStatus] = mapped_column(String(32), default=CaseStatus.NEW)
    sub_status: Mapped[str | None] = mapped_column(String(100))
    priority: Mapped[Priority] = mapped_column(String(16), default=Priority.NORMAL)
    department_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("departments.id"))
    team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("teams.id"), index=True)
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"), index=True)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))

    opened_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    # SLA clock: due time moves later by the business time spent paused.
    due_at: Mapped[datetime | None]
    paused_since: Mapped[datetime | None]
    paused_minutes: Mapped[int] = mapped_column(default=0)
    breached_at: Mapped[datetime | None]
    escalated_to_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))

    open311_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))

    @property
    def reference(self) -> str:
        return format_reference(self.opened_at.year, self.id)


def format_reference(year: int, case_id: int) -> str:
    return f"SR-{year}-{case_id:06d}"


class CaseEvent(Base):
    """One entry on a case's timeline. Public entries are shown to citizens."""

    __tablename__ = "case_events"
    __table_args__ = (Index("ix_case_events_case_time", "case_id", "occurred_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    type: Mapped[EventType] = mapped_column(String(32))
    occurred_at: Mapped[datetime]
    actor_staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))
    actor_label: Mapped[str] = mapped_column(String(200), default="")
    public: Mapped[bool] = mapped_column(default=False)
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str | None] = mapped_column(String(32))
    body: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
