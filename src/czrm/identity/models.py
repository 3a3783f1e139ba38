"""Source systems, the records they send, and how records are tied to persons.

A SourceRecord keeps the row exactly as received (``data``) beside its
standardised fields; ``(system, external_id)`` is unique so a re-import
updates. Every record has exactly one current IdentityLink to a Person. Review
items, cannot-links and the merge journal make every decision explainable
and reversible.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from czrm.kit.crypto import EncryptedDate, EncryptedJSON, EncryptedString
from czrm.kit.models import Base, BigId, JSONType, Timestamps, UUIDPk
from czrm.kit.time import utc_now


class LinkMethod(StrEnum):
    EXACT = "exact"
    PROBABILISTIC = "probabilistic"
    CLERICAL = "clerical"


class ReviewStatus(StrEnum):
    PENDING = "pending"
    DEFERRED = "deferred"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class JournalKind(StrEnum):
    MERGE = "merge"
    SPLIT = "split"


class SourceSystem(UUIDPk, Timestamps, Base):
    """A departmental system that sends records; ``field_mapping`` maps its
    column names to czrm's standard fields (absent: the columns already use them)."""

    __tablename__ = "source_systems"
    __table_args__ = (UniqueConstraint("jurisdiction_id", "code"),)

    jurisdiction_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jurisdictions.id"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    department_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("departments.id"))
    field_mapping: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # What the system's own columns say about a person (czrm.privacy.categories).
    data_category: Mapped[str] = mapped_column(
        String(32), default="service_history", server_default="service_history"
    )


class SourceRecord(Base):
    """The row as received (``data``), its date of birth and NI number are encrypted
    at rest; exact matching on those two uses their blind indexes."""

    __tablename__ = "source_records"
    __table_args__ = (
        UniqueConstraint("system_id", "external_id"),
        Index("ix_source_records_email", "jurisdiction_id", "email"),
        Index("ix_source_records_phone", "jurisdiction_id", "phone"),
        Index("ix_source_records_ni", "jurisdiction_id", "ni_number_index"),
        Index("ix_source_records_postcode_surname", "jurisdiction_id", "postcode", "surname"),
        Index(
            "ix_source_records_dob_soundex", "jurisdiction_id", "date_of_birth_index", "surname_key"
        ),
        Index(
            "ix_source_records_dob_first",
            "jurisdiction_id",
            "date_of_birth_index",
            "first_name_key",
        ),
        Index(
            "ix_source_records_postcode_dob", "jurisdiction_id", "postcode", "date_of_birth_index"
        ),
        Index("ix_source_records_postcode_first", "jurisdiction_id", "postcode", "first_name_key"),
        Index("ix_source_records_names", "jurisdiction_id", "first_name_key", "surname"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    jurisdiction_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jurisdictions.id"))
    system_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("source_systems.id"))
    external_id: Mapped[str] = mapped_column(String(200))
    data: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON("source_records.data"), default=dict)
    # Standardised fields (see czrm.identity.standardise).
    first_name: Mapped[str | None] = mapped_column(String(100))
    first_name_key: Mapped[str | None] = mapped_column(String(100))  # nickname-resolved
    middle_name: Mapped[str | None] = mapped_column(String(100))
    surname: Mapped[str | None] = mapped_column(String(100))
    surname_key: Mapped[str | None] = mapped_column(String(8))  # soundex
    date_of_birth: Mapped[date | None] = mapped_column(
        EncryptedDate("source_records.date_of_birth")
    )
    date_of_birth_index: Mapped[str | None] = mapped_column(String(64))
    address_line_1: Mapped[str | None] = mapped_column(String(300))
    postcode: Mapped[str | None] = mapped_column(String(10))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(20))
    ni_number: Mapped[str | None] = mapped_column(EncryptedString("source_records.ni_number"))
    ni_number_index: Mapped[str | None] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)


class LinkModel(Base):
    """A trained Splink model (its JSON) with its thresholds; versions count up per jurisdiction."""

    __tablename__ = "link_models"
    __table_args__ = (UniqueConstraint("jurisdiction_id", "version"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    jurisdiction_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jurisdictions.id"))
    version: Mapped[int]
    settings: Mapped[dict[str, Any]] = mapped_column(JSONType)
    auto_threshold: Mapped[float]
    review_threshold: Mapped[float]
    trained_on: Mapped[int]  # how many records
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class LinkRun(Base):
    """One batch linking run: which model, what it did."""

    __tablename__ = "link_runs"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    jurisdiction_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jurisdictions.id"), index=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("link_models.id"))
    started_at: Mapped[datetime] = mapped_column(default=utc_now)
    finished_at: Mapped[datetime | None]
    stats: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class IdentityLink(Base):
    """The one current tie of a source record to a person, and why."""

    __tablename__ = "identity_links"

    source_record_id: Mapped[int] = mapped_column(
        ForeignKey("source_records.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("persons.id"), index=True)
    probability: Mapped[float]
    method: Mapped[LinkMethod] = mapped_column(String(16))
    decided_by: Mapped[str] = mapped_column(String(200))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("link_runs.id"))
    linked_at: Mapped[datetime] = mapped_column(default=utc_now)


class ReviewItem(Base):
    """A pair of records the model could not decide; ``record_a_id < record_b_id``.

    A rejected pair is a cannot-link every later run respects; an accepted
    pair a must-link.
    """

    __tablename__ = "review_items"
    __table_args__ = (
        UniqueConstraint("record_a_id", "record_b_id"),
        Index("ix_review_items_queue", "jurisdiction_id", "status"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    jurisdiction_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jurisdictions.id"))
    record_a_id: Mapped[int] = mapped_column(
        ForeignKey("source_records.id", ondelete="CASCADE"), index=True
    )
    record_b_id: Mapped[int] = mapped_column(
        ForeignKey("source_records.id", ondelete="CASCADE"), index=True
    )
    probability: Mapped[float]
    match_weight: Mapped[float]
    field_weights: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[ReviewStatus] = mapped_column(String(16), default=ReviewStatus.PENDING)
    model_id: Mapped[int | None] = mapped_column(ForeignKey("link_models.id"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))
    decided_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(Text)


class MergeJournal(UUIDPk, Base):
    """A merge or split, with every link it moved, so undo restores them exactly."""

    __tablename__ = "merge_journal"

    jurisdiction_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jurisdictions.id"), index=True)
    kind: Mapped[JournalKind] = mapped_column(String(16))
    # merge: absorbed → survivor. split: source → the person created by the split.
    from_person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("persons.id"), index=True)
    to_person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("persons.id"), index=True)
    # [{"source_record_id", "person_id", "probability", "method", "decided_by", "run_id",
    #   "linked_at"}] as they were before the change.
    moved_links: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    actor: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    undone_at: Mapped[datetime | None]
    undone_by: Mapped[str | None] = mapped_column(String(200))
