"""Worker tasks: file imports and batch linking run as jobs."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from czrm.auth.subject import SYSTEM
from czrm.identity.intake import attach_requester, import_file
from czrm.identity.linking import link_all
from czrm.identity.models import SourceSystem
from czrm.jobs.registry import task


@task("identity.import_file", max_attempts=3)
def import_file_task(session: Session, system_id: str, path: str) -> dict[str, Any]:
    """Idempotent by (system, external id), so a retried job re-imports harmlessly."""
    system = session.get(SourceSystem, uuid.UUID(system_id))
    if system is None:
        raise LookupError(f"no source system {system_id}")
    result = import_file(session, SYSTEM, system, Path(path))
    result["rejected"] = result["rejected"][:100]
    return result


@task("identity.link", max_attempts=2)
def link_task(session: Session, jurisdiction_id: str, retrain: bool = False) -> dict[str, Any]:
    report = link_all(session, SYSTEM, uuid.UUID(jurisdiction_id), retrain=retrain)
    return {k: v for k, v in vars(report).items() if isinstance(v, int)}


@task("identity.attach_requester", max_attempts=10)
def attach_requester_task(session: Session, case_id: int) -> str:
    return attach_requester(session, case_id)
