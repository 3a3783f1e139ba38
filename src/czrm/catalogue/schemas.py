from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from czrm.catalogue.localise import TRANSLATED
from czrm.catalogue.models import ServiceType

Datatype = Literal["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]


def _known_languages(value: dict[str, Any] | None) -> dict[str, Any] | None:
    """Translations are keyed by a page language other than English."""
    for code in value or {}:
        if code not in TRANSLATED:
            raise PydanticCustomError(
                "unknown_language",
                "{code} is not a language of the catalogue: use one of {known}",
                {"code": repr(code), "known": ", ".join(TRANSLATED)},
            )
    return value


class AttributeValue(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str = Field(min_length=1, max_length=100)
    name: str = Field(min_length=1, max_length=200)
    # {lang: name}
    translations: dict[str, str] = Field(default_factory=dict)

    _languages = field_validator("translations")(_known_languages)


class QuestionTranslation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str | None = Field(default=None, max_length=1000)
    datatype_description: str | None = Field(default=None, max_length=500)


class ServiceTranslation(BaseModel):
    """A service's wording in one language; a field left out reads in English."""

    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=4000)
    group: str | None = Field(default=None, max_length=200)
    keywords: list[str] | None = None


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
    translations: dict[str, QuestionTranslation] = Field(default_factory=dict)

    _languages = field_validator("translations")(_known_languages)


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
    translations: dict[str, ServiceTranslation] = Field(default_factory=dict)

    _languages = field_validator("translations")(_known_languages)


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
    translations: dict[str, ServiceTranslation] | None = None

    _languages = field_validator("translations")(_known_languages)


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
    translations: dict[str, dict[str, Any]]
