from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class SourceSystemCreate(BaseModel):
    code: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    department_id: uuid.UUID | None = None
    field_mapping: dict[str, str] = Field(default_factory=dict)
    # The data category of the system's own columns (czrm.privacy.categories).
    data_category: str = "service_history"


class SourceSystemRead(BaseModel):
    id: uuid.UUID
    code: str
    name: str
    department_id: uuid.UUID | None
    field_mapping: dict[str, str]
    data_category: str


class RejectedRow(BaseModel):
    line: int
    reason: str


class ImportResult(BaseModel):
    inserted: int
    updated: int
    unchanged: int
    rejected_count: int
    rejected: list[RejectedRow]
    linked: int = 0
    queued_for_review: int = 0
    new_persons: int = 0


class ReviewSide(BaseModel):
    record_id: int
    system: str
    external_id: str
    person_id: uuid.UUID | None
    first_name: str | None
    middle_name: str | None
    surname: str | None
    date_of_birth: str | None
    address_line_1: str | None
    postcode: str | None
    email: str | None
    phone: str | None
    ni_number: str | None


class ReviewRead(BaseModel):
    id: int
    status: str
    probability: float
    match_weight: float
    field_weights: dict[str, Any]
    created_at: datetime
    decided_by_id: uuid.UUID | None = None
    decided_at: datetime | None = None
    left: ReviewSide | None = None
    right: ReviewSide | None = None


class ReviewPage(BaseModel):
    total: int
    items: list[ReviewRead]


class DecisionIn(BaseModel):
    note: str | None = Field(default=None, max_length=2000)


class MergeIn(BaseModel):
    survivor_id: uuid.UUID
    absorbed_id: uuid.UUID
    reason: str | None = Field(default=None, max_length=200)


class SplitIn(BaseModel):
    person_id: uuid.UUID
    record_ids: list[int] = Field(min_length=1)
    reason: str | None = Field(default=None, max_length=200)


class JournalRead(BaseModel):
    id: uuid.UUID
    kind: str
    from_person_id: uuid.UUID
    to_person_id: uuid.UUID
    records: int
    actor: str
    reason: str | None
    created_at: datetime
    undone_at: datetime | None
