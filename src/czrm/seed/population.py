"""Bulk loading of synthetic people and cases, one commit per batch (see ``bulk``)."""

from __future__ import annotations

import gc
import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from time import perf_counter
from typing import Any

from sqlalchemy import Table, func, select, text
from sqlalchemy.orm import Session

from czrm.cases.models import Case, CaseEvent
from czrm.kit.registry import Base
from czrm.people.models import Party, Person
from czrm.seed.bulk import BatchWriter
from czrm.seed.casegen import CaseFactory, new_uuid, utc
from czrm.seed.names import EMAIL_DOMAINS, LANGUAGES, NAME_POOLS, PHONE_RANGES, ascii_slug
from czrm.seed.world import World, calendar_span, load_world

WINDOW_DAYS = 730
EMAIL_SHARE = 0.85
PHONE_SHARE = 0.65
EMAIL_VERIFIED_SHARE = 0.6
DOB_KNOWN_SHARE = 0.92


@dataclass(frozen=True)
class PopulationSummary:
    persons: int
    contact_points: int
    cases: int
    case_events: int
    first_case_id: int | None
    last_case_id: int | None
    seconds: float


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _chunks(total: int, size: int) -> Iterator[int]:
    done = 0
    while done < total:
        step = min(size, total - done)
        yield step
        done += step


class _PersonFactory:
    def __init__(self, rng: random.Random, world: World, window_start: float, now: float) -> None:
        self.rng = rng
        self.world = world
        self.window_start = window_start
        self.now = now
        self.today = utc(now).date()

    @staticmethod
    def _language(draw: float) -> str:
        for code, share in LANGUAGES:
            if draw < share:
                return code
            draw -= share
        return LANGUAGES[0][0]

    def rows(
        self, count: int
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]], list[uuid.UUID]]:
        rng = self.rng
        parties, persons, contacts, ids = [], [], [], []
        for _ in range(count):
            pid = new_uuid(rng)
            language = self._language(rng.random())
            given_pool, family_pool = NAME_POOLS[language]
            given, family = rng.choice(given_pool), rng.choice(family_pool)
            created = utc(self.window_start - rng.random() * 3 * 365 * 86400)
            parties.append(
                {
                    "id": pid,
                    "jurisdiction_id": self.world.jurisdiction_id,
                    "kind": "person",
                    "display_name": f"{given} {family}",
                    "preferred_language": language,
                    "created_at": created,
                    "updated_at": created,
                }
            )
            persons.append(
                {
                    "id": pid,
                    "given_name": given,
                    "family_name": family,
                    "date_of_birth": self._date_of_birth(),
                }
            )
            contacts.extend(self._contacts(pid, given, family, created))
            ids.append(pid)
        return parties, persons, contacts, ids

    def _date_of_birth(self) -> date | None:
        rng = self.rng
        if rng.random() > DOB_KNOWN_SHARE:
            return None
        age = int(rng.triangular(18, 96, 42))
        return date(self.today.year - age, 1, 1) + timedelta(days=rng.randrange(365))

    def _contacts(
        self, pid: uuid.UUID, given: str, family: str, created: datetime
    ) -> list[dict[str, Any]]:
        rng = self.rng
        has_email = rng.random() < EMAIL_SHARE
        has_phone = rng.random() < PHONE_SHARE or not has_email
        rows = []
        if has_email:
            g, f = ascii_slug(given) or "resident", ascii_slug(family) or "northmere"
            local = rng.choice((f"{g}.{f}", f"{g}{f}", f"{g[0]}.{f}", f"{f}.{g}", f"{g}_{f}"))
            if rng.random() < 0.6:
                local += str(rng.randint(1, 99))
            verified = None
            if rng.random() < EMAIL_VERIFIED_SHARE:
                verified = min(created + timedelta(days=rng.random() * 30), utc(self.now))
            rows.append(
                self._contact(
                    pid, "email", f"{local}@{rng.choice(EMAIL_DOMAINS)}", verified, created
                )
            )
        if has_phone:
            number = rng.choice(PHONE_RANGES).format(rng.randrange(1000))
            rows.append(self._contact(pid, "phone", number, None, created))
        rows[0]["preferred"] = True
        return rows

    def _contact(
        self, pid: uuid.UUID, kind: str, value: str, verified: datetime | None, created: datetime
    ) -> dict[str, Any]:
        return {
            "id": new_uuid(self.rng),
            "party_id": pid,
            "kind": kind,
            "value": value.lower() if kind == "email" else value,
            "verified_at": verified,
            "preferred": False,
            "valid_from": created,
            "valid_to": None,
        }


