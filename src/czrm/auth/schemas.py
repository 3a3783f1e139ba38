from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from czrm.auth.models import Role


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TokenRequest(Strict):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1000)
    jurisdiction: str | None = Field(default=None, max_length=64)
    name: str = Field(default="api", max_length=200)


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth token type, not a secret
    expires_at: datetime | None


class StaffCreate(Strict):
    username: str = Field(min_length=2, max_length=64, pattern=r"^[a-z0-9._-]+$")
    display_name: str = Field(min_length=1, max_length=200)
    email: EmailStr
    password: str | None = Field(default=None, max_length=1000)
    roles: list[Role] = Field(min_length=1)
    departments: list[str] = Field(default_factory=list)


class StaffUpdate(Strict):
    display_name: str | None = Field(default=None, min_length=1, max_length=200)
    password: str | None = Field(default=None, max_length=1000)
    roles: list[Role] | None = Field(default=None, min_length=1)
    departments: list[str] | None = None
    is_active: bool | None = None


class StaffRead(BaseModel):
    id: uuid.UUID
    username: str
    display_name: str
    email: str
    roles: list[Role]
    departments: list[str]
    is_active: bool
    last_login_at: datetime | None


class MeRead(BaseModel):
    id: uuid.UUID
    username: str
    display_name: str
    roles: list[Role]
    department_ids: list[uuid.UUID]
    jurisdiction_id: uuid.UUID
