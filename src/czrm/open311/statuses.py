"""czrm statuses in mySociety's extended Open311 vocabulary, and back. Pure."""

from __future__ import annotations

from czrm.cases.models import CaseStatus as S

EXTENDED: dict[S, str] = {
    S.NEW: "FOR_TRIAGE",
    S.ACKNOWLEDGED: "OPEN",
    S.INVESTIGATING: "INVESTIGATING",
    S.IN_PROGRESS: "IN_PROGRESS",
    S.ACTION_SCHEDULED: "ACTION_SCHEDULED",
    S.WAITING_ON_CITIZEN: "IN_PROGRESS",
    S.FIXED: "FIXED",
    S.CLOSED: "CLOSED",
    S.DUPLICATE: "DUPLICATE",
    S.NOT_RESPONSIBLE: "NOT_COUNCILS_RESPONSIBILITY",
    S.NO_FURTHER_ACTION: "NO_FURTHER_ACTION",
    S.INTERNAL_REFERRAL: "INTERNAL_REFERRAL",
    S.CANCELLED: "CANCELLED",
    S.REOPENED: "REOPEN",
}

FROM_EXTENDED: dict[str, S] = {
    "OPEN": S.ACKNOWLEDGED,
    "CLOSED": S.CLOSED,
    "FIXED": S.FIXED,
    "IN_PROGRESS": S.IN_PROGRESS,
    "ACTION_SCHEDULED": S.ACTION_SCHEDULED,
    "INVESTIGATING": S.INVESTIGATING,
    "DUPLICATE": S.DUPLICATE,
    "NOT_COUNCILS_RESPONSIBILITY": S.NOT_RESPONSIBLE,
    "NO_FURTHER_ACTION": S.NO_FURTHER_ACTION,
    "INTERNAL_REFERRAL": S.INTERNAL_REFERRAL,
    "FOR_TRIAGE": S.NEW,
    "CANCELLED": S.CANCELLED,
    "REOPEN": S.REOPENED,
}

# A client asking for one of these on a closed case means "this is not fixed".
REOPENING = frozenset({"OPEN", "REOPEN"})


def extended(status: str | None) -> str | None:
    if status is None:
        return None
    try:
        return EXTENDED[S(status)]
    except ValueError:
        return None
