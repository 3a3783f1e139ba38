"""Loading the synthetic council into the configured database, for `czrm demo`
and `czrm seed`, with progress and an audit entry for each load."""

from __future__ import annotations

import time
import uuid

from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from czrm.audit.service import record
from czrm.auth.subject import Actor
from czrm.auth.totp import DEMO_SECRET
from czrm.cases.models import Case
from czrm.config import get_settings
from czrm.kit import db, migrate
from czrm.org.models import Jurisdiction
from czrm.privacy import repository as privacy_repository
from czrm.privacy.canary import CANARY_NI, seed_canary
from czrm.seed import catalogue_data as data
from czrm.seed.generate import seed_council, seed_population

SEED_ACTOR = Actor(kind="system", id=None, label="czrm seed")


def load(
    console: Console,
    *,
    people: int,
    cases: int,
    seed: int,
    progress: Progress,
    skip_if_loaded: bool = False,
) -> None:
    engine = db.get_engine()
    migrate.upgrade(engine)
    db.check_engine(engine)
    with db.unit_of_work() as session:
        jurisdiction_id = session.scalar(
            select(Jurisdiction.id).where(Jurisdiction.slug == data.SLUG)
        )
        existing_cases = session.scalar(select(func.count()).select_from(Case)) or 0
        if jurisdiction_id is not None and skip_if_loaded and existing_cases:
            console.print(f"{data.NAME}: already loaded ({existing_cases:,} cases)")
            return
        if jurisdiction_id is None:
            summary = seed_council(session, seed=seed)
            jurisdiction_id = summary.jurisdiction_id
            record(
                session,
                SEED_ACTOR,
                action="council_seeded",
                entity_type="jurisdiction",
                entity_id=jurisdiction_id,
                jurisdiction_id=jurisdiction_id,
                details={"services": summary.services, "staff": summary.staff, "seed": seed},
            )
            # The default register of processing, and the encryption canary.
            purposes = privacy_repository.purposes(session, jurisdiction_id)
            seed_canary(session, SEED_ACTOR, jurisdiction_id)
            console.print(
                f"{data.NAME}: {len(purposes)} purposes in the register of processing; "
                f"canary NI number {CANARY_NI} encrypted at rest"
            )
            prepare_web(session, jurisdiction_id)
            console.print(
                f"{data.NAME}: {summary.departments} departments, {summary.teams} teams, "
                f"{summary.services} services, {summary.staff} staff"
            )
    started = time.monotonic()
    with progress:
        task = progress.add_task("people and cases", total=people + cases)
        seed_population(
            engine,
            jurisdiction_id,
            people=people,
            cases=cases,
            seed=seed,
            progress=lambda done, total: progress.update(task, completed=done, total=total),
        )
    seconds = time.monotonic() - started
    with db.unit_of_work() as session:
        record(
            session,
            SEED_ACTOR,
            action="population_seeded",
            entity_type="jurisdiction",
            entity_id=jurisdiction_id,
            jurisdiction_id=jurisdiction_id,
            details={"people": people, "cases": cases, "seed": seed},
        )
    console.print(f"loaded {people:,} people and {cases:,} cases in {seconds:.1f} s")


def prepare_web(session: Session, jurisdiction_id: uuid.UUID) -> None:
    """The demo council's portal settings (colour, postcode districts → wards, map
    centre) and the published second factor of its fixed staff logins."""
    from czrm.auth import totp
    from czrm.auth.models import StaffUser
    from czrm.portal import service as portal

    portal.configure(
        session,
        jurisdiction_id,
        brand_colour=data.BRAND_COLOUR,
        postcode_districts={w.postcode_district: w.code for w in data.WARDS},
        map_centre=[52.43, -1.51, 13],
    )
    usernames = [login.username for login in data.FIXED_LOGINS]
    for staff in session.scalars(
        select(StaffUser).where(
            StaffUser.jurisdiction_id == jurisdiction_id, StaffUser.username.in_(usernames)
        )
    ):
        totp.enrol_demo(session, staff)


def print_demo_banner(console: Console, host: str, port: int) -> None:
    base = f"http://{host}:{port}"
    urls = Table(title=f"{data.NAME} — czrm demo", show_header=False)
    urls.add_row("API documentation", f"{base}/api/docs")
    urls.add_row("OpenAPI", f"{base}/api/v1/openapi.json")
    urls.add_row("Health", f"{base}/health")
    console.print(urls)
    logins = Table(title=f"Demo staff logins (password: {data.DEMO_PASSWORD})")
    logins.add_column("username")
    logins.add_column("roles")
    logins.add_column("department")
    for login in data.FIXED_LOGINS:
        logins.add_row(login.username, ", ".join(login.roles), login.department or "all")
    console.print(logins)
    console.print(
        f"Staff console: {base}/console — the second factor (TOTP) of every demo login uses "
        f"the published secret {DEMO_SECRET}: add it to an authenticator app, or run "
        f"python -c \"import pyotp; print(pyotp.TOTP('{DEMO_SECRET}').now())\""
    )
    console.print(
        f"Citizen portal: {base}/ — sign-in links and messages to citizens are written to "
        f"{(get_settings().data_dir / 'outbox').resolve()}/ (open the .eml files)"
    )
    console.print(
        f"Get a token: curl -s {base}/api/v1/auth/token -H 'content-type: application/json' "
        f'-d \'{{"username": "caseworker", "password": "{data.DEMO_PASSWORD}"}}\''
    )
