from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher
from shapely.geometry import Point, shape
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from czrm.auth.models import StaffDepartment, StaffUser
from czrm.cases import workflow
from czrm.cases.models import Case, CaseEvent, CaseStatus
from czrm.catalogue.attributes import check_definitions
from czrm.catalogue.localise import check_service_translations
from czrm.catalogue.models import Service
from czrm.kit.business_time import BusinessCalendar, due_at
from czrm.org.models import Department, Holiday, Jurisdiction, Team, Ward
from czrm.people.models import ContactPoint, Party, Person
from czrm.seed.bulk import BatchWriter
from czrm.seed.casegen import CLOSED_STATUSES
from czrm.seed.generate import SeedError, SeedSummary, seed_council, seed_population
from czrm.seed.population import PopulationSummary

MakeEngine = Callable[[], Engine]
NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
PEOPLE, CASES = 200, 500
DATATYPES = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}
ATTRIBUTE_KEYS = {
    "code",
    "datatype",
    "required",
    "variable",
    "order",
    "description",
    "datatype_description",
    "values",
    "translations",
}


@dataclass
class Seeded:
    engine: Engine
    council: SeedSummary
    population: PopulationSummary
    progress: list[tuple[int, int]]


def build(make_engine: MakeEngine, seed: int, people: int = PEOPLE, cases: int = CASES) -> Seeded:
    engine = make_engine()
    with Session(engine) as session:
        council = seed_council(session, seed=seed, now=NOW)
        session.commit()
    calls: list[tuple[int, int]] = []
    population = seed_population(
        engine,
        council.jurisdiction_id,
        people=people,
        cases=cases,
        seed=seed,
        now=NOW,
        progress=lambda done, total: calls.append((done, total)),
        batch_size=150,
    )
    return Seeded(engine, council, population, calls)


@pytest.fixture(scope="module")
def seeded(make_engine: MakeEngine) -> Seeded:
    return build(make_engine, seed=1)


@pytest.fixture
def session(seeded: Seeded) -> Iterator[Session]:
    with Session(seeded.engine) as s:
        yield s


def first_cases(engine: Engine, n: int = 20) -> list[dict[str, Any]]:
    with Session(engine) as s:
        rows = s.execute(select(Case.__table__).order_by(Case.id).limit(n)).mappings().all()
        return [dict(r) for r in rows]


# --- The council -------------------------------------------------------------


def test_council_summary_matches_the_database(seeded: Seeded, session: Session) -> None:
    jid = seeded.council.jurisdiction_id
    jurisdiction = session.get(Jurisdiction, jid)
    assert jurisdiction is not None
    assert (jurisdiction.slug, jurisdiction.name) == ("northmere", "Northmere City Council")
    assert jurisdiction.timezone == "Europe/London"
    assert jurisdiction.working_hours["mon"] == [["09:00", "17:00"]]
    assert "sat" not in jurisdiction.working_hours and "sun" not in jurisdiction.working_hours

    def count(model: Any) -> int:
        return session.scalar(
            select(func.count()).select_from(model).where(model.jurisdiction_id == jid)
        )

    assert count(Department) == seeded.council.departments == 9
    assert count(Team) == seeded.council.teams
    assert count(Ward) == seeded.council.wards == 6
    assert count(Service) == seeded.council.services
    assert count(Holiday) == seeded.council.holidays == 32
    assert count(StaffUser) == seeded.council.staff == 5 + 3 * 9


def test_bank_holidays_include_substitute_days(session: Session) -> None:
    days = set(session.scalars(select(Holiday.day)))
    assert datetime(2026, 12, 28).date() in days  # Boxing Day 2026 falls on a Saturday
    assert datetime(2027, 12, 27).date() in days
    assert datetime(2025, 4, 18).date() in days  # Good Friday
    assert all(d.weekday() < 5 for d in days)


