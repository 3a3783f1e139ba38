"""The portal's own tables: how a council presents itself, and sign-in links."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from czrm.kit.models import Base, UUIDPk


class PortalSettings(Base):
    """One council's look and local knowledge: brand colour and logo for the
    pages, and its postcode districts mapped to wards, so a report given by
    postcode alone is placed in the council's area and routed to a team."""

    __tablename__ = "portal_settings"

    jurisdiction_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("jurisdictions.id", ondelete="CASCADE"), primary_key=True
    )
    brand_colour: Mapped[str] = mapped_column(String(7), default="#0b0c0c")
    logo_url: Mapped[str | None] = mapped_column(String(500))
    # {"NM1": "ABBEYFIELD", ...}: postcode district -> ward code.
    postcode_districts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # [lat, long, zoom] the map opens at.
    map_centre: Mapped[list[float]] = mapped_column(JSON, default=list)


class SignInLink(UUIDPk, Base):
    """A one-time sign-in link sent to a citizen's e-mail; only a digest is kept."""

    __tablename__ = "portal_sign_in_links"

    jurisdiction_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("jurisdictions.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    language: Mapped[str] = mapped_column(String(8), default="en")
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
