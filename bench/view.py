"""The 360° view of one busy person in the seeded population, under load.

Every read of a person is audited (``person_viewed``), so this measures a
read that also writes, as it will in production.
"""

from __future__ import annotations

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bench import wrk
from bench.common import Result, console
from bench.seed import seeded_url
from bench.server import Server
from czrm.cases.models import Case
from czrm.kit.db import create_db_engine
from czrm.people.models import Person
from czrm.seed import catalogue_data

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
    engine.dispose()
    result = Result(
        "person-360-view",
        {
            "seconds": seconds,
            "workers": workers,
            "persons": persons,
            "cases_of_person": n_cases,
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