def test_about_forty_services_in_open311_shape(session: Session) -> None:
    services = session.scalars(select(Service)).all()
    codes = {s.code for s in services}
    assert 38 <= len(services) <= 46
    assert {
        "POTHOLE",
        "MISSED_BIN",
        "FLY_TIPPING",
        "STREETLIGHT_OUT",
        "NOISE",
        "COUNCIL_TAX_QUERY",
        "HOUSING_REPAIR",
        "DAMP_MOULD",
        "GRAFFITI",
        "DOG_FOULING",
        "ABANDONED_VEHICLE",
        "BLOCKED_DRAIN",
        "OVERGROWN_VEGETATION",
        "BULKY_WASTE",
    } <= codes
    with_attributes = sum(1 for s in services if s.attributes)
    assert 0.35 <= with_attributes / len(services) <= 0.65
    for s in services:
        assert s.name and s.description and s.group and s.keywords
        assert 4 <= s.sla_hours <= 120
    urgent = {s.code for s in services if s.sla_hours <= 8}
    assert {"TRAFFIC_SIGNAL_FAULT", "EMERGENCY_REPAIR", "DANGEROUS_TREE"} <= urgent
    by_code = {s.code: s for s in services}
    for code in ("COUNCIL_TAX_QUERY", "HOUSING_REPAIR", "DAMP_MOULD", "COMPLAINT"):
        assert by_code[code].allow_anonymous is False
    assert by_code["POTHOLE"].allow_anonymous is True


def test_attribute_definitions_are_well_formed(session: Session) -> None:
    seen_datatypes = set()
    for service in session.scalars(select(Service)):
        attributes = service.attributes
        orders = [a["order"] for a in attributes]
        assert orders == list(range(1, len(attributes) + 1)), service.code
        assert len({a["code"] for a in attributes}) == len(attributes), service.code
        for a in attributes:
            assert set(a) == ATTRIBUTE_KEYS, (service.code, a["code"])
            assert a["datatype"] in DATATYPES
            assert isinstance(a["required"], bool) and a["variable"] is True
            assert a["description"]
            assert a["datatype_description"] is None or isinstance(a["datatype_description"], str)
            seen_datatypes.add(a["datatype"])
            # Every question, hint and choice reads in Welsh and Arabic too.
            for lang in ("cy", "ar"):
                assert a["translations"][lang]["description"], (service.code, a["code"], lang)
                if a["datatype_description"]:
                    assert a["translations"][lang]["datatype_description"]
                assert all(v["translations"][lang] for v in a["values"])
            if a["datatype"] in ("singlevaluelist", "multivaluelist"):
                keys = [v["key"] for v in a["values"]]
                assert len(keys) >= 2 and len(set(keys)) == len(keys), (service.code, a["code"])
                assert all(v["name"] for v in a["values"])
            else:
                assert a["values"] == []
    assert seen_datatypes == DATATYPES


def test_every_service_reads_in_welsh_and_arabic(session: Session) -> None:
    """Names, descriptions, groups and keywords, all different from the English
    (apart from a loanword), and as the catalogue's own checks would keep them."""
    services = list(session.scalars(select(Service)))
    assert services
    for service in services:
        cleaned, errors = check_service_translations(service.translations)
        assert errors == [] and cleaned == service.translations, service.code
        assert check_definitions(service.attributes) == service.attributes, service.code
        for lang in ("cy", "ar"):
            words = service.translations[lang]
            assert set(words) == {"name", "description", "group", "keywords"}, service.code
            assert words["description"] != service.description, (service.code, lang)
            assert words["keywords"] and words["keywords"] != service.keywords
    by_code = {s.code: s for s in services}
    assert by_code["POTHOLE"].translations["cy"]["name"] == "Twll yn y ffordd"
    assert by_code["POTHOLE"].translations["ar"]["name"] == "حفرة في الطريق"
    arabic = [s.translations["ar"]["name"] for s in services]
    assert all(any("\u0600" <= ch <= "\u06ff" for ch in name) for name in arabic)


def test_each_department_has_exactly_one_default_team(session: Session) -> None:
    defaults = Counter(
        dept
        for dept, is_default in session.execute(select(Team.department_id, Team.is_default))
        if is_default
    )
    departments = set(session.scalars(select(Department.id)))
    assert set(defaults) == departments
    assert set(defaults.values()) == {1}
    per_department = Counter(session.scalars(select(Team.department_id)))
    assert all(2 <= n <= 3 for n in per_department.values())