def load_population(
    session: Session,
    jurisdiction_id: uuid.UUID,
    *,
    people: int,
    cases: int,
    seed: int,
    now: datetime,
    progress: Callable[[int, int], None] | None,
    batch_size: int,
) -> PopulationSummary:
    started = perf_counter()
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    # Its own stream: seeded like the council's, it would repeat the council's ids.
    rng = random.Random(f"population:{seed}")
    world = load_world(session, jurisdiction_id, *calendar_span(now))
    now_ts = now.timestamp()
    window_start = now_ts - WINDOW_DAYS * 86400
    total = people + cases

    # Every read happens before the first write: from then on the session
    # belongs to the writer.
    persons = _PersonFactory(rng, world, window_start, now_ts)
    existing: list[uuid.UUID] = []
    if people == 0 and cases:
        existing = list(
            session.scalars(
                select(Person.id)
                .where(Person.jurisdiction_id == jurisdiction_id)
                .order_by(Person.id)
            )
        )
        if not existing:
            raise ValueError("no people in the jurisdiction to raise the cases: pass people > 0")
    first_case = (session.scalar(select(func.max(Case.id))) or 0) + 1
    first_event = (session.scalar(select(func.max(CaseEvent.id))) or 0) + 1
    session.commit()

    writer = BatchWriter(session, total, progress)
    # Millions of short-lived acyclic objects: the cycle collector would only
    # rescan them over and over.
    collecting = gc.isenabled()
    gc.disable()
    try:
        requesters, contact_count = _write_people(persons, writer, people, batch_size)
        factory = CaseFactory(rng, world, now_ts, requesters or existing, first_case, first_event)
        event_count = _write_cases(factory, writer, cases, window_start, batch_size)
    finally:
        try:
            writer.close()
        finally:
            if collecting:
                gc.enable()
    _after_bulk_load(session)
    return PopulationSummary(
        persons=people,
        contact_points=contact_count,
        cases=cases,
        case_events=event_count,
        first_case_id=first_case if cases else None,
        last_case_id=first_case + cases - 1 if cases else None,
        seconds=perf_counter() - started,
    )


def _write_people(
    persons: _PersonFactory, writer: BatchWriter, people: int, batch_size: int
) -> tuple[list[uuid.UUID], int]:
    requesters: list[uuid.UUID] = []
    contacts = 0
    for size in _chunks(people, batch_size):
        party_rows, person_rows, contact_rows, ids = persons.rows(size)
        writer.write(
            [
                (_table(Party.__tablename__), party_rows),
                (_table(Person.__tablename__), person_rows),
                (_table("contact_points"), contact_rows),
            ],
            size,
        )
        requesters.extend(ids)
        contacts += len(contact_rows)
    return requesters, contacts


def _write_cases(
    factory: CaseFactory, writer: BatchWriter, cases: int, window_start: float, batch_size: int
) -> int:
    timeline = factory.opening_times(cases, window_start)
    cases_table, events_table = _table(Case.__tablename__), _table(CaseEvent.__tablename__)
    events = 0
    for start in range(0, cases, batch_size):
        drafts = [factory.draft(ts, ch) for ts, ch in timeline[start : start + batch_size]]
        factory.route(drafts)
        case_rows: list[dict[str, Any]] = []
        event_rows: list[dict[str, Any]] = []
        for draft in drafts:
            case_row, case_events = factory.build(draft)
            case_rows.append(case_row)
            event_rows.extend(case_events)
        writer.write([(cases_table, case_rows), (events_table, event_rows)], len(drafts))
        events += len(event_rows)
    return events


def _after_bulk_load(session: Session) -> None:
    """Ids were assigned here, not by the database: move PostgreSQL's sequences
    past them so the application's next insert does not collide, and refresh
    the planner's statistics."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in ("cases", "case_events"):
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - fixed names
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
        )
    session.commit()
    for table in ("parties", "persons", "contact_points", "cases", "case_events"):
        session.execute(text(f"ANALYZE {table}"))
    session.commit()
