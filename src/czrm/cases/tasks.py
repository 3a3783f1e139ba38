from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from czrm.cases.service import case_service
from czrm.jobs.registry import task


@task("cases.check_sla", every=timedelta(minutes=5))
def check_sla(session: Session) -> int:
    return case_service.mark_breaches(session)
