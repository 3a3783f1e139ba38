"""The case state machine. Pure: no I/O, no clock.

Open311's open/closed is derived from the status, never stored. A closed
case can only be reopened; ``fixed`` may also be confirmed as ``closed``.
"""

from __future__ import annotations

from czrm.cases.models import CaseStatus as S
from czrm.errors import Conflict

CLOSED = frozenset(
    {
        S.FIXED,
        S.CLOSED,
        S.DUPLICATE,
        S.NOT_RESPONSIBLE,
        S.NO_FURTHER_ACTION,
        S.INTERNAL_REFERRAL,
        S.CANCELLED,
    }
)
OUTCOMES = frozenset(CLOSED - {S.CANCELLED})
WORKING = frozenset({S.INVESTIGATING, S.IN_PROGRESS, S.ACTION_SCHEDULED, S.WAITING_ON_CITIZEN})

TRANSITIONS: dict[S, frozenset[S]] = {
    S.NEW: frozenset({S.ACKNOWLEDGED} | WORKING | CLOSED),
    S.ACKNOWLEDGED: frozenset(WORKING | CLOSED),
    S.INVESTIGATING: frozenset((WORKING - {S.INVESTIGATING}) | CLOSED),
    S.IN_PROGRESS: frozenset((WORKING - {S.IN_PROGRESS}) | CLOSED),
    S.ACTION_SCHEDULED: frozenset((WORKING - {S.ACTION_SCHEDULED}) | CLOSED),
    S.WAITING_ON_CITIZEN: frozenset((WORKING - {S.WAITING_ON_CITIZEN}) | CLOSED),
    S.REOPENED: frozenset({S.ACKNOWLEDGED} | WORKING | CLOSED),
    S.FIXED: frozenset({S.CLOSED, S.REOPENED}),
    S.CLOSED: frozenset({S.REOPENED}),
    S.DUPLICATE: frozenset({S.REOPENED}),
    S.NOT_RESPONSIBLE: frozenset({S.REOPENED}),
    S.NO_FURTHER_ACTION: frozenset({S.REOPENED}),
    S.INTERNAL_REFERRAL: frozenset({S.REOPENED}),
    S.CANCELLED: frozenset({S.REOPENED}),
}


class TransitionNotAllowed(Conflict):
    def __init__(self, current: S, wanted: S) -> None:
        allowed = sorted(s.value for s in TRANSITIONS[current])
        super().__init__(
            f"a case that is {current.value} cannot become {wanted.value}; "
            f"allowed: {', '.join(allowed)}",
            code="transition_not_allowed",
            allowed=allowed,
        )


def is_closed(status: S) -> bool:
    return status in CLOSED


def open311_status(status: S) -> str:
    return "closed" if status in CLOSED else "open"


def allowed_from(status: S) -> frozenset[S]:
    return TRANSITIONS[status]


def check_transition(current: S, wanted: S) -> None:
    if wanted not in TRANSITIONS[current]:
        raise TransitionNotAllowed(current, wanted)


def notice_for(status: S) -> str:
    """The message event a requester is sent when their case moves to ``status``."""
    if status in CLOSED:
        return "closed"
    return "reopened" if status == S.REOPENED else "status_changed"


def pauses_clock(status: S) -> bool:
    """The SLA clock stops while the council waits on the citizen."""
    return status == S.WAITING_ON_CITIZEN
