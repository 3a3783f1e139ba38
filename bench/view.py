"""The 360° view of one busy person in the seeded population, under load.

Every read of a person is audited (``person_viewed``), so this measures a
read that also writes, as it will in production. The person is the busiest
requester (about 100 cases among a million persons); before the first run
they are also given linked records from three departmental systems (one of
them social care, withheld from the default purpose) and interactions on
several channels, ``LINKED`` of each, so every part of the view has rows.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from bench import wrk
from bench.common import Result, console
from bench.seed import seeded_url
from bench.server import Server
from czrm.auth.subject import SYSTEM
from czrm.cases.models import Case
from czrm.identity.importer import import_rows
from czrm.identity.models import IdentityLink, LinkMethod
from czrm.identity.service import source_system_service
from czrm.interactions.models import Direction, Interaction, InteractionChannel
from czrm.interactions.service import NewInteraction, interaction_service
from czrm.kit.db import create_db_engine
from czrm.kit.time import utc_now
from czrm.people.models import Person
from czrm.seed import catalogue_data

LINKED = 100
SYSTEMS = (
    ("bench_tax", "Council tax", "service_history"),
    ("bench_housing", "Housing", "service_history"),
    ("bench_care", "Adult social care", "health_social_care"),
)
CHANNELS = ("phone", "email", "web", "walk_in", "letter")


def _give_history(engine: Engine, person_id: uuid.UUID) -> tuple[int, int]:
    """Linked source records and interactions for the person, once; returns how
    many of each they have."""
    with Session(engine) as session:
        person = session.get(Person, person_id)
        assert person is not None
        linked = session.scalar(
            select(func.count())
            .select_from(IdentityLink)
            .where(IdentityLink.person_id == person_id)
        )
        if not linked:
            for code, name, category in SYSTEMS:
                system = source_system_service.register(
                    session,
                    SYSTEM,
                    person.jurisdiction_id,
                    code=code,
                    name=name,
                    data_category=category,
                )
                share = LINKED // len(SYSTEMS) + (1 if code == SYSTEMS[0][0] else 0)
                rows = [
                    (
                        line + 2,
                        {
                            "external_id": f"{code.upper()}-{line:05d}",
                            "first_name": person.given_name or "",
                            "surname": person.family_name or "",
                            "postcode": "NM1 2AB",
                            "account_note": f"record {line} held by {name}",
                        },
                    )
                    for line in range(share)
                ]
                report = import_rows(session, SYSTEM, system, rows, collect_new_ids=True)
                session.add_all(
                    IdentityLink(
                        source_record_id=record_id,
                        person_id=person_id,
                        probability=0.999,
                        method=LinkMethod.PROBABILISTIC,
                        decided_by="bench",
                    )
                    for record_id in report.new_record_ids
                )
            now = utc_now()
            for n in range(LINKED):
                interaction_service.add(
                    session,
                    SYSTEM,
                    NewInteraction(
                        jurisdiction_id=person.jurisdiction_id,
                        channel=InteractionChannel(CHANNELS[n % len(CHANNELS)]),
                        direction=Direction.INBOUND if n % 3 else Direction.OUTBOUND,
                        summary=f"Contact {n} about council services",
                        subject=f"Enquiry {n}",
                        person_id=person_id,
                        occurred_at=now - timedelta(days=n * 3),
                    ),
                )
            session.commit()
        records = session.scalar(
            select(func.count())
            .select_from(IdentityLink)
            .where(IdentityLink.person_id == person_id)
        )
        interactions = session.scalar(
            select(func.count()).select_from(Interaction).where(Interaction.person_id == person_id)
        )
    return int(records or 0), int(interactions or 0)


VIEW_LUA = """
request = function()
  return wrk.format("GET", "/api/v1/people/{PERSON}?cases_page_size=100",
    {["Authorization"] = "Bearer {TOKEN}"})
end
"""


def main(*, smoke: bool, seconds: int, workers: int, cases: int) -> None:
    if not wrk.available():
        console.print("[red]wrk is not installed (apt-get install wrk)[/red]")
        raise SystemExit(2)
    url, _ = seeded_url(people=max(cases // 2, 100), cases=cases)
    engine = create_db_engine(url)
    with Session(engine) as session:
        person_id, n_cases = session.execute(
            select(Case.requester_id, func.count())
            .join(Person, Person.id == Case.requester_id)
            .group_by(Case.requester_id)
            .order_by(func.count().desc())
            .limit(1)
        ).one()
        persons = session.scalar(select(func.count()).select_from(Person))
    records, interactions = _give_history(engine, person_id)
    engine.dispose()
    result = Result(
        "person-360-view",
        {
            "seconds": seconds,
            "workers": workers,
            "persons": persons,
            "cases_of_person": n_cases,
            "linked_records_of_person": records,
            "interactions_of_person": interactions,
            "cases_page_size": 100,
            "database": "postgresql",
        },
    )
    with Server(url, workers=workers) as server:
        token = httpx.post(
            f"{server.url}/api/v1/auth/token",
            json={
                "username": "admin",
                "password": catalogue_data.DEMO_PASSWORD,
            },
        ).json()["access_token"]
        check = httpx.get(
            f"{server.url}/api/v1/people/{person_id}", headers={"Authorization": f"Bearer {token}"}
        )
        if check.status_code != 200:
            raise RuntimeError(f"view refused: {check.status_code} {check.text[:200]}")
        script = VIEW_LUA.replace("{PERSON}", str(person_id)).replace("{TOKEN}", token)
        wrk.run(server.url, script, connections=2, seconds=min(5, seconds))  # warm-up
        for conns in [2] if smoke else [1, 16]:
            result.add(
                case=f"GET person c={conns}",
                **wrk.run(server.url, script, connections=conns, seconds=seconds),
            )
    result.save_and_print()
