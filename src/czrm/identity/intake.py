"""Intake flows shared by the CLI, the bulk API and the worker."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from czrm.auth.subject import Actor
from czrm.identity import modelstore
from czrm.identity.importer import ImportReport, import_rows
from czrm.identity.matching import link_new_record
from czrm.identity.models import SourceSystem
from czrm.identity.readers import Row, read_rows


def import_and_match(
    session: Session,
    actor: Actor,
    system: SourceSystem,
    rows: Iterable[tuple[int, Row]],
    *,
    progress: Callable[[int], None] | None = None,
    match: bool = True,
) -> dict[str, Any]:
    """Import rows; when a model exists (and ``match``), link each new record at once."""
    model = modelstore.latest(session, system.jurisdiction_id) if match else None
    report: ImportReport = import_rows(
        session, actor, system, rows, progress=progress, collect_new_ids=model is not None
    )
    outcome = asdict(report)
    outcome.update(linked=0, queued_for_review=0, new_persons=0)
    for record_id in report.new_record_ids:
        result = link_new_record(session, record_id)
        if result.decision == "link":
            outcome["linked"] += 1
        else:
            outcome["new_persons"] += 1
            outcome["queued_for_review"] += result.decision == "review"
    outcome.pop("new_record_ids")
    return outcome


def import_file(
    session: Session,
    actor: Actor,
    system: SourceSystem,
    path: Path,
    *,
    progress: Callable[[int], None] | None = None,
    match: bool = False,
) -> dict[str, Any]:
    return import_and_match(session, actor, system, read_rows(path), progress=progress, match=match)
