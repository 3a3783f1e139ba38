"""Client applications allowed to post, and the responses kept for safe retries."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from czrm.kit.models import Base, BigId, UUIDPk


class Open311Client(UUIDPk, Base):
    """An app or back-office system holding an ``api_key``. Only a keyed digest of
    the key is stored; the key itself is shown once, when the client is registered."""

    __tablename__ = "open311_clients"

    jurisdiction_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jurisdictions.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    key_digest: Mapped[str] = mapped_column(String(64), unique=True)
    key_prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class Open311Idempotency(Base):
    """One row per ``(client, Idempotency-Key)``. The row is written first, in the
    same transaction as the case, so a retry either waits for the first attempt
    and replays its response, or (if it rolled back) runs afresh."""

    __tablename__ = "open311_idempotency"
    __table_args__ = (UniqueConstraint("client_id", "key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    client_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("open311_clients.id", ondelete="CASCADE")
    )
    key: Mapped[str] = mapped_column(String(200))
    request_digest: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None]
    response: Mapped[Any | None] = mapped_column(JSON)
    created_at: Mapped[datetime]
