"""The state machine, with no database."""

from __future__ import annotations

import pytest

from czrm.cases.models import CaseStatus as S
from czrm.cases.workflow import (
    CLOSED,
    TRANSITIONS,
    TransitionNotAllowed,
    check_transition,
    is_closed,
    open311_status,
    pauses_clock,
)

ALLOWED = [(a, b) for a, targets in TRANSITIONS.items() for b in sorted(targets)]


@pytest.mark.parametrize(("current", "wanted"), ALLOWED, ids=[f"{a}->{b}" for a, b in ALLOWED])
def test_every_allowed_transition_passes(current: S, wanted: S) -> None:
    check_transition(current, wanted)


FORBIDDEN = [
    (S.CLOSED, S.IN_PROGRESS),
    (S.CLOSED, S.FIXED),
    (S.FIXED, S.IN_PROGRESS),
    (S.CANCELLED, S.NEW),
    (S.DUPLICATE, S.CLOSED),
    (S.IN_PROGRESS, S.NEW),
    (S.ACKNOWLEDGED, S.ACKNOWLEDGED),
    (S.WAITING_ON_CITIZEN, S.REOPENED),
    (S.NEW, S.REOPENED),
    (S.NEW, S.NEW),
]


@pytest.mark.parametrize(("current", "wanted"), FORBIDDEN)
def test_forbidden_transition_names_the_allowed_ones(current: S, wanted: S) -> None:
    with pytest.raises(TransitionNotAllowed) as info:
        check_transition(current, wanted)
    assert info.value.status == 409
    assert info.value.extra["allowed"] == sorted(s.value for s in TRANSITIONS[current])
    assert wanted.value in info.value.message


def test_every_status_has_a_way_forward_and_closed_ones_only_reopen_or_close() -> None:
    assert set(TRANSITIONS) == set(S)
    for status in S:
        assert TRANSITIONS[status], status
    for status in CLOSED - {S.FIXED}:
        assert TRANSITIONS[status] == {S.REOPENED}
    assert TRANSITIONS[S.FIXED] == {S.CLOSED, S.REOPENED}


def test_open311_status_is_derived() -> None:
    assert open311_status(S.NEW) == "open"
    assert open311_status(S.REOPENED) == "open"
    assert open311_status(S.WAITING_ON_CITIZEN) == "open"
    assert open311_status(S.FIXED) == "closed"
    assert open311_status(S.INTERNAL_REFERRAL) == "closed"
    assert is_closed(S.CANCELLED) and not is_closed(S.ACTION_SCHEDULED)


def test_only_waiting_on_citizen_pauses_the_clock() -> None:
    assert [s for s in S if pauses_clock(s)] == [S.WAITING_ON_CITIZEN]
