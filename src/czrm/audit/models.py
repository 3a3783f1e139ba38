from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from czrm.kit.models import Base, BigId


class AuditFields:
    """What an entry records, kept the same while it waits and once chained."""

    occurred_at: Mapped[datetime]
    jurisdiction_id: Mapped[uuid.UUID | None]
    actor_type: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    entity_type: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class AuditEntry(AuditFields, Base):
    """One change. ``seq`` is dense and gapless; ``hash`` covers ``prev_hash``
    and the canonical form of every other column, so an edit, a deletion, an
    insertion or a reordering breaks the chain at that row.

    ``details`` never holds personal data in clear: it names the fields that
    changed and their non-personal values (statuses, ids, codes), so erasing a
    person later leaves the chain intact.
    """

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    action: Mapped[str] = mapped_column(String(64), index=True)  # the chained log is searched
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """A single row holding the chain's tip; locking it serialises sealing."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(BigId)
    hash: Mapped[str] = mapped_column(String(64))


class AuditPending(AuditFields, Base):
    """An entry written with the change it describes, waiting to be chained.

    A request only inserts here, so concurrent requests never queue on the
    chain's head; ``service.seal`` moves committed entries into ``audit_log``
    in one short transaction, in the order it finds them. Anyone reading the
    log seals first, so what they read is always chained.
    """

    __tablename__ = "audit_pending"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
