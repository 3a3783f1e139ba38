"""Build the synthetic council: deterministic per seed, realistic enough to demo,
test and benchmark against.

``seed_council`` writes the organisation through the ORM and only flushes (the
caller commits). ``seed_population`` bulk-loads people and cases (COPY on
PostgreSQL, Core executemany elsewhere) and commits every batch, so the
council must be committed first. Everything random comes from
``random.Random(seed)``: the same seed and ``now`` give the same rows, ids
and UUIDs (password hashes aside, which argon2 salts).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from czrm.auth.models import StaffDepartment, StaffUser
from czrm.catalogue.models import Service
from czrm.errors import CzrmError
from czrm.kit.time import utc_now
from czrm.org.models import Department, Holiday, Jurisdiction, Team, Ward
from czrm.seed import catalogue_data as data
from czrm.seed import catalogue_translations as translated
from czrm.seed.names import NAME_POOLS, ascii_slug
from czrm.seed.population import PopulationSummary, load_population


class SeedError(CzrmError):
    def __init__(self, message: str) -> None:
        super().__init__(message=message, status=409, code="seed_conflict")


@dataclass(frozen=True)
class SeedSummary:
    jurisdiction_id: uuid.UUID
    departments: int
    teams: int
    wards: int
    services: int
    holidays: int
    staff: int


def _uuid_factory(rng: random.Random) -> Callable[[], uuid.UUID]:
    return lambda: uuid.UUID(int=rng.getrandbits(128), version=4)


def seed_council(session: Session, *, seed: int = 1, now: datetime | None = None) -> SeedSummary:
    """Create Northmere City Council: calendar, organisation, wards, catalogue
    and staff, with the fixed demo logins. Flushes; the caller commits."""
    existing = session.scalar(select(Jurisdiction.id).where(Jurisdiction.slug == data.SLUG))
    if existing is not None:
        raise SeedError(f"jurisdiction {data.SLUG!r} already exists ({existing}); not seeding")
    rng = random.Random(seed)
    new_id = _uuid_factory(rng)
    stamp = now or utc_now()

    jurisdiction = Jurisdiction(
        id=new_id(),
        slug=data.SLUG,
        name=data.NAME,
        timezone=data.TIMEZONE,
        working_hours=data.WORKING_HOURS,
        contact_email=data.CONTACT_EMAIL,
        contact_phone=data.CONTACT_PHONE,
        created_at=stamp,
        updated_at=stamp,
    )
    session.add(jurisdiction)
    session.flush()
    jid = jurisdiction.id

    session.add_all(
        Holiday(id=new_id(), jurisdiction_id=jid, day=day, name=name)
        for day, name in data.BANK_HOLIDAYS
    )
    departments: dict[str, Department] = {}
    for spec in data.DEPARTMENTS:
        departments[spec.code] = Department(
            id=new_id(),
            jurisdiction_id=jid,
            code=spec.code,
            name=spec.name,
            email=spec.email,
            created_at=stamp,
            updated_at=stamp,
        )
    session.add_all(departments.values())
    # No relationships are mapped, so the flush cannot order inserts by foreign
    # key: each level is flushed before the rows that refer to it.
    session.flush()
    session.add_all(
        Ward(id=new_id(), jurisdiction_id=jid, code=w.code, name=w.name, area=w.area)
        for w in data.WARDS
    )
    session.add_all(
        Service(
            id=new_id(),
            jurisdiction_id=jid,
            code=s.code,
            name=s.name,
            description=s.description,
            group=s.group,
            keywords=list(s.keywords),
            attributes=[translated.question(a) for a in s.attributes],
            translations=translated.service(s.code, s.name, s.description, s.group),
            department_id=departments[s.department].id,
            sla_hours=s.sla_hours,
            active=True,
            allow_anonymous=s.allow_anonymous,
            created_at=stamp,
            updated_at=stamp,
        )
        for s in data.SERVICES
    )
    session.flush()

    staff = _seed_staff(session, rng, new_id, jid, departments, stamp)
    managed = departments[data.MANAGED_DEPARTMENT].id
    manager_id = next(u.id for u in staff if u.username == "manager")
    teams = [
        Team(
            id=new_id(),
            jurisdiction_id=jid,
            department_id=departments[dept.code].id,
            code=t.code,
            name=t.name,
            is_default=t.is_default,
            manager_id=manager_id if departments[dept.code].id == managed else None,
            created_at=stamp,
            updated_at=stamp,
            # Left unset rather than None: the JSON type would store None as a
            # JSON 'null', and "area IS NULL" would not find the team.
            **({"area": data.AREAS[t.area]} if t.area else {}),
        )
        for dept in data.DEPARTMENTS
        for t in dept.teams
    ]
    session.add_all(teams)
    session.flush()
    return SeedSummary(
        jurisdiction_id=jid,
        departments=len(departments),
        teams=len(teams),
        wards=len(data.WARDS),
        services=len(data.SERVICES),
        holidays=len(data.BANK_HOLIDAYS),
        staff=len(staff),
    )


def _seed_staff(
    session: Session,
    rng: random.Random,
    new_id: Callable[[], uuid.UUID],
    jid: uuid.UUID,
    departments: dict[str, Department],
    stamp: datetime,
) -> list[StaffUser]:
    # One argon2id hash shared by every seeded login: hashing is deliberately slow.
    password_hash = PasswordHasher().hash(data.DEMO_PASSWORD)
    users: list[StaffUser] = []
    memberships: list[StaffDepartment] = []

    def add(username: str, display: str, roles: list[str], dept: str | None) -> None:
        user = StaffUser(
            id=new_id(),
            jurisdiction_id=jid,
            username=username,
            display_name=display,
            email=f"{username}@{data.STAFF_EMAIL_DOMAIN}",
            password_hash=password_hash,
            roles=roles,
            is_active=True,
            created_at=stamp,
            updated_at=stamp,
        )
        users.append(user)
        if dept is not None:
            memberships.append(
                StaffDepartment(staff_id=user.id, department_id=departments[dept].id)
            )

    for login in data.FIXED_LOGINS:
        add(login.username, login.display_name, list(login.roles), login.department)
    given, family = NAME_POOLS["en"]
    taken = {u.username for u in users}
    for dept in data.DEPARTMENTS:
        role = "agent" if dept.code == "CUSTOMER" else "caseworker"
        for _ in range(data.EXTRA_STAFF_PER_DEPARTMENT):
            display = f"{rng.choice(given)} {rng.choice(family)}"
            username = base = ascii_slug(display)
            n = 2
            while username in taken:
                username, n = f"{base}{n}", n + 1
            taken.add(username)
            add(username, display, [role], dept.code)
    session.add_all(users)
    session.flush()
    session.add_all(memberships)
    session.flush()
    return users


def seed_population(
    session_or_engine: Session | Engine,
    jurisdiction_id: uuid.UUID,
    *,
    people: int,
    cases: int,
    seed: int,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = 5_000,
) -> PopulationSummary:
    """Bulk-load ``people`` persons (with contact points) and ``cases`` cases
    (with timelines) spread over the two years before ``now``.

    Commits once per batch. Given a session, it must not hold uncommitted
    work it wants to keep separate; given an engine, a session is opened.
    """
    if isinstance(session_or_engine, Engine):
        with Session(session_or_engine) as session:
            return load_population(
                session,
                jurisdiction_id,
                people=people,
                cases=cases,
                seed=seed,
                now=now or utc_now(),
                progress=progress,
                batch_size=batch_size,
            )
    return load_population(
        session_or_engine,
        jurisdiction_id,
        people=people,
        cases=cases,
        seed=seed,
        now=now or utc_now(),
        progress=progress,
        batch_size=batch_size,
    )
