"""Seeding a large council database into PostgreSQL, timed."""

from __future__ import annotations

import os

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bench.common import Result, Timer, bench_database, console, drop_database, peak_rss_mb
from czrm.cases.models import Case
from czrm.kit import migrate
from czrm.kit.db import create_db_engine
from czrm.org import models as org
from czrm.seed import catalogue_data
from czrm.seed.generate import seed_council, seed_population

DATABASE = os.environ.get("CZRM_BENCH_DB", "czrm_bench")


def seeded_url(
    people: int, cases: int, seed: int = 1, fresh: bool = False
) -> tuple[str, Result | None]:
    """The bench database holding at least ``cases`` cases; seeds (timed) when it must."""
    if fresh:
        drop_database(DATABASE)
    url = bench_database(DATABASE)
    engine = create_db_engine(url)
    migrate.upgrade(engine)
    with Session(engine) as session:
        have = session.scalar(select(func.count()).select_from(Case)) or 0
        council = session.scalar(
            select(org.Jurisdiction.id).where(org.Jurisdiction.slug == catalogue_data.SLUG)
        )
    if have >= cases and council is not None:
        console.print(f"bench database already holds {have:,} cases")
        engine.dispose()
        return url, None
    if have:
        engine.dispose()
        return seeded_url(people, cases, seed, fresh=True)
    result = Result(
        "seed", {"people": people, "cases": cases, "seed": seed, "database": "postgresql"}
    )
    with Timer() as council_timer, Session(engine) as session:
        summary = seed_council(session, seed=seed)
        session.commit()
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )
    with progress, Timer() as population_timer:
        task = progress.add_task("seeding people and cases", total=people + cases)
        seed_population(
            engine,
            summary.jurisdiction_id,
            people=people,
            cases=cases,
            seed=seed,
            progress=lambda done, total: progress.update(task, completed=done, total=total),
        )
    # As a database in service is: vacuumed (rows just copied in have no
    # visibility map, so index-only scans visit the heap, and their first
    # readers write hint bits) and analysed.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
    result.add(case="council", seconds=council_timer.seconds)
    result.add(
        case="people + cases",
        seconds=population_timer.seconds,
        rows_per_s=(people + cases) / population_timer.seconds,
        peak_rss_mb=peak_rss_mb(),
    )
    engine.dispose()
    return url, result


def main(people: int, cases: int, seed: int) -> None:
    _, result = seeded_url(people, cases, seed, fresh=True)
    if result is not None:
        result.save_and_print()
