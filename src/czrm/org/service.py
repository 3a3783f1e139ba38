"""Reading the organisation: calendars, teams and their areas."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.prepared import PreparedGeometry, prep
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from czrm.errors import NotFound
from czrm.kit.business_time import BusinessCalendar
from czrm.kit.cache import TtlCache
from czrm.org.models import Department, Holiday, Jurisdiction, Team, Ward

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


@dataclass(frozen=True)
class JurisdictionInfo:
    """What public pages and APIs need to know of a tenant, safe to cache."""

    id: uuid.UUID
    slug: str
    name: str
    timezone: str
    contact_email: str | None
    contact_phone: str | None


_cache = TtlCache(ttl=CACHE_SECONDS)


def forget_cached(session: Session) -> None:
    """After an administrator changes teams or areas: this process routes by the
    new areas at once; other processes within ``CACHE_SECONDS``. Cleared again
    after commit, since a request in between may have cached the old rows."""
    _cache.clear()
    event.listen(session, "after_commit", lambda _session: _cache.clear(), once=True)


def _load_jurisdictions(session: Session) -> tuple[JurisdictionInfo, ...]:
    rows = session.scalars(select(Jurisdiction).order_by(Jurisdiction.slug))
    return tuple(
        JurisdictionInfo(j.id, j.slug, j.name, j.timezone, j.contact_email, j.contact_phone)
        for j in rows
    )


def jurisdictions(session: Session) -> tuple[JurisdictionInfo, ...]:
    return _cache.get_or_load("jurisdictions", lambda: _load_jurisdictions(session))


def jurisdiction_info(session: Session, jurisdiction_id: uuid.UUID) -> JurisdictionInfo:
    """One jurisdiction's cached facts (name, time zone, contact details); one
    created since the cache was filled is read at once."""
    known = _cache.get_or_load(
        "jurisdictions",
        lambda: _load_jurisdictions(session),
        fresh_enough=lambda found: any(j.id == jurisdiction_id for j in found),
    )
    match = next((j for j in known if j.id == jurisdiction_id), None)
    if match is None:
        raise NotFound("jurisdiction", jurisdiction_id)
    return match


def get_jurisdiction(session: Session, jurisdiction_id: uuid.UUID) -> Jurisdiction:
    jurisdiction = session.get(Jurisdiction, jurisdiction_id)
    if jurisdiction is None:
        raise NotFound("jurisdiction", jurisdiction_id)
    return jurisdiction


def calendar_for(session: Session, jurisdiction_id: uuid.UUID) -> BusinessCalendar:
    def load() -> BusinessCalendar:
        jurisdiction = get_jurisdiction(session, jurisdiction_id)
        days = session.scalars(
            select(Holiday.day).where(Holiday.jurisdiction_id == jurisdiction_id)
        )
        return BusinessCalendar.from_config(
            jurisdiction.timezone, jurisdiction.working_hours, list(days)
        )

    return _cache.get_or_load(("calendar", jurisdiction_id), load)


def routing_for(session: Session, department_id: uuid.UUID) -> DepartmentRouting:
    def load() -> DepartmentRouting:
        teams = session.scalars(
            select(Team).where(Team.department_id == department_id).order_by(Team.code)
        ).all()
        default = next((t.id for t in teams if t.is_default), teams[0].id if teams else None)
        areas = tuple(TeamArea(t.id, prep(shape(t.area))) for t in teams if t.area)
        return DepartmentRouting(default_team_id=default, areas=areas)

    return _cache.get_or_load(("routing", department_id), load)


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


def departments(session: Session, jurisdiction_id: uuid.UUID) -> list[Department]:
    stmt = select(Department).where(Department.jurisdiction_id == jurisdiction_id)
    return list(session.scalars(stmt.order_by(Department.name)))


def get_team(session: Session, jurisdiction_id: uuid.UUID, team_id: uuid.UUID) -> Team:
    team = session.get(Team, team_id)
    if team is None or team.jurisdiction_id != jurisdiction_id:
        raise NotFound("team", team_id)
    return team


def ward_areas(session: Session, jurisdiction_id: uuid.UUID) -> dict[str, tuple[str, BaseGeometry]]:
    """Ward code -> (name, polygon) for the council's wards (cached)."""

    def load() -> dict[str, tuple[str, BaseGeometry]]:
        rows = session.scalars(select(Ward).where(Ward.jurisdiction_id == jurisdiction_id))
        return {w.code: (w.name, shape(w.area)) for w in rows}

    return _cache.get_or_load(("wards", jurisdiction_id), load)


def teams_of(session: Session, department_id: uuid.UUID) -> list[Team]:
    return list(
        session.scalars(select(Team).where(Team.department_id == department_id).order_by(Team.name))
    )
