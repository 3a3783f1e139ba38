"""Party is the root; Person and Organisation share its id (joined tables).

The single-view work adds roles, relationships, identifiers, source records
and identity links around this core without changing it.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from czrm.kit.models import Base, Timestamps, UUIDPk


class PartyKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"


class ContactKind(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    POSTAL = "postal"


class Party(UUIDPk, Timestamps, Base):
    __tablename__ = "parties"

    jurisdiction_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jurisdictions.id"), index=True)
    kind: Mapped[PartyKind] = mapped_column(String(16))
    display_name: Mapped[str] = mapped_column(String(300))
    preferred_language: Mapped[str] = mapped_column(String(16), default="en")

    __mapper_args__ = {"polymorphic_on": "kind", "polymorphic_abstract": True}


class Person(Party):
    __tablename__ = "persons"

    id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id"), primary_key=True)
    given_name: Mapped[str | None] = mapped_column(String(200))
    family_name: Mapped[str | None] = mapped_column(String(200))
    date_of_birth: Mapped[date | None]

    __mapper_args__ = {"polymorphic_identity": PartyKind.PERSON}


class Organisation(Party):
    __tablename__ = "organisations"

    id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id"), primary_key=True)
    legal_name: Mapped[str] = mapped_column(String(300))
    registered_number: Mapped[str | None] = mapped_column(String(64))

    __mapper_args__ = {"polymorphic_identity": PartyKind.ORGANISATION}


class ContactPoint(UUIDPk, Base):
    __tablename__ = "contact_points"

    party_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("parties.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ContactKind] = mapped_column(String(16))
    # Emails lower-cased, phones as given until the single view normalises to E.164.
    value: Mapped[str] = mapped_column(String(500), index=True)
    verified_at: Mapped[datetime | None]
    preferred: Mapped[bool] = mapped_column(default=False)
    valid_from: Mapped[datetime | None]
    valid_to: Mapped[datetime | None]
