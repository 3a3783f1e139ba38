from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from czrm.communications.models import MessageStatus


class MessageRead(BaseModel):
    id: int
    person_id: uuid.UUID
    case_id: int | None
    event: str
    purpose: str
    channel: str
    provider: str
    language: str
    recipient: str
    subject: str
    body: str
    status: MessageStatus
    attempts: int
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
    digest_due_at: datetime | None
    history: list[dict[str, Any]]


class MessagePage(BaseModel):
    items: list[MessageRead]
    page: int
    page_size: int
    total: int


class CallMade(BaseModel):
    model_config = ConfigDict(extra="forbid")

    summary: str = Field(min_length=1, max_length=8000)
    outcome: str = Field(min_length=1, max_length=200)
