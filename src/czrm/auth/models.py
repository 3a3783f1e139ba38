from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from czrm.kit.models import Base, Timestamps, UUIDPk


class Role(StrEnum):
    AGENT = "agent"
    CASEWORKER = "caseworker"
    MANAGER = "manager"
    DPO = "dpo"
    ADMIN = "admin"


class StaffUser(UUIDPk, Timestamps, Base):
    __tablename__ = "staff_users"
    __table_args__ = (UniqueConstraint("jurisdiction_id", "username"),)

    jurisdiction_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jurisdictions.id"), index=True)
    username: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    is_active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None]
    # Second factor for console sign-in (auth.totp): the shared secret, when it
    # was confirmed, the last time step used (a code works once), and digests of
    # the unused recovery codes.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enrolled_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None]
    totp_recovery_digests: Mapped[list[str]] = mapped_column(JSON, default=list)


class StaffDepartment(Base):
    """Membership: which departments' work a staff member may see and do."""

    __tablename__ = "staff_departments"

    staff_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), primary_key=True
    )
    department_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("departments.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ApiToken(UUIDPk, Base):
    """A bearer token acting as a staff user. Only a digest of the secret is kept."""

    __tablename__ = "api_tokens"

    staff_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff_users.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
