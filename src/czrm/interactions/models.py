from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from czrm.kit.models import Base, BigId


class InteractionChannel(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    WEB = "web"
    WALK_IN = "walk_in"
    LETTER = "letter"
    SMS = "sms"
    SOCIAL = "social"
    CHAT = "chat"


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class Interaction(Base):
    """One contact: who, with whom, on whose behalf, about what, and how it ended.

    ``person_id`` is the citizen the contact is about; ``representative_id`` is
    the party who spoke for them (an authorised representative), if anyone.
    Interactions are a record of what happened: they are added, never edited.
    """

    __tablename__ = "interactions"
    __table_args__ = (
        Index("ix_interactions_person_time", "person_id", "occurred_at"),
        Index("ix_interactions_case_time", "case_id", "occurred_at"),
        Index("ix_interactions_jurisdiction_time", "jurisdiction_id", "occurred_at"),
        {
            "info": {
                "data_categories": {
                    "id": None,
                    "jurisdiction_id": None,
                    "channel": "service_history",
                    "direction": "service_history",
                    "person_id": None,
                    "representative_id": "relationships",
                    "staff_id": None,
                    "case_id": None,
                    "subject": "service_history",
                    "summary": "service_history",
                    "outcome": "service_history",
                    "duration_seconds": "service_history",
                    "occurred_at": "service_history",
                    "created_at": None,
                    "data": "service_history",
                }
            }
        },
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    jurisdiction_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jurisdictions.id"))
    channel: Mapped[InteractionChannel] = mapped_column(String(16))
    direction: Mapped[Direction] = mapped_column(String(8))
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("parties.id"))
    representative_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("parties.id"))
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    subject: Mapped[str] = mapped_column(String(300), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str | None] = mapped_column(String(200))
    duration_seconds: Mapped[int | None]
    occurred_at: Mapped[datetime]
    created_at: Mapped[datetime]
    # Channel details: e-mail Message-ID and addresses, attachments kept, …
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
