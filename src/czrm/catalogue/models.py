from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from czrm.kit.models import Base, Timestamps, UUIDPk


class ServiceType(StrEnum):
    REALTIME = "realtime"
    BATCH = "batch"
    BLACKBOX = "blackbox"


class Service(UUIDPk, Timestamps, Base):
    """What a citizen can ask for, with the questions it asks (``attributes``).

    ``attributes`` is an ordered list of Open311 attribute definitions:
    ``{code, datatype, required, variable, order, description,
    datatype_description, values: [{key, name}], translations}``.
    ``translations`` holds the service's wording in the other page languages
    (see ``catalogue.localise``); the columns themselves are English.
    """

    __tablename__ = "services"
    __table_args__ = (UniqueConstraint("jurisdiction_id", "code"),)

    jurisdiction_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jurisdictions.id"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    group: Mapped[str] = mapped_column("group_name", String(200), default="")
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    type: Mapped[ServiceType] = mapped_column(String(16), default=ServiceType.REALTIME)
    attributes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # {lang: {name, description, group, keywords}}; a missing field reads in English.
    translations: Mapped[dict[str, dict[str, Any]]] = mapped_column(JSON, default=dict)
    department_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("departments.id"), index=True)
    # Target in business hours on the jurisdiction's calendar.
    sla_hours: Mapped[int] = mapped_column(default=40)
    active: Mapped[bool] = mapped_column(default=True)
    allow_anonymous: Mapped[bool] = mapped_column(default=True)