def test_wards_tile_the_city_and_area_teams_split_it(session: Session) -> None:
    wards = [shape(w.area) for w in session.scalars(select(Ward))]
    city = wards[0]
    for ward in wards[1:]:
        assert city.intersection(ward).area == pytest.approx(0, abs=1e-12)
        city = city.union(ward)
    assert city.area == pytest.approx(0.06 * 0.10, rel=1e-9)
    assert city.bounds == pytest.approx((-1.56, 52.40, -1.46, 52.46))
    area_teams = session.execute(
        select(Department.code, Team.code, Team.area)
        .join(Department, Team.department_id == Department.id)
        .where(Team.area.is_not(None))
    ).all()
    assert {dept for dept, _, _ in area_teams} == {"HIGHWAYS", "WASTE"}
    for dept in ("HIGHWAYS", "WASTE"):
        halves = [shape(area) for d, _, area in area_teams if d == dept]
        assert len(halves) == 2
        assert halves[0].intersection(halves[1]).area == pytest.approx(0, abs=1e-12)
        assert halves[0].union(halves[1]).area == pytest.approx(city.area, rel=1e-9)
    area_codes = {code for _, code, _ in area_teams}
    defaults = set(session.scalars(select(Team.code).where(Team.is_default)))
    assert not area_codes & defaults


def test_fixed_demo_logins(seeded: Seeded, session: Session) -> None:
    users = {u.username: u for u in session.scalars(select(StaffUser))}
    expected = {
        "admin": ["admin"],
        "agent": ["agent"],
        "caseworker": ["caseworker"],
        "manager": ["manager"],
        "dpo": ["dpo"],
    }
    hasher = PasswordHasher()
    for username, roles in expected.items():
        user = users[username]
        assert user.roles == roles and user.is_active
        assert user.password_hash is not None and user.password_hash.startswith("$argon2id$")
        assert hasher.verify(user.password_hash, "demo-password-1")
    with pytest.raises(Exception, match="does not match"):
        hasher.verify(users["admin"].password_hash or "", "wrong-password")

    membership = defaultdict(set)
    for staff_id, code in session.execute(
        select(StaffDepartment.staff_id, Department.code).join(
            Department, StaffDepartment.department_id == Department.id
        )
    ):
        membership[staff_id].add(code)
    assert membership[users["agent"].id] == {"CUSTOMER"}
    assert membership[users["caseworker"].id] == {"HIGHWAYS"}
    assert membership[users["manager"].id] == {"HIGHWAYS"}
    assert users["admin"].id not in membership and users["dpo"].id not in membership

    highways_teams = session.scalars(
        select(Team)
        .join(Department, Team.department_id == Department.id)
        .where(Department.code == "HIGHWAYS")
    ).all()
    assert {t.manager_id for t in highways_teams} == {users["manager"].id}
    others = session.scalars(
        select(Team.manager_id).where(Team.id.not_in([t.id for t in highways_teams]))
    )
    assert set(others) == {None}
    # Three more staff per department, all with the demo password.
    per_department = Counter(code for codes in membership.values() for code in codes)
    assert per_department["HIGHWAYS"] == 3 + 2 and per_department["CUSTOMER"] == 3 + 1
    assert all(per_department[d] == 3 for d in ("WASTE", "HOUSING", "PARKS", "LIBRARIES"))
    hashes = {u.password_hash for u in users.values()}
    assert len(hashes) == 1


def test_seeding_the_council_twice_is_refused(seeded: Seeded) -> None:
    with Session(seeded.engine) as s, pytest.raises(SeedError, match="already exists"):
        seed_council(s, seed=1)


# --- The population ----------------------------------------------------------


def test_population_counts(seeded: Seeded, session: Session) -> None:
    summary = seeded.population
    assert (summary.persons, summary.cases) == (PEOPLE, CASES)
    assert session.scalar(select(func.count()).select_from(Person)) == PEOPLE
    kinds = set(session.scalars(select(Party.kind)))
    assert kinds == {"person"}
    assert session.scalar(select(func.count()).select_from(ContactPoint)) == summary.contact_points
    assert session.scalar(select(func.count()).select_from(Case)) == CASES
    assert session.scalar(select(func.count()).select_from(CaseEvent)) == summary.case_events
    assert summary.case_events > 4 * CASES
    assert (summary.first_case_id, summary.last_case_id) == (1, CASES)
    # Progress is reported as batches commit, ending at the total.
    assert seeded.progress[-1] == (PEOPLE + CASES, PEOPLE + CASES)
    done = [d for d, _ in seeded.progress]
    assert done == sorted(done) and len(done) >= 2


