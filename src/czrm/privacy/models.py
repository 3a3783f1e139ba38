"""The register of processing, the access log and subject-rights requests.

Purposes name departments by code (readable in the Art. 30 record and stable
across environments). An access-log row is written in the same transaction as
the read it records; a covert purpose's rows stay hidden from the person until
``disclose_after``.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from czrm.kit.i18n import N_
from czrm.kit.models import Base, BigId, Timestamps, UUIDPk
from czrm.kit.time import utc_now


class LawfulBasis(StrEnum):
    """UK GDPR Art. 6(1)."""

    CONSENT = "consent"  # (a)
    CONTRACT = "contract"  # (b)
    LEGAL_OBLIGATION = "legal_obligation"  # (c)
    VITAL_INTERESTS = "vital_interests"  # (d)
    PUBLIC_TASK = "public_task"  # (e)
    LEGITIMATE_INTERESTS = "legitimate_interests"  # (f) — not for a council's public tasks


ARTICLE_6 = {
    LawfulBasis.CONSENT: N_("Art. 6(1)(a) consent"),
    LawfulBasis.CONTRACT: N_("Art. 6(1)(b) contract"),
    LawfulBasis.LEGAL_OBLIGATION: N_("Art. 6(1)(c) legal obligation"),
    LawfulBasis.VITAL_INTERESTS: N_("Art. 6(1)(d) vital interests"),
    LawfulBasis.PUBLIC_TASK: N_("Art. 6(1)(e) public task"),
    LawfulBasis.LEGITIMATE_INTERESTS: N_("Art. 6(1)(f) legitimate interests"),
}


class Purpose(UUIDPk, Timestamps, Base):
    __tablename__ = "purposes"
    __table_args__ = (UniqueConstraint("jurisdiction_id", "code"),)

    jurisdiction_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jurisdictions.id"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    lawful_basis: Mapped[LawfulBasis] = mapped_column(String(32))
    # The Art. 9(2) condition for special categories, or the Art. 10 / DPA 2018
    # Sch. 1 condition for criminal offence data; required when either is used.
    special_condition: Mapped[str | None] = mapped_column(Text)
    legislation: Mapped[str | None] = mapped_column(Text)
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    departments: Mapped[list[str]] = mapped_column(JSON, default=list)  # codes; [] = all
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)  # [] = every staff role
    retention: Mapped[str] = mapped_column(String(300), default="")
    retention_days: Mapped[int | None]
    covert: Mapped[bool] = mapped_column(default=False)
    # Covert reads are shown to the person this many days later (with the reason).
    disclosure_delay_days: Mapped[int | None]
    active: Mapped[bool] = mapped_column(default=True)


class AccessAction(StrEnum):
    VIEWED = "viewed"  # the 360° view
    LISTED = "listed"  # appeared in a search result
    CASE_READ = "case_read"  # a case exposing them as requester
    REVIEWED = "reviewed"  # a clerical review pair showing their records
    EXPORTED = "exported"  # a subject access export


class AccessLogEntry(Base):
    __tablename__ = "access_log"
    __table_args__ = (Index("ix_access_log_person_time", "person_id", "occurred_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    jurisdiction_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jurisdictions.id"))
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    occurred_at: Mapped[datetime] = mapped_column(default=utc_now)
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"), index=True)
    reader: Mapped[str] = mapped_column(String(200))
    departments: Mapped[list[str]] = mapped_column(JSON, default=list)  # codes
    purpose_code: Mapped[str] = mapped_column(String(64))
    lawful_basis: Mapped[str] = mapped_column(String(32))
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    action: Mapped[AccessAction] = mapped_column(String(16))
    what: Mapped[str] = mapped_column(String(200))
    covert: Mapped[bool] = mapped_column(default=False)
    disclose_after: Mapped[datetime | None]
    covert_reason: Mapped[str | None] = mapped_column(Text)


class RequestKind(StrEnum):
    ACCESS = "access"  # Art. 15
    RECTIFICATION = "rectification"  # Art. 16
    ERASURE = "erasure"  # Art. 17
    RESTRICTION = "restriction"  # Art. 18
    PORTABILITY = "portability"  # Art. 20
    OBJECTION = "objection"  # Art. 21


class RequestStatus(StrEnum):
    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    REFUSED = "refused"


class SubjectRequest(UUIDPk, Timestamps, Base):
    """A data subject's request; due one month from receipt, extendable by two with a reason."""

    __tablename__ = "subject_requests"
    __table_args__ = (UniqueConstraint("jurisdiction_id", "reference"),)

    jurisdiction_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jurisdictions.id"), index=True)
    reference: Mapped[str] = mapped_column(String(32))
    # Cleared when the person is erased: the request stays as the record of handling it.
    person_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[RequestKind] = mapped_column(String(16))
    status: Mapped[RequestStatus] = mapped_column(String(16), default=RequestStatus.RECEIVED)
    received_on: Mapped[date]
    due_on: Mapped[date]
    extended_due_on: Mapped[date | None]
    extension_reason: Mapped[str | None] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(32), default="email")
    completed_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))
