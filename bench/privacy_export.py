"""Time a subject access export (and an erasure) for a person with many records.

    python -m bench.privacy_export [--cases 2000] [--records 300] [--reads 2000] [--database URL]

Builds one person with that many cases (five timeline events each), linked
source records and access-log rows in a fresh database (SQLite in a temporary
directory unless a URL is given), then prints how long the export's walk of
every link, its JSON and its HTML take, and how long erasing them takes.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from datetime import timedelta

from sqlalchemy import insert
from sqlalchemy.orm import Session

from czrm.auth.subject import SYSTEM
from czrm.cases.models import Case, CaseEvent, Channel, EventType
from czrm.catalogue.models import Service
from czrm.identity.importer import import_rows
from czrm.identity.models import IdentityLink, LinkMethod
from czrm.identity.service import source_system_service
from czrm.kit import migrate
from czrm.kit.db import create_db_engine
from czrm.kit.time import utc_now
from czrm.org.models import Department, Jurisdiction
from czrm.people.models import Person
from czrm.privacy.erasure import erase_person
from czrm.privacy.export import as_html, subject_access
from czrm.privacy.models import AccessLogEntry


def build(session: Session, *, cases: int, records: int, reads: int) -> tuple[uuid.UUID, uuid.UUID]:
    jurisdiction = Jurisdiction(slug="bench", name="Bench Council", timezone="Europe/London")
    session.add(jurisdiction)
    session.flush()
    department = Department(jurisdiction_id=jurisdiction.id, code="HIGHWAYS", name="Highways")
    session.add(department)
    session.flush()
    service = Service(
        jurisdiction_id=jurisdiction.id,
        department_id=department.id,
        code="POTHOLE",
        name="Pothole",
        group="Streets",
        sla_hours=16,
        attributes=[],
    )
    person = Person(
        jurisdiction_id=jurisdiction.id,
        display_name="Busy Person",
        given_name="Busy",
        family_name="Person",
    )
    session.add_all([service, person])
    session.flush()
    now = utc_now()
    session.execute(
        insert(Case),
        [
            {
                "jurisdiction_id": jurisdiction.id,
                "service_id": service.id,
                "requester_id": person.id,
                "channel": Channel.WEB,
                "description": f"report {n}",
                "department_id": department.id,
                "opened_at": now - timedelta(hours=n),
                "updated_at": now,
            }
            for n in range(cases)
        ],
    )
    case_ids = [c.id for c in session.query(Case.id).filter(Case.requester_id == person.id)]
    session.execute(
        insert(CaseEvent),
        [
            {"case_id": case_id, "type": EventType.PUBLIC_UPDATE, "occurred_at": now, "body": "ok"}
            for case_id in case_ids
            for _ in range(5)
        ],
    )
    system = source_system_service.register(
        session, SYSTEM, jurisdiction.id, code="tax", name="Council tax"
    )
    rows = [
        (n, {"external_id": f"T{n}", "first_name": "Busy", "surname": "Person", "band": "D"})
        for n in range(records)
    ]
    report = import_rows(session, SYSTEM, system, rows, collect_new_ids=True)
    session.execute(
        insert(IdentityLink),
        [
            {
                "source_record_id": record_id,
                "person_id": person.id,
                "probability": 1.0,
                "method": LinkMethod.EXACT,
                "decided_by": "bench",
                "linked_at": now,
            }
            for record_id in report.new_record_ids
        ],
    )
    session.execute(
        insert(AccessLogEntry),
        [
            {
                "jurisdiction_id": jurisdiction.id,
                "person_id": person.id,
                "occurred_at": now,
                "reader": "Bench",
                "departments": [],
                "purpose_code": "casework",
                "lawful_basis": "public_task",
                "categories": ["identity"],
                "action": "viewed",
                "what": "bench",
                "covert": False,
            }
            for _ in range(reads)
        ],
    )
    session.commit()
    return jurisdiction.id, person.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--records", type=int, default=300)
    parser.add_argument("--reads", type=int, default=2000)
    parser.add_argument("--database", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_db_engine(args.database or f"sqlite:///{tmp}/bench.sqlite3")
        migrate.upgrade(engine)
        with Session(engine) as session:
            jurisdiction_id, person_id = build(
                session, cases=args.cases, records=args.records, reads=args.reads
            )
            started = time.perf_counter()
            doc = subject_access(session, jurisdiction_id, person_id)
            walked = time.perf_counter()
            html = as_html(doc)
            rendered = time.perf_counter()
            rows = sum(doc["summary"].values())
            print(f"database: {engine.dialect.name}")
            print(f"rows exported: {rows:,} in {len(doc['summary'])} tables")
            print(f"export (walk + JSON document): {walked - started:.2f} s")
            print(f"HTML document: {rendered - walked:.2f} s ({len(html) / 1e6:.1f} MB)")
            started = time.perf_counter()
            counts = erase_person(session, SYSTEM, jurisdiction_id, person_id)
            session.commit()
            print(
                f"erasure: {sum(counts.values()):,} rows in {time.perf_counter() - started:.2f} s"
            )
        engine.dispose()


if __name__ == "__main__":
    main()
