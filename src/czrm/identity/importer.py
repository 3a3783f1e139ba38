"""Importing a departmental extract: standardise, then upsert in bulk.

Idempotent by ``(system, external_id)``: a row seen before updates its record
(only if something changed), a new one inserts. Bad rows are reported with
their line and reason and skipped; good rows are kept. Writes go through Core
``executemany`` in batches so a million rows stay within minutes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from czrm.audit.service import record
from czrm.auth.subject import Actor
from czrm.identity.models import SourceRecord, SourceSystem
from czrm.identity.readers import Row, RowProblem
from czrm.identity.records import RowRejected, json_safe, mapped, standardise_row
from czrm.kit.bulk import bulk_insert
from czrm.kit.time import utc_now

BATCH = 2000
MAX_REPORTED = 10_000


@dataclass(frozen=True)
class Rejection:
    line: int
    reason: str


@dataclass
class ImportReport:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected_count: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    new_record_ids: list[int] = field(default_factory=list)

    def reject(self, line: int, reason: str) -> None:
        self.rejected_count += 1
        if len(self.rejected) < MAX_REPORTED:
            self.rejected.append(Rejection(line, reason))

    @property
    def kept(self) -> int:
        return self.inserted + self.updated + self.unchanged


def import_rows(
    session: Session,
    actor: Actor,
    system: SourceSystem,
    rows: Iterable[tuple[int, Row]],
    *,
    progress: Callable[[int], None] | None = None,
    collect_new_ids: bool = False,
) -> ImportReport:
    """Import rows into ``system``; returns counts and every rejected line."""
    report = ImportReport()
    seen: dict[str, int] = {}
    batch: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
    for line, raw in rows:
        if isinstance(raw, RowProblem):
            report.reject(line, raw.reason)
        else:
            _prepare(report, system, seen, batch, line, raw)
        if len(batch) >= BATCH:
            _flush(session, system, batch, report, collect_new_ids)
            if progress:
                progress(line)
            batch = []
    if batch:
        _flush(session, system, batch, report, collect_new_ids)
    if progress:
        progress(-1)
    record(
        session,
        actor,
        action="source_records_imported",
        entity_type="source_system",
        entity_id=system.id,
        jurisdiction_id=system.jurisdiction_id,
        details={
            "system": system.code,
            "inserted": report.inserted,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "rejected": report.rejected_count,
        },
    )
    return report


def _prepare(
    report: ImportReport,
    system: SourceSystem,
    seen: dict[str, int],
    batch: list[tuple[int, dict[str, Any], dict[str, Any]]],
    line: int,
    raw: Mapping[str, Any],
) -> None:
    try:
        standard = standardise_row(mapped(raw, system.field_mapping))
    except RowRejected as exc:
        report.reject(line, str(exc))
        return
    earlier = seen.get(standard.external_id)
    if earlier is not None:
        report.reject(line, f"external_id {standard.external_id} already given on line {earlier}")
        return
    seen[standard.external_id] = line
    batch.append((line, json_safe(raw), standard.columns()))


def _meaningful(data: dict[str, Any]) -> dict[str, Any]:
    """Columns with a value: a format that writes absent fields as null changes nothing."""
    return {k: v for k, v in data.items() if v not in (None, "")}


def _flush(
    session: Session,
    system: SourceSystem,
    batch: list[tuple[int, dict[str, Any], dict[str, Any]]],
    report: ImportReport,
    collect_new_ids: bool,
) -> None:
    ids = [columns["external_id"] for _, _, columns in batch]
    existing = {
        row.external_id: (row.id, row.data)
        for row in session.execute(
            select(SourceRecord.id, SourceRecord.external_id, SourceRecord.data).where(
                SourceRecord.system_id == system.id, SourceRecord.external_id.in_(ids)
            )
        )
    }
    now = utc_now()
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for _line, data, columns in batch:
        found = existing.get(columns["external_id"])
        if found is None:
            inserts.append(
                {
                    **columns,
                    "jurisdiction_id": system.jurisdiction_id,
                    "system_id": system.id,
                    "data": data,
                    "received_at": now,
                    "updated_at": now,
                }
            )
        elif _meaningful(found[1]) == _meaningful(data):
            report.unchanged += 1
        else:
            values = {k: v for k, v in columns.items() if k != "external_id"}
            updates.append({**values, "data": data, "updated_at": now, "id": found[0]})
    if inserts:
        # COPY on PostgreSQL (the ORM's bulk path splits rows by which values
        # are null and sends one statement each).
        bulk_insert(session, cast(Table, SourceRecord.__table__), inserts)
        report.inserted += len(inserts)
        if collect_new_ids:
            new_ids = [row["external_id"] for row in inserts]
            report.new_record_ids += session.scalars(
                select(SourceRecord.id).where(
                    SourceRecord.system_id == system.id, SourceRecord.external_id.in_(new_ids)
                )
            ).all()
    if updates:
        # ORM bulk UPDATE by primary key: one executemany.
        session.execute(update(SourceRecord), updates)
        report.updated += len(updates)
