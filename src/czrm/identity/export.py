"""Exporting links so any linkage can be checked against ground truth."""

from __future__ import annotations

import csv
import uuid
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from czrm.identity.models import IdentityLink, SourceRecord, SourceSystem


def write_links(session: Session, jurisdiction_id: uuid.UUID, path: Path) -> int:
    """CSV of ``system, external_id, person_id``, one row per linked source record."""
    stmt = (
        select(SourceSystem.code, SourceRecord.external_id, IdentityLink.person_id)
        .join(SourceRecord, SourceRecord.system_id == SourceSystem.id)
        .join(IdentityLink, IdentityLink.source_record_id == SourceRecord.id)
        .where(SourceSystem.jurisdiction_id == jurisdiction_id)
        .order_by(SourceSystem.code, SourceRecord.external_id)
        .execution_options(yield_per=10_000)
    )
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["system", "external_id", "person_id"])
        for code, external_id, person_id in session.execute(stmt):
            writer.writerow([code, external_id, str(person_id)])
            count += 1
    return count
