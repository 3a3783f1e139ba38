"""A jurisdiction's organisation, catalogue and streets, loaded once for bulk seeding."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import shapely
from shapely.geometry import Point, shape
from sqlalchemy import select
from sqlalchemy.orm import Session

from czrm.auth.models import StaffDepartment, StaffUser
from czrm.catalogue.models import Service
from czrm.errors import NotFound
from czrm.org.models import Department, Holiday, Jurisdiction, Team, Ward
from czrm.seed import catalogue_data as data
from czrm.seed.clock import BusinessClock
from czrm.seed.names import POSTCODE_UNIT_LETTERS, STREET_ROOTS, STREET_SUFFIXES
from czrm.seed.texts import DESCRIPTIONS

STREETS_PER_WARD = 45
# A street's point keeps this far (in degrees) inside its ward, and reported
# points stay within the jitter box of their street, so they never leave it.
WARD_INSET = 0.0025
JITTER_LAT = 0.0008
JITTER_LONG = 0.0012
# Departments whose work ends in an answer rather than a repair: "closed", not "fixed".
ANSWERING_DEPARTMENTS = frozenset({"REVENUES", "LIBRARIES", "CUSTOMER"})


@dataclass(frozen=True)
class ServiceInfo:
    id: uuid.UUID
    code: str
    department_id: uuid.UUID
    department_code: str
    sla_hours: int
    allow_anonymous: bool
    attributes: list[dict[str, Any]]
    location: str
    weight: float
    seasonal: dict[int, float]
    hints: dict[str, tuple[Any, ...]]
    templates: tuple[str, ...]

    @property
    def fixable(self) -> bool:
        return self.location != "none" and self.department_code not in ANSWERING_DEPARTMENTS


@dataclass(frozen=True)
class TeamInfo:
    id: uuid.UUID
    department_id: uuid.UUID
    name: str
    is_default: bool
    area: Any  # a prepared shapely geometry, or None
    manager_id: uuid.UUID | None


@dataclass(frozen=True)
class StaffInfo:
    id: uuid.UUID
    display_name: str


@dataclass(frozen=True)
class Street:
    index: int
    name: str
    ward_code: str
    long: float
    lat: float
    postcodes: tuple[str, ...]


@dataclass
class World:
    jurisdiction_id: uuid.UUID
    town: str
    clock: BusinessClock
    services: list[ServiceInfo]
    teams: dict[uuid.UUID, TeamInfo]
    default_team: dict[uuid.UUID, TeamInfo | None]
    area_teams: dict[uuid.UUID, list[TeamInfo]]
    caseworkers: dict[uuid.UUID, list[StaffInfo]]
    agents: list[StaffInfo]
    streets: list[Street]
    department_codes: dict[uuid.UUID, str] = field(default_factory=dict)


def town_name(council: str) -> str:
    for suffix in (" City Council", " District Council", " Borough Council", " Council"):
        if council.endswith(suffix):
            return council[: -len(suffix)]
    return council


def load_world(
    session: Session, jurisdiction_id: uuid.UUID, first_day: date, last_day: date
) -> World:
    jurisdiction = session.get(Jurisdiction, jurisdiction_id)
    if jurisdiction is None:
        raise NotFound("jurisdiction", jurisdiction_id)
    holidays = session.scalars(
        select(Holiday.day).where(Holiday.jurisdiction_id == jurisdiction_id)
    ).all()
    clock = BusinessClock(
        jurisdiction.timezone, jurisdiction.working_hours, holidays, first_day, last_day
    )
    departments = {
        d.id: d.code
        for d in session.scalars(
            select(Department).where(Department.jurisdiction_id == jurisdiction_id)
        )
    }
    services = _load_services(session, jurisdiction_id, departments)
    teams, defaults, area_teams = _load_teams(session, jurisdiction_id, departments)
    caseworkers, agents = _load_staff(session, jurisdiction_id, departments)
    wards = session.scalars(
        select(Ward).where(Ward.jurisdiction_id == jurisdiction_id).order_by(Ward.code)
    ).all()
    if not wards:
        raise NotFound("wards of jurisdiction", jurisdiction_id)
    streets = build_streets(jurisdiction.slug, [(w.code, w.area) for w in wards])
    return World(
        jurisdiction_id=jurisdiction_id,
        town=town_name(jurisdiction.name),
        clock=clock,
        services=services,
        teams=teams,
        default_team=defaults,
        area_teams=area_teams,
        caseworkers=caseworkers,
        agents=agents,
        streets=streets,
        department_codes=departments,
    )


def _load_services(
    session: Session, jurisdiction_id: uuid.UUID, departments: dict[uuid.UUID, str]
) -> list[ServiceInfo]:
    specs = {s.code: s for s in data.SERVICES}
    rows = session.scalars(
        select(Service)
        .where(Service.jurisdiction_id == jurisdiction_id, Service.active.is_(True))
        .order_by(Service.code)
    ).all()
    if not rows:
        raise NotFound("active services of jurisdiction", jurisdiction_id)
    services = []
    for row in rows:
        spec = specs.get(row.code)
        services.append(
            ServiceInfo(
                id=row.id,
                code=row.code,
                department_id=row.department_id,
                department_code=departments[row.department_id],
                sla_hours=row.sla_hours,
                allow_anonymous=row.allow_anonymous,
                attributes=list(row.attributes or []),
                location=spec.location if spec else "point",
                weight=spec.weight if spec else 1.0,
                seasonal=dict(spec.seasonal) if spec else {},
                hints=dict(spec.hints) if spec else {},
                templates=DESCRIPTIONS.get(row.code, ("{street}: " + row.name + ".",)),
            )
        )
    return services


def _load_teams(
    session: Session, jurisdiction_id: uuid.UUID, departments: dict[uuid.UUID, str]
) -> tuple[
    dict[uuid.UUID, TeamInfo], dict[uuid.UUID, TeamInfo | None], dict[uuid.UUID, list[TeamInfo]]
]:
    teams: dict[uuid.UUID, TeamInfo] = {}
    for row in session.scalars(
        select(Team).where(Team.jurisdiction_id == jurisdiction_id).order_by(Team.code)
    ):
        area = None
        if row.area:
            area = shape(row.area)
            shapely.prepare(area)
        teams[row.id] = TeamInfo(
            row.id, row.department_id, row.name, row.is_default, area, row.manager_id
        )
    defaults: dict[uuid.UUID, TeamInfo | None] = {}
    area_teams: dict[uuid.UUID, list[TeamInfo]] = {}
    for dept_id in departments:
        own = [t for t in teams.values() if t.department_id == dept_id]
        defaults[dept_id] = next((t for t in own if t.is_default), own[0] if own else None)
        area_teams[dept_id] = [t for t in own if t.area is not None]
    return teams, defaults, area_teams


def _load_staff(
    session: Session, jurisdiction_id: uuid.UUID, departments: dict[uuid.UUID, str]
) -> tuple[dict[uuid.UUID, list[StaffInfo]], list[StaffInfo]]:
    users = session.scalars(
        select(StaffUser)
        .where(StaffUser.jurisdiction_id == jurisdiction_id, StaffUser.is_active.is_(True))
        .order_by(StaffUser.username)
    ).all()
    by_id = {u.id: u for u in users}
    members: dict[uuid.UUID, list[StaffUser]] = {d: [] for d in departments}
    for staff_id, dept_id in session.execute(
        select(StaffDepartment.staff_id, StaffDepartment.department_id)
    ):
        if staff_id in by_id and dept_id in members:
            members[dept_id].append(by_id[staff_id])
    caseworkers: dict[uuid.UUID, list[StaffInfo]] = {}
    for dept_id, staff in members.items():
        staff.sort(key=lambda u: u.username)
        workers = [u for u in staff if "caseworker" in u.roles] or staff
        caseworkers[dept_id] = [StaffInfo(u.id, u.display_name) for u in workers]
    agents = [StaffInfo(u.id, u.display_name) for u in users if "agent" in u.roles]
    return caseworkers, agents


def build_streets(slug: str, wards: list[tuple[str, dict[str, Any]]]) -> list[Street]:
    """The town's streets: the same for every seed, so every data set shares a map."""
    rng = random.Random(f"streets:{slug}")
    names = [f"{root} {suffix}" for root in STREET_ROOTS for suffix in STREET_SUFFIXES]
    rng.shuffle(names)
    districts = {w.code: w.postcode_district for w in data.WARDS}
    streets: list[Street] = []
    for ward_index, (code, area) in enumerate(wards):
        inner = shape(area).buffer(-WARD_INSET)
        if inner.is_empty:
            raise ValueError(f"ward {code} is too small to place streets in")
        min_x, min_y, max_x, max_y = inner.bounds
        district = districts.get(code, f"NM{ward_index + 1}")
        for _ in range(STREETS_PER_WARD):
            while True:
                x, y = rng.uniform(min_x, max_x), rng.uniform(min_y, max_y)
                if inner.contains(Point(x, y)):
                    break
            postcodes = tuple(
                f"{district} {rng.randint(1, 9)}"
                f"{rng.choice(POSTCODE_UNIT_LETTERS)}{rng.choice(POSTCODE_UNIT_LETTERS)}"
                for _ in range(2)
            )
            index = len(streets)
            streets.append(Street(index, names[index], code, round(x, 6), round(y, 6), postcodes))
    return streets


def calendar_span(now: datetime, years_back: int = 2) -> tuple[date, date]:
    """Days the business clock must cover: the seeding window plus slow cases' tails."""
    today = now.date()
    return today - timedelta(days=365 * years_back + 10), today + timedelta(days=3 * 365)
