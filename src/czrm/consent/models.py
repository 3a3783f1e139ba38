from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from czrm.kit.models import Base, BigId


class ContactChannel(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    LETTER = "letter"
    PHONE = "phone"


class ConsentKind(StrEnum):
    CONSENT = "consent"  # the person agrees to processing for a purpose
    OBJECTION = "objection"  # the person objects to processing for a purpose (Art. 21)
    RESTRICTION = "restriction"  # processing for a purpose is restricted (Art. 18)
    OPT_OUT = "opt_out"  # no contact on a channel (for a purpose, or for all)


class DigestFrequency(StrEnum):
    REALTIME = "realtime"
    DAILY = "daily"
    WEEKLY = "weekly"


class ConsentRecord(Base):
    """One statement about a person, appended and never changed.

    The newest record for a (kind, purpose, channel) is in force: ``active``
    true means the consent is given, the objection or restriction stands, or
    the opt-out applies; false means it was withdrawn or lifted. ``purpose`` or
    ``channel`` left empty means "every purpose" or "every channel".
    """

    __tablename__ = "consent_records"
    __table_args__ = (
        Index("ix_consent_records_person", "person_id", "kind", "recorded_at"),
        {
            "info": {
                "data_categories": {
                    "id": None,
                    "jurisdiction_id": None,
                    "person_id": None,
                    "kind": "communication_needs",
                    "purpose": "communication_needs",
                    "channel": "communication_needs",
                    "active": "communication_needs",
                    "source": "communication_needs",
                    "evidence": "communication_needs",
                    "recorded_at": "communication_needs",
                    "recorded_by_id": None,
                }
            }
        },
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    jurisdiction_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jurisdictions.id"))
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id"))
    kind: Mapped[ConsentKind] = mapped_column(String(16))
    purpose: Mapped[str | None] = mapped_column(String(64))
    channel: Mapped[ContactChannel | None] = mapped_column(String(16))
    active: Mapped[bool]
    source: Mapped[str] = mapped_column(String(32))
    evidence: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))


class ContactPreference(Base):
    """How a person likes to hear from the council: at most one row per person
    (each change is in the audit log with the values before and after)."""

    __tablename__ = "contact_preferences"
    __table_args__ = (
        {
            "info": {
                "data_categories": {
                    "person_id": None,
                    "preferred_channel": "communication_needs",
                    "digest": "communication_needs",
                    "updated_at": None,
                }
            }
        },
    )

    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("parties.id", ondelete="CASCADE"), primary_key=True
    )
    preferred_channel: Mapped[ContactChannel | None] = mapped_column(String(16))
    digest: Mapped[DigestFrequency] = mapped_column(String(16), default=DigestFrequency.REALTIME)
    updated_at: Mapped[datetime]
