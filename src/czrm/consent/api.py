"""Staff REST API for consent and contact preferences, under the person."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from czrm.auth.deps import CurrentSubject
from czrm.consent.models import ConsentRecord, ContactChannel, ContactPreference
from czrm.consent.schemas import (
    PURPOSE_PATTERN,
    ConsentIn,
    ConsentOverview,
    ConsentRead,
    DecisionRead,
    PreferencesIn,
    PreferencesRead,
)
from czrm.consent.service import consent_service
from czrm.kit.web import DbSession
from czrm.people.api import Purpose
from czrm.privacy.access_log import record_read
from czrm.privacy.categories import DataCategory

router = APIRouter(prefix="/api/v1/people/{person_id}", tags=["consent"])


def _read(rec: ConsentRecord) -> ConsentRead:
    return ConsentRead.model_validate(rec, from_attributes=True)


def _prefs(pref: ContactPreference) -> PreferencesRead:
    return PreferencesRead(preferred_channel=pref.preferred_channel, digest=pref.digest)


@router.get("/consents", response_model=ConsentOverview)
def list_consents(
    person_id: uuid.UUID, session: DbSession, subject: CurrentSubject, purpose: Purpose = None
) -> ConsentOverview:
    """What is in force now, every statement ever recorded, and the contact preferences."""
    history, in_force, prefs = consent_service.history(session, subject, person_id)
    record_read(
        session,
        subject,
        purpose,
        [person_id],
        categories=[DataCategory.COMMUNICATION_NEEDS],
        what="consents and contact preferences",
    )
    return ConsentOverview(
        in_force=[_read(r) for r in in_force],
        history=[_read(r) for r in history],
        preferences=_prefs(prefs),
    )


@router.post("/consents", status_code=201, response_model=ConsentRead)
def record_consent(
    person_id: uuid.UUID, body: ConsentIn, session: DbSession, subject: CurrentSubject
) -> ConsentRead:
    """Give or withdraw consent; raise or lift an objection or restriction; opt out of a
    channel or back in. Appended to the history, never overwriting it."""
    return _read(consent_service.record(session, subject, person_id, body))


@router.put("/contact-preferences", response_model=PreferencesRead)
def set_preferences(
    person_id: uuid.UUID, body: PreferencesIn, session: DbSession, subject: CurrentSubject
) -> PreferencesRead:
    return _prefs(consent_service.set_preferences(session, subject, person_id, body))


@router.get("/may-contact", response_model=DecisionRead)
def may_contact(
    person_id: uuid.UUID,
    session: DbSession,
    subject: CurrentSubject,
    purpose: Annotated[str, Query(pattern=PURPOSE_PATTERN)],
    channel: ContactChannel,
) -> DecisionRead:
    decision = consent_service.decision_for(
        session, subject, person_id, purpose=purpose, channel=channel
    )
    # Whether someone objected is their data too: read under the role's default purpose.
    record_read(
        session,
        subject,
        None,
        [person_id],
        categories=[DataCategory.COMMUNICATION_NEEDS],
        what=f"may we contact them ({purpose}, {channel})",
    )
    return DecisionRead(allowed=decision.allowed, reason=decision.reason)