def test_persons_are_plausible(session: Session) -> None:
    persons = session.execute(
        select(
            Person.id,
            Person.display_name,
            Person.given_name,
            Person.family_name,
            Person.date_of_birth,
            Person.preferred_language,
        )
    ).all()
    contacts = defaultdict(list)
    for c in session.execute(
        select(ContactPoint.party_id, ContactPoint.kind, ContactPoint.value, ContactPoint.preferred)
    ):
        contacts[c.party_id].append(c)
    languages = Counter(p.preferred_language for p in persons)
    assert languages.most_common(1)[0][0] == "en"
    assert set(languages) <= {"en", "cy", "pl", "ur", "ar"}
    for p in persons:
        assert p.given_name and p.family_name
        assert p.display_name == f"{p.given_name} {p.family_name}"
        if p.date_of_birth is not None:
            assert 17 <= (NOW.date() - p.date_of_birth).days // 365 <= 97
        mine = contacts[p.id]
        assert 1 <= len(mine) <= 2
        assert sum(c.preferred for c in mine) == 1
        for c in mine:
            if c.kind == "email":
                assert c.value == c.value.lower() and "@example." in c.value
            else:
                assert c.kind == "phone" and c.value[0] == "0"


def test_same_seed_same_cases(seeded: Seeded, make_engine: MakeEngine) -> None:
    again = build(make_engine, seed=1)
    assert again.council.jurisdiction_id == seeded.council.jurisdiction_id
    assert first_cases(again.engine) == first_cases(seeded.engine)


def test_different_seed_different_cases(seeded: Seeded, make_engine: MakeEngine) -> None:
    other = build(make_engine, seed=2)
    theirs, ours = first_cases(other.engine), first_cases(seeded.engine)
    assert other.council.jurisdiction_id != seeded.council.jurisdiction_id
    for field in ("opened_at", "description", "lat", "requester_id"):
        assert [r[field] for r in theirs] != [r[field] for r in ours]


def load_cases(session: Session) -> tuple[list[Case], dict[int, list[CaseEvent]]]:
    cases = session.scalars(select(Case).order_by(Case.id)).all()
    events: dict[int, list[CaseEvent]] = defaultdict(list)
    for e in session.scalars(select(CaseEvent).order_by(CaseEvent.id)):
        events[e.case_id].append(e)
    return list(cases), events


def test_status_and_times_are_consistent(session: Session) -> None:
    cases, events = load_cases(session)
    assert [c.opened_at for c in cases] == sorted(c.opened_at for c in cases)
    for case in cases:
        assert NOW - timedelta(days=731) <= case.opened_at <= NOW
        assert case.opened_at <= case.updated_at <= NOW
        assert case.due_at is not None and case.due_at > case.opened_at
        if case.status in CLOSED_STATUSES:
            assert case.closed_at is not None
            assert case.opened_at <= case.closed_at <= case.updated_at
        else:
            assert case.closed_at is None
        if case.status == "waiting_on_citizen":
            assert case.paused_since is not None
        else:
            assert case.paused_since is None
        end = case.closed_at or NOW
        if case.breached_at is not None:
            assert case.opened_at < case.breached_at < end
            if case.paused_minutes == 0:
                assert case.breached_at == case.due_at
        elif case.paused_since is None:
            assert case.due_at >= end


def test_due_times_agree_with_the_business_calendar(seeded: Seeded, session: Session) -> None:
    jurisdiction = session.get(Jurisdiction, seeded.council.jurisdiction_id)
    assert jurisdiction is not None
    calendar = BusinessCalendar.from_config(
        jurisdiction.timezone,
        jurisdiction.working_hours,
        session.scalars(select(Holiday.day)).all(),
    )
    sla = dict(session.execute(select(Service.id, Service.sla_hours)).all())
    cases = session.scalars(select(Case)).all()
    assert any(c.paused_minutes for c in cases)
    for case in cases:
        expected = due_at(calendar, case.opened_at, sla[case.service_id], case.paused_minutes)
        assert case.due_at is not None
        assert abs((case.due_at - expected).total_seconds()) < 1, case.id


