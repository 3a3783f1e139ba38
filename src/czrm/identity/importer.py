"""Importing a departmental extract: standardise, then upsert in bulk.

Idempotent by ``(system, external_id)``: a row seen before updates its record
(only if something changed), a new one inserts. Bad rows are reported with
their line and reason and skipped; good rows are kept. A system's first
extract streams into ``COPY`` (PostgreSQL indexes rows while Python
standardises the next ones); later extracts go in batches that look up what
is already kept. Everything happens in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
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
# A good row: its line, the row as received, and its standardised columns.
Prepared = tuple[int, dict[str, Any], dict[str, Any]]
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
    if _holds_records(session, system):
        _import_batches(session, system, rows, report, progress, collect_new_ids)
    else:
        _import_first(session, system, rows, report, progress, collect_new_ids)
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


def _holds_records(session: Session, system: SourceSystem) -> bool:
    held = select(SourceRecord.id).where(SourceRecord.system_id == system.id).limit(1)
    return session.scalar(held) is not None


def _import_first(
    session: Session,
    system: SourceSystem,
    rows: Iterable[tuple[int, Row]],
    report: ImportReport,
    progress: Callable[[int], None] | None,
    collect_new_ids: bool,
) -> None:
    """A system's first extract: every good row is new, so none is looked up, and
    the rows stream into COPY while the database indexes the ones before."""
    kept: list[str] = []
    now = utc_now()
    extra = {
        "jurisdiction_id": system.jurisdiction_id,
        "system_id": system.id,
        "received_at": now,
        "updated_at": now,
    }

    def inserts() -> Iterator[dict[str, Any]]:
        for line, prepared in _prepared_rows(report, system, rows):
            if prepared is not None:
                _line, data, columns = prepared
                if collect_new_ids:
                    kept.append(columns["external_id"])
                columns["data"] = data
                columns.update(extra)
                yield columns
            if progress and line % BATCH == 0:
                progress(line)

    report.inserted += bulk_insert(session, cast(Table, SourceRecord.__table__), inserts())
    # By external id: a concurrent first import may have added others since.
    for start in range(0, len(kept), BATCH):
        report.new_record_ids += session.scalars(
            select(SourceRecord.id).where(
                SourceRecord.system_id == system.id,
                SourceRecord.external_id.in_(kept[start : start + BATCH]),
            )
        ).all()


def _import_batches(
    session: Session,
    system: SourceSystem,
    rows: Iterable[tuple[int, Row]],
    report: ImportReport,
    progress: Callable[[int], None] | None,
    collect_new_ids: bool,
) -> None:
    """Rows a system may have sent before: each batch looks up what is already kept."""
    batch: list[Prepared] = []
    for line, prepared in _prepared_rows(report, system, rows):
        if prepared is not None:
            batch.append(prepared)
        if len(batch) >= BATCH:
            _flush(session, system, batch, report, collect_new_ids)
            if progress:
                progress(line)
            batch = []
    if batch:
        _flush(session, system, batch, report, collect_new_ids)


def _prepared_rows(
    report: ImportReport, system: SourceSystem, rows: Iterable[tuple[int, Row]]
) -> Iterator[tuple[int, Prepared | None]]:
    """Each line with its prepared row, or None when the line is rejected (and
    reported: a problem reading it, a bad value, an external id given twice)."""
    seen: dict[str, int] = {}
    for line, raw in rows:
        if isinstance(raw, RowProblem):
            report.reject(line, raw.reason)
            yield line, None
        else:
            yield line, _prepare(report, system, seen, line, raw)


def _prepare(
    report: ImportReport,
    system: SourceSystem,
    seen: dict[str, int],
    line: int,
    raw: Mapping[str, Any],
) -> Prepared | None:
    """(line, the row as received, its columns), or None when the row is rejected."""
    try:
        standard = standardise_row(mapped(raw, system.field_mapping))
    except RowRejected as exc:
        report.reject(line, str(exc))
        return None
    earlier = seen.get(standard.external_id)
    if earlier is not None:
        report.reject(line, f"external_id {standard.external_id} already given on line {earlier}")
        return None
    seen[standard.external_id] = line
    return (line, json_safe(raw), standard.columns())


def _meaningful(data: dict[str, Any]) -> dict[str, Any]:
    """Columns with a value: a format that writes absent fields as null changes nothing."""
    return {k: v for k, v in data.items() if v not in (None, "")}


def _flush(
    session: Session,
    system: SourceSystem,
    batch: list[Prepared],
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
