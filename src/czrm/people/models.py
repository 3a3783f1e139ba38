"""Party is the root; Person, Organisation and Household share its id (joined tables).

One individual is one Person however many roles they hold: roles,
relationships, contact points, identifiers and communication needs hang off
the party, they are never separate records. A Person absorbed by a merge keeps
its row (``merged_into_id`` points at the survivor) so the merge can be undone.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from czrm.kit.crypto import EncryptedDate, EncryptedString
from czrm.kit.models import Base, Timestamps, UUIDPk
from czrm.kit.time import utc_now


class PartyKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"
    HOUSEHOLD = "household"


class ContactKind(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    POSTAL = "postal"


class NameKind(StrEnum):
    PREVIOUS = "previous"  # e.g. a maiden name
    ALIAS = "alias"  # known as


class RoleType(StrEnum):
    RESIDENT = "resident"
    COUNCIL_TAX_PAYER = "council_tax_payer"
    TENANT = "tenant"
    LEASEHOLDER = "leaseholder"
    BUSINESS_OWNER = "business_owner"
    SUPPLIER = "supplier"
    CONTRACTOR = "contractor"
    EMPLOYEE = "employee"
    COUNCILLOR = "councillor"
    JOURNALIST = "journalist"
    CARER = "carer"
    SERVICE_USER = "service_user"
    LIBRARY_MEMBER = "library_member"
    PERMIT_HOLDER = "permit_holder"


class RelationshipType(StrEnum):
    HOUSEHOLD_MEMBER = "household_member"  # person → household
    PARENT_OF = "parent_of"
    CARER_OF = "carer_of"
    DIRECTOR_OF = "director_of"  # person → organisation
    EMPLOYEE_OF = "employee_of"
    AUTHORISED_REPRESENTATIVE_OF = "authorised_representative_of"


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
    middle_names: Mapped[str | None] = mapped_column(String(200))
    family_name: Mapped[str | None] = mapped_column(String(200))
    date_of_birth: Mapped[date | None] = mapped_column(EncryptedDate("persons.date_of_birth"))
    # Set while this person is absorbed into another by a (reversible) merge.
    merged_into_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("persons.id"), index=True)

    __mapper_args__ = {"polymorphic_identity": PartyKind.PERSON}


class Organisation(Party):
    __tablename__ = "organisations"

    id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id"), primary_key=True)
    legal_name: Mapped[str] = mapped_column(String(300))
    registered_number: Mapped[str | None] = mapped_column(String(64))

    __mapper_args__ = {"polymorphic_identity": PartyKind.ORGANISATION}


class Household(Party):
    """People living together at one address; members join by a household_member relationship."""

    __tablename__ = "households"

    id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id"), primary_key=True)
    address_line_1: Mapped[str | None] = mapped_column(String(300))
    postcode: Mapped[str | None] = mapped_column(String(16))
    uprn: Mapped[str | None] = mapped_column(String(20))

    __mapper_args__ = {"polymorphic_identity": PartyKind.HOUSEHOLD}


class PersonName(UUIDPk, Base):
    """A name the person was or is also known by; the current name lives on Person."""

    __tablename__ = "person_names"

    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[NameKind] = mapped_column(String(16))
    given_name: Mapped[str | None] = mapped_column(String(200))
    family_name: Mapped[str | None] = mapped_column(String(200))
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]


class PartyRole(UUIDPk, Base):
    """A dated role a party plays for the council; many per party, overlapping allowed."""

    __tablename__ = "party_roles"

    party_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("parties.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[RoleType] = mapped_column(String(32))
    department_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("departments.id"))
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]
    reference: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class Relationship(UUIDPk, Base):
    """``from_party`` is ``type`` of ``to_party`` (directional), for a dated period.

    An authorised representative carries a ``scope`` (what they may do, e.g.
    ``["cases", "council_tax"]``) and an ``expires_on``: the mandate later flows use.
    """

    __tablename__ = "relationships"

    from_party_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("parties.id", ondelete="CASCADE"), index=True
    )
    to_party_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("parties.id", ondelete="CASCADE"), index=True
    )
    type: Mapped[RelationshipType] = mapped_column(String(40))
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]
    scope: Mapped[list[str]] = mapped_column(JSON, default=list)
    expires_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class ContactPoint(UUIDPk, Base):
    __tablename__ = "contact_points"

    party_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("parties.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ContactKind] = mapped_column(String(16))
    # Emails lower-cased, phones E.164 where they parse, postal addresses as one line.
    value: Mapped[str] = mapped_column(String(500), index=True)
    verified_at: Mapped[datetime | None]
    preferred: Mapped[bool] = mapped_column(default=False)
    valid_from: Mapped[datetime | None]
    valid_to: Mapped[datetime | None]
    postcode: Mapped[str | None] = mapped_column(String(16))
    label: Mapped[str | None] = mapped_column(String(50))


class Identifier(UUIDPk, Base):
    """A scheme-qualified identifier (NI number, UPRN, council-tax account, …).

    The value is encrypted at rest; ``value_index`` (a blind index keyed by the
    scheme) finds it by exact value. Both are written only through
    ``czrm.people.identifiers``.
    """

    __tablename__ = "identifiers"
    __table_args__ = (
        UniqueConstraint("party_id", "scheme", "value_index"),
        Index("ix_identifiers_scheme_value_index", "scheme", "value_index"),
    )

    party_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("parties.id", ondelete="CASCADE"), index=True
    )
    scheme: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(EncryptedString("identifiers.value"))
    value_index: Mapped[str] = mapped_column(String(64))
    issuer: Mapped[str | None] = mapped_column(String(200))
    verified_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class CommunicationNeeds(Base):
    """How to communicate with a party: at most one row each."""

    __tablename__ = "communication_needs"

    party_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("parties.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str | None] = mapped_column(String(16))
    accessible_formats: Mapped[list[str]] = mapped_column(JSON, default=list)
    interpreter_language: Mapped[str | None] = mapped_column(String(16))
    digitally_excluded: Mapped[bool] = mapped_column(default=False)
    prefers_human: Mapped[bool] = mapped_column(default=False)
    # Often records a disability or condition: special category, encrypted.
    notes: Mapped[str | None] = mapped_column(EncryptedString("communication_needs.notes"))
    updated_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)
