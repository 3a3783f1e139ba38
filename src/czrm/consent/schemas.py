from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from czrm.consent.models import ConsentKind, ContactChannel, DigestFrequency

PURPOSE_PATTERN = r"^[a-z][a-z0-9_]{1,63}$"


class ConsentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: ConsentKind = ConsentKind.CONSENT
    purpose: str | None = Field(default=None, pattern=PURPOSE_PATTERN)
    channel: ContactChannel | None = None
    active: bool = True
    source: str = Field(pattern=r"^(portal|phone|email|letter|walk_in|staff|import)$")
    evidence: str | None = Field(default=None, max_length=2000)


class ConsentRead(BaseModel):
    id: int
    person_id: uuid.UUID
    kind: ConsentKind
    purpose: str | None
    channel: ContactChannel | None
    active: bool
    source: str
    evidence: str | None
    recorded_at: datetime
    recorded_by_id: uuid.UUID | None


class PreferencesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    preferred_channel: ContactChannel | None = None
    digest: DigestFrequency = DigestFrequency.REALTIME


class PreferencesRead(BaseModel):
    preferred_channel: ContactChannel | None
    digest: DigestFrequency


class ConsentOverview(BaseModel):
    in_force: list[ConsentRead]
    history: list[ConsentRead]
    preferences: PreferencesRead


class DecisionRead(BaseModel):
    allowed: bool
    reason: str
