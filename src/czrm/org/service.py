"""Reading the organisation: calendars, teams and their areas."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from threading import Lock
from time import monotonic
from typing import Any

from shapely.geometry import Point, shape
from shapely.prepared import PreparedGeometry, prep
from sqlalchemy import select
from sqlalchemy.orm import Session

from czrm.errors import NotFound
from czrm.kit.business_time import BusinessCalendar
from czrm.org.models import Department, Holiday, Jurisdiction, Team

CACHE_SECONDS = 60.0


@dataclass(frozen=True)
class TeamArea:
    team_id: uuid.UUID
    area: PreparedGeometry


@dataclass(frozen=True)
class DepartmentRouting:
    default_team_id: uuid.UUID | None
    areas: tuple[TeamArea, ...]

    def team_for(self, lat: float | None, long: float | None) -> uuid.UUID | None:
        """The team whose area holds the point, else the department's default team."""
        if lat is not None and long is not None:
            point = Point(long, lat)
            for team_area in self.areas:
                if team_area.area.contains(point):
                    return team_area.team_id
        return self.default_team_id


class _TtlCache:
    """Calendars and team areas change rarely; a short cache saves queries per intake."""

    def __init__(self) -> None:
        self._data: dict[Any, tuple[float, Any]] = {}
        self._lock = Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            hit = self._data.get(key)
        if hit and monotonic() - hit[0] < CACHE_SECONDS:
            return hit[1]
        return None

    def put(self, key: Any, value: Any) -> None:
        with self._lock:
            self._data[key] = (monotonic(), value)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


_cache = _TtlCache()


def clear_cache() -> None:
    _cache.clear()


def get_jurisdiction(session: Session, jurisdiction_id: uuid.UUID) -> Jurisdiction:
    jurisdiction = session.get(Jurisdiction, jurisdiction_id)
    if jurisdiction is None:
        raise NotFound("jurisdiction", jurisdiction_id)
    return jurisdiction


def calendar_for(session: Session, jurisdiction_id: uuid.UUID) -> BusinessCalendar:
    key = ("calendar", jurisdiction_id)
    cached = _cache.get(key)
    if cached is not None:
        return cached
    jurisdiction = get_jurisdiction(session, jurisdiction_id)
    days = session.scalars(select(Holiday.day).where(Holiday.jurisdiction_id == jurisdiction_id))
    calendar = BusinessCalendar.from_config(
        jurisdiction.timezone, jurisdiction.working_hours, list(days)
    )
    _cache.put(key, calendar)
    return calendar


def routing_for(session: Session, department_id: uuid.UUID) -> DepartmentRouting:
    key = ("routing", department_id)
    cached = _cache.get(key)
    if cached is not None:
        return cached
    teams = session.scalars(
        select(Team).where(Team.department_id == department_id).order_by(Team.code)
    ).all()
    default = next((t.id for t in teams if t.is_default), teams[0].id if teams else None)
    areas = tuple(TeamArea(t.id, prep(shape(t.area))) for t in teams if t.area)
    routing = DepartmentRouting(default_team_id=default, areas=areas)
    _cache.put(key, routing)
    return routing


def get_department(session: Session, jurisdiction_id: uuid.UUID, ident: str) -> Department:
    """By id or code, within the jurisdiction."""
    stmt = select(Department).where(Department.jurisdiction_id == jurisdiction_id)
    try:
        stmt = stmt.where(Department.id == uuid.UUID(ident))
    except ValueError:
        stmt = stmt.where(Department.code == ident)
    department = session.scalars(stmt).first()
    if department is None:
        raise NotFound("department", ident)
    return department


def get_team(session: Session, jurisdiction_id: uuid.UUID, team_id: uuid.UUID) -> Team:
    team = session.get(Team, team_id)
    if team is None or team.jurisdiction_id != jurisdiction_id:
        raise NotFound("team", team_id)
    return team
