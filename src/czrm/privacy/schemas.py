from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from czrm.auth.models import Role
from czrm.privacy.categories import DataCategory
from czrm.privacy.models import LawfulBasis, RequestKind, RequestStatus

CODE_PATTERN = r"^[a-z][a-z0-9_]{1,63}$"


class PurposeFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=4000)
    lawful_basis: LawfulBasis | None = None
    special_condition: str | None = Field(default=None, max_length=2000)
    legislation: str | None = Field(default=None, max_length=2000)
    categories: list[DataCategory] | None = Field(default=None, min_length=1)
    departments: list[str] | None = None
    roles: list[Role] | None = None
    retention: str | None = Field(default=None, max_length=300)
    retention_days: int | None = Field(default=None, ge=1, le=36_500)
    covert: bool | None = None
    disclosure_delay_days: int | None = Field(default=None, ge=1, le=3_650)
    active: bool | None = None


class PurposeCreate(PurposeFields):
    code: str = Field(pattern=CODE_PATTERN)
    name: str = Field(min_length=1, max_length=200)
    lawful_basis: LawfulBasis
    categories: list[DataCategory] = Field(min_length=1)
    retention: str = Field(min_length=1, max_length=300)


class PurposeUpdate(PurposeFields):
    pass


class PurposeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    description: str
    lawful_basis: str
    special_condition: str | None
    legislation: str | None
    categories: list[str]
    departments: list[str]
    roles: list[str]
    retention: str
    retention_days: int | None
    covert: bool
    disclosure_delay_days: int | None
    active: bool
    updated_at: datetime


class RequestCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person_id: uuid.UUID
    kind: RequestKind
    received_on: date
    channel: str = Field(default="email", min_length=1, max_length=32)


class ExtendIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=10, max_length=2000)


class StatusIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: RequestStatus
    outcome: str | None = Field(default=None, max_length=4000)


class RequestRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    reference: str
    person_id: uuid.UUID | None
    kind: str
    status: str
    received_on: date
    due_on: date
    extended_due_on: date | None
    extension_reason: str | None
    effective_due_on: date
    overdue: bool
    channel: str
    completed_at: datetime | None
    outcome: str | None


class RequestPage(BaseModel):
    items: list[RequestRead]
    page: int
    page_size: int
    total: int