def test_breaches_are_marked_and_escalated_like_the_case_service(session: Session) -> None:
    managers = dict(session.execute(select(Team.id, Team.manager_id)).all())
    cases, events = load_cases(session)
    breached = [c for c in cases if c.breached_at is not None]
    assert breached
    for case in cases:
        timeline = events[case.id]
        escalations = [e for e in timeline if e.type == "escalated"]
        manager = managers.get(case.team_id)
        if case.breached_at is not None and manager is not None:
            assert case.escalated_to_id == manager
            assert [e.data["manager_id"] for e in escalations] == [str(manager)]
            assert escalations[0].occurred_at == case.breached_at
        else:
            assert case.escalated_to_id is None and not escalations
    assert any(c.escalated_to_id for c in breached)


def test_timelines_are_ordered_and_end_at_the_status(session: Session) -> None:
    cases, events = load_cases(session)
    for case in cases:
        timeline = events[case.id]
        times = [e.occurred_at for e in timeline]
        assert times == sorted(times)
        assert timeline[0].type == "case_opened" and timeline[0].occurred_at == case.opened_at
        assert timeline[0].to_status == "new"
        assert timeline[-1].occurred_at == case.updated_at
        changes = [e for e in timeline if e.type == "status_changed"]
        previous = "new"
        for change in changes:
            assert change.from_status == previous
            assert CaseStatus(change.to_status) in workflow.TRANSITIONS[CaseStatus(previous)]
            previous = change.to_status
        assert previous == case.status
        with_status = [e for e in timeline if e.to_status is not None]
        assert with_status[-1].to_status == case.status
        if case.closed_at is not None:
            assert changes[-1].occurred_at == case.closed_at
        breaches = [e for e in timeline if e.type == "sla_breached"]
        assert len(breaches) == (1 if case.breached_at is not None else 0)
        if breaches:
            assert breaches[0].occurred_at == case.breached_at
        for e in timeline:
            if e.type in ("public_update", "internal_note"):
                assert e.body
            assert e.public == (e.type in ("case_opened", "status_changed", "public_update"))


def test_a_realistic_mix(session: Session) -> None:
    cases, events = load_cases(session)
    channels = Counter(c.channel for c in cases)
    assert channels.most_common(1)[0][0] == "web"
    assert set(channels) <= {"web", "phone", "app", "open311", "email", "walk_in"}
    assert 0.35 <= channels["web"] / CASES <= 0.55
    old = [c for c in cases if c.opened_at < NOW - timedelta(days=120)]
    assert sum(c.status in CLOSED_STATUSES for c in old) / len(old) >= 0.9
    recent = [c for c in cases if c.opened_at > NOW - timedelta(days=10)]
    if recent:
        assert sum(c.status not in CLOSED_STATUSES for c in recent) / len(recent) >= 0.3
    kinds = Counter(e.type for timeline in events.values() for e in timeline)
    assert kinds["public_update"] > 0 and kinds["internal_note"] > 0
    assert kinds["case_opened"] == CASES
    services = {s.id: s.code for s in session.scalars(select(Service))}
    top = {services[sid] for sid, _ in Counter(c.service_id for c in cases).most_common(5)}
    assert len(top & {"POTHOLE", "MISSED_BIN", "FLY_TIPPING"}) >= 2
    assigned = [c for c in cases if c.assignee_id is not None]
    assert len(assigned) > CASES / 2
    agents = {u.id for u in session.scalars(select(StaffUser)) if "agent" in u.roles}
    for c in cases:
        if c.channel in ("phone", "walk_in", "email"):
            assert c.created_by_id in agents
        else:
            assert c.created_by_id is None
        assert c.open311_token is None  # realtime services only


def test_anonymous_only_where_allowed(session: Session) -> None:
    allow = {s.id: s.allow_anonymous for s in session.scalars(select(Service))}
    persons = set(session.scalars(select(Person.id)))
    cases = session.scalars(select(Case)).all()
    assert any(c.requester_id is None for c in cases)
    for c in cases:
        if c.requester_id is None:
            assert allow[c.service_id]
        else:
            assert c.requester_id in persons


def test_attribute_answers_are_valid(session: Session) -> None:
    definitions = {
        s.id: {a["code"]: a for a in s.attributes} for s in session.scalars(select(Service))
    }
    answered = Counter()
    for case in session.scalars(select(Case)):
        attrs = definitions[case.service_id]
        assert set(case.attributes) <= set(attrs)
        for code, a in attrs.items():
            if a["required"]:
                assert code in case.attributes, (case.id, code)
        for code, value in case.attributes.items():
            a = attrs[code]
            keys = {v["key"] for v in a["values"]}
            answered[a["datatype"]] += 1
            if a["datatype"] == "singlevaluelist":
                assert value in keys
            elif a["datatype"] == "multivaluelist":
                assert isinstance(value, list) and value and set(value) <= keys
                assert len(set(value)) == len(value)
            elif a["datatype"] == "number":
                assert isinstance(value, int | float) and not isinstance(value, bool)
            elif a["datatype"] == "datetime":
                assert datetime.fromisoformat(value).tzinfo is not None
            else:
                assert isinstance(value, str) and value
    assert set(answered) == DATATYPES


