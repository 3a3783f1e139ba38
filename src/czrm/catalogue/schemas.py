from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from czrm.catalogue.models import ServiceType

Datatype = Literal["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]


class AttributeValue(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str = Field(min_length=1, max_length=100)
    name: str = Field(min_length=1, max_length=200)


class AttributeDefinition(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(min_length=1, max_length=64)
    datatype: Datatype
    required: bool = False
    variable: bool = True
    order: int | None = None
    description: str = Field(default="", max_length=1000)
    datatype_description: str | None = Field(default=None, max_length=500)
    values: list[AttributeValue] = Field(default_factory=list)


class ServiceCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=4000)
    group: str = Field(default="", max_length=200)
    keywords: list[str] = Field(default_factory=list)
    type: ServiceType = ServiceType.REALTIME
    department: str = Field(description="department code or id")
    sla_hours: int = Field(default=40, ge=1, le=10_000)
    allow_anonymous: bool = True
    active: bool = True
    attributes: list[AttributeDefinition] = Field(default_factory=list)


class ServiceUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=4000)
    group: str | None = Field(default=None, max_length=200)
    keywords: list[str] | None = None
    type: ServiceType | None = None
    department: str | None = None
    sla_hours: int | None = Field(default=None, ge=1, le=10_000)
    allow_anonymous: bool | None = None
    active: bool | None = None
    attributes: list[AttributeDefinition] | None = None


class ServiceRead(BaseModel):
    id: uuid.UUID
    code: str
    name: str
    description: str
    group: str
    keywords: list[str]
    type: ServiceType
    department_id: uuid.UUID
    sla_hours: int
    allow_anonymous: bool
    active: bool
    attributes: list[dict[str, Any]]
