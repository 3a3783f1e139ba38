from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from czrm.kit.models import Base, Timestamps, UUIDPk

DEFAULT_WORKING_HOURS: dict[str, Any] = {
    "mon": [["09:00", "17:00"]],
    "tue": [["09:00", "17:00"]],
    "wed": [["09:00", "17:00"]],
    "thu": [["09:00", "17:00"]],
    "fri": [["09:00", "17:00"]],
}


class Jurisdiction(UUIDPk, Timestamps, Base):
    """The tenant: a council. Everything belongs to exactly one."""

    __tablename__ = "jurisdictions"

    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/London")
    # {"mon": [["09:00", "17:00"]], ...}; days absent are closed.
    working_hours: Mapped[dict[str, Any]] = mapped_column(
        default=lambda: dict(DEFAULT_WORKING_HOURS)
    )
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(40))


class Holiday(UUIDPk, Base):
    """A public holiday: the SLA clock does not run on it."""

    __tablename__ = "holidays"
    __table_args__ = (UniqueConstraint("jurisdiction_id", "day"),)

    jurisdiction_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jurisdictions.id"), index=True)
    day: Mapped[date]
    name: Mapped[str] = mapped_column(String(200))


class Department(UUIDPk, Timestamps, Base):
    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("jurisdiction_id", "code"),)

    jurisdiction_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jurisdictions.id"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))


class Team(UUIDPk, Timestamps, Base):
    """Works a department's cases; may own an area (GeoJSON polygon, WGS84)."""

    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("department_id", "code"),)

    jurisdiction_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jurisdictions.id"), index=True)
    department_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("departments.id"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    is_default: Mapped[bool] = mapped_column(default=False)
    area: Mapped[dict[str, Any] | None]
    manager_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))


class Ward(UUIDPk, Base):
    """An electoral ward: a named polygon, for reporting and the demo's map."""

    __tablename__ = "wards"
    __table_args__ = (UniqueConstraint("jurisdiction_id", "code"),)

    jurisdiction_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jurisdictions.id"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    area: Mapped[dict[str, Any]]