def test_cases_are_routed_by_area(session: Session) -> None:
    teams = session.scalars(select(Team)).all()
    areas = {t.id: shape(t.area) for t in teams if t.area}
    by_department = defaultdict(list)
    for t in teams:
        by_department[t.department_id].append(t)
    service_department = dict(session.execute(select(Service.id, Service.department_id)).all())
    wards = [(w.name, shape(w.area)) for w in session.scalars(select(Ward))]
    routed_by_area = 0
    for case in session.scalars(select(Case)):
        department = service_department[case.service_id]
        assert case.department_id == department
        own = by_department[department]
        default = next(t for t in own if t.is_default)
        if case.lat is None:
            assert case.long is None and case.team_id == default.id
            continue
        point = Point(case.long, case.lat)
        assert sum(area.contains(point) for _, area in wards) == 1
        containing = [t for t in own if t.id in areas and areas[t.id].contains(point)]
        if containing:
            assert case.team_id == containing[0].id
            routed_by_area += 1
        else:
            assert case.team_id == default.id
        assert case.address and case.postcode and case.address.endswith(case.postcode)
    assert routed_by_area > 50


def test_a_later_run_continues_ids_and_reuses_people(make_engine: MakeEngine) -> None:
    first = build(make_engine, seed=3, people=30, cases=40)
    more = seed_population(
        first.engine, first.council.jurisdiction_id, people=0, cases=25, seed=4, now=NOW
    )
    assert (more.first_case_id, more.last_case_id) == (41, 65)
    with Session(first.engine) as s:
        assert s.scalar(select(func.count()).select_from(Person)) == 30
        assert s.scalar(select(func.count()).select_from(Case)) == 65
        # The application's own inserts carry on after the seeded ids.
        service = s.scalars(select(Service).where(Service.code == "POTHOLE")).one()
        case = Case(
            jurisdiction_id=first.council.jurisdiction_id,
            service_id=service.id,
            channel="web",
            department_id=service.department_id,
            opened_at=NOW,
            updated_at=NOW,
        )
        s.add(case)
        s.flush()
        s.add(CaseEvent(case_id=case.id, type="case_opened", occurred_at=NOW))
        s.flush()
        assert case.id == 66
        s.rollback()


def test_unknown_jurisdiction_is_refused(seeded: Seeded) -> None:
    with pytest.raises(Exception, match="not found"):
        seed_population(seeded.engine, uuid.uuid4(), people=1, cases=1, seed=1, now=NOW)


def test_a_failed_batch_surfaces_and_nothing_hangs(make_engine: MakeEngine) -> None:
    engine = make_engine()
    cases = Case.__table__
    bad = {c.name: None for c in cases.columns} | {
        "id": 1,
        "jurisdiction_id": uuid.uuid4(),  # no such jurisdiction
        "service_id": uuid.uuid4(),
        "department_id": uuid.uuid4(),
        "channel": "web",
        "description": "",
        "attributes": {},
        "media_urls": [],
        "status": "new",
        "priority": "normal",
        "paused_minutes": 0,
        "opened_at": NOW,
        "updated_at": NOW,
    }
    with Session(engine) as s, pytest.raises(IntegrityError):
        writer = BatchWriter(s, total=2)
        try:
            writer.write([(cases, [bad])], 1)
            writer.write([(cases, [bad | {"id": 2}])], 1)
        finally:
            writer.close()
    assert writer.committed == 0


def test_people_and_council_ids_never_coincide(session: Session) -> None:
    """The population's random stream is its own: no person shares an id with the council."""
    council_ids: set[uuid.UUID] = set()
    for model in (Jurisdiction, Department, Team, Service):
        council_ids |= set(session.scalars(select(model.id)))
    party_ids = set(session.scalars(select(Party.id)))
    assert party_ids and council_ids
    assert party_ids.isdisjoint(council_ids)
