"""Every query over consent records and contact preferences."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from czrm.consent.models import ConsentRecord, ContactPreference


def records(session: Session, person_ids: list[uuid.UUID]) -> Sequence[ConsentRecord]:
    stmt = select(ConsentRecord).where(ConsentRecord.person_id.in_(person_ids))
    return session.scalars(stmt.order_by(ConsentRecord.recorded_at, ConsentRecord.id)).all()


def preference(session: Session, person_id: uuid.UUID) -> ContactPreference | None:
    return session.get(ContactPreference, person_id)
