"""The SLA clock on real cases: business hours, pauses and breaches (injected clock)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from czrm.cases.models import CaseEvent, CaseStatus, EventType
from czrm.cases.service import Location, case_service
from czrm.jobs.registry import run
from czrm.kit.time import frozen_clock
from czrm.org.models import Holiday
from tests.factories import World, create_case

# Monday 2 March 2026, 09:00 in London is 09:00 UTC (GMT).
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


def _events(session: Session, case_id: int, type: EventType) -> list[CaseEvent]:
    return list(
        session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.type == type)
        )
    )


def test_due_time_counts_business_hours_over_a_weekend(session: Session, world: World) -> None:
    friday_4pm = MONDAY + timedelta(days=4, hours=7)
    with frozen_clock(friday_4pm):
        case = create_case(session, world.pothole)  # 16 business hours
    # Fri 16–17 (1h), Mon 9–17 (8h), Tue 9–16 (7h)
    assert case.due_at == datetime(2026, 3, 10, 16, 0, tzinfo=UTC)


def test_due_time_skips_public_holidays(session: Session, world: World) -> None:
    session.add(
        Holiday(jurisdiction_id=world.jurisdiction.id, day=date(2026, 3, 3), name="Founders' Day")
    )
    session.flush()
    with frozen_clock(MONDAY):
        case = create_case(session, world.pothole)
    assert case.due_at == datetime(2026, 3, 4, 17, 0, tzinfo=UTC)


def test_waiting_on_the_citizen_pauses_the_clock(session: Session, world: World) -> None:
    worker = world.subject(session, world.caseworker)
    with frozen_clock(MONDAY) as move:
        case = create_case(session, world.pothole)
        assert case.due_at == datetime(2026, 3, 3, 17, 0, tzinfo=UTC)
        move(MONDAY + timedelta(hours=2))
        case_service.transition(session, worker, case, CaseStatus.WAITING_ON_CITIZEN)
        assert case.paused_since == MONDAY + timedelta(hours=2)
        # paused from Mon 11:00 to Wed 11:00: 16 business hours
        move(MONDAY + timedelta(days=2, hours=2))
        case_service.transition(session, worker, case, CaseStatus.IN_PROGRESS)
    assert case.paused_since is None
    assert case.paused_minutes == 16 * 60
    assert case.due_at == datetime(2026, 3, 5, 17, 0, tzinfo=UTC)


def test_breach_is_marked_once_and_escalated_to_the_team_manager(
    session: Session, world: World
) -> None:
    with frozen_clock(MONDAY) as move:
        late = create_case(session, world.pothole, location=Location(lat=52.43, long=-1.53))
        assert late.team_id == world.west.id  # managed by world.manager
        paused = create_case(session, world.pothole)
        closed = create_case(session, world.pothole)
        subject = world.subject(session, world.caseworker)
        case_service.transition(session, subject, paused, CaseStatus.WAITING_ON_CITIZEN)
        case_service.transition(session, subject, closed, CaseStatus.FIXED)
        move(datetime(2026, 3, 3, 16, 59, tzinfo=UTC))
        assert run(session, "cases.check_sla", {}) == 0
        move(datetime(2026, 3, 3, 17, 1, tzinfo=UTC))
        assert run(session, "cases.check_sla", {}) == 1
        assert run(session, "cases.check_sla", {}) == 0
    assert late.breached_at == datetime(2026, 3, 3, 17, 1, tzinfo=UTC)
    assert late.escalated_to_id == world.manager.id
    assert len(_events(session, late.id, EventType.SLA_BREACHED)) == 1
    escalations = _events(session, late.id, EventType.ESCALATED)
    assert [e.data["manager_id"] for e in escalations] == [str(world.manager.id)]
    assert paused.breached_at is None and closed.breached_at is None
