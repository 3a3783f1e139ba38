from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from czrm.interactions.models import Direction, InteractionChannel


class InteractionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: InteractionChannel
    direction: Direction = Direction.INBOUND
    person_id: uuid.UUID | None = None
    representative_id: uuid.UUID | None = None
    case_reference: str | None = Field(default=None, max_length=32)
    subject: str = Field(default="", max_length=300)
    summary: str = Field(min_length=1, max_length=8000)
    outcome: str | None = Field(default=None, max_length=200)
    duration_seconds: int | None = Field(default=None, ge=0, le=86_400)
    occurred_at: datetime | None = None


class InteractionRead(BaseModel):
    id: int
    channel: InteractionChannel
    direction: Direction
    person_id: uuid.UUID | None
    representative_id: uuid.UUID | None
    staff_id: uuid.UUID | None
    case_reference: str | None
    subject: str
    summary: str
    outcome: str | None
    duration_seconds: int | None
    occurred_at: datetime
    data: dict[str, Any]


class InteractionPage(BaseModel):
    items: list[InteractionRead]
    page: int
    page_size: int
    total: int
