from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, EmailStr, Field, model_validator

from czrm.cases.models import CaseStatus, Channel, EventType, Priority


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RequesterIn(Strict):
    """An existing person by id, or details to find or create one."""

    person_id: uuid.UUID | None = None
    given_name: str | None = Field(default=None, max_length=200)
    family_name: str | None = Field(default=None, max_length=200)
    email: EmailStr | None = None
    phone: str | None = Field(default=None, max_length=40)
    language: str | None = Field(default=None, max_length=16)


class LocationIn(Strict):
    lat: float | None = Field(default=None, ge=-90, le=90)
    long: float | None = Field(default=None, ge=-180, le=180)
    address: str | None = Field(default=None, max_length=500)
    address_id: str | None = Field(default=None, max_length=100)
    postcode: str | None = Field(default=None, max_length=16)

    @model_validator(mode="after")
    def _pair(self) -> LocationIn:
        if (self.lat is None) != (self.long is None):
            raise ValueError("lat and long must be given together")
        return self


class CaseCreate(Strict):
    service_code: str = Field(min_length=1, max_length=64)
    description: str = Field(default="", max_length=4000)
    channel: Channel = Channel.PHONE
    priority: Priority = Priority.NORMAL
    location: LocationIn = Field(default_factory=LocationIn)
    attributes: dict[str, str | float | int | list[str]] = Field(default_factory=dict)
    requester: RequesterIn | None = None


class TransitionIn(Strict):
    status: CaseStatus
    sub_status: str | None = Field(default=None, max_length=100)
    public_note: str | None = Field(default=None, max_length=4000)
    internal_note: str | None = Field(default=None, max_length=4000)
    duplicate_of: str | None = Field(default=None, max_length=32)


class AssignIn(Strict):
    team_id: uuid.UUID | None = None
    assignee_id: uuid.UUID | None = None
    unassign: bool = False


class NoteIn(Strict):
    body: str = Field(min_length=1, max_length=4000)


class EventRead(BaseModel):
    id: int
    type: EventType
    occurred_at: datetime
    actor: str
    public: bool
    from_status: str | None
    to_status: str | None
    body: str | None
    data: dict[str, Any]


class CaseSummary(BaseModel):
    id: int
    reference: str
    service_code: str
    status: CaseStatus
    open311_status: str
    priority: Priority
    channel: Channel
    department_id: uuid.UUID
    team_id: uuid.UUID | None
    assignee_id: uuid.UUID | None
    opened_at: datetime
    updated_at: datetime
    due_at: datetime | None
    overdue: bool
    address: str | None
    lat: float | None
    long: float | None


class CaseRead(CaseSummary):
    description: str
    sub_status: str | None
    attributes: dict[str, Any]
    media_urls: list[str]
    postcode: str | None
    requester_id: uuid.UUID | None
    # Name and contact as the reader's purpose allows (withheld parts marked).
    requester: dict[str, Any] | None = None
    # Contact details arrived with the request and a worker has yet to match them.
    requester_pending: bool = False
    duplicate_of: str | None
    closed_at: datetime | None
    breached_at: datetime | None
    paused_since: datetime | None
    escalated_to_id: uuid.UUID | None
    allowed_transitions: list[CaseStatus]
    timeline: list[EventRead]


class CasePage(BaseModel):
    items: list[CaseSummary]
    page: int
    page_size: int
    total: int
