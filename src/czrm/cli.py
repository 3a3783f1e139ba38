"""The command line: ``czrm serve | demo | worker | db … | users … | audit … | seed``."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import select

from czrm.auth.models import Role
from czrm.auth.subject import Actor
from czrm.config import UnsafeSettings, get_settings

app = typer.Typer(help="czrm — Citizen Relationship Management for councils.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema: upgrade, new revision, check.", no_args_is_help=True)
users_app = typer.Typer(help="Staff accounts.", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")
console = Console()
CLI_ACTOR = Actor(kind="system", id=None, label="czrm command line")


def _settings_or_exit() -> None:
    try:
        get_settings()
    except UnsafeSettings as exc:
        console.print(f"[red]refusing to start:[/red] {exc}")
        raise typer.Exit(2) from exc


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    _settings_or_exit()
    from czrm.kit import db, migrate

    migrate.upgrade(db.get_engine(), revision)
    console.print(f"database at {revision}")


@db_app.command("revision")
def db_revision(message: Annotated[str, typer.Option("-m", "--message")]) -> None:
    """Autogenerate a migration from the models (review it before committing)."""
    from czrm.kit import db, migrate

    migrate.revision(db.get_engine(), message)


@db_app.command("check")
def db_check() -> None:
    """Fail if the models and the migrations disagree."""
    from alembic.util.exc import CommandError

    from czrm.kit import db, migrate

    try:
        migrate.check(db.get_engine())
    except CommandError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    console.print("models and migrations agree")


@users_app.command("create")
def users_create(
    username: str,
    email: Annotated[str, typer.Option()],
    role: Annotated[list[Role], typer.Option("--role", help="repeat for several")],
    name: Annotated[str | None, typer.Option(help="display name")] = None,
    department: Annotated[list[str] | None, typer.Option("--department")] = None,
    jurisdiction: Annotated[str | None, typer.Option(help="slug; needed if several")] = None,
    password: Annotated[
        str | None, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)
    ] = None,
) -> None:
    """Create a staff account."""
    from czrm.auth.service import staff_service
    from czrm.errors import CzrmError
    from czrm.kit.db import unit_of_work
    from czrm.org.models import Jurisdiction

    _settings_or_exit()
    try:
        with unit_of_work() as session:
            stmt = select(Jurisdiction)
            if jurisdiction:
                stmt = stmt.where(Jurisdiction.slug == jurisdiction)
            found = session.scalars(stmt.limit(2)).all()
            if len(found) != 1:
                console.print("[red]name the jurisdiction with --jurisdiction[/red]")
                raise typer.Exit(2)
            staff = staff_service.create(
                session,
                CLI_ACTOR,
                found[0].id,
                username=username,
                display_name=name or username,
                email=email,
                password=password,
                roles=list(role),
                departments=list(department or []),
            )
            console.print(f"created {staff.username} ({', '.join(staff.roles)})")
    except CzrmError as exc:
        console.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(1) from exc


@audit_app.command("verify")
def audit_verify() -> None:
    """Walk the chain; exit 1 at the first edited, deleted, inserted or reordered entry."""
    from czrm.audit.verify import verify_chain
    from czrm.kit.db import unit_of_work

    _settings_or_exit()
    with unit_of_work() as session, console.status("verifying audit chain…") as status:
        result = verify_chain(session, progress=lambda n: status.update(f"verified {n:,}…"))
    if result.ok:
        console.print(f"[green]{result.describe()}[/green]")
        return
    console.print(f"[red]{result.describe()}[/red]")
    raise typer.Exit(1)


@app.command()
def worker(
    poll: Annotated[float, typer.Option(help="seconds between polls when idle")] = 1.0,
) -> None:
    """Run queued and periodic jobs until interrupted."""
    from czrm.jobs.worker import Worker
    from czrm.kit.db import session_factory

    _settings_or_exit()
    logging.basicConfig(level=get_settings().log_level.upper())
    runner = Worker(session_factory())
    console.print(f"worker {runner.name} started")
    try:
        runner.run(poll_seconds=poll)
    except KeyboardInterrupt:
        runner.stop()


@app.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: Annotated[int, typer.Option(help="processes")] = 1,
) -> None:
    """Serve the web application (run `czrm worker` beside it)."""
    from czrm.kit import serving

    _settings_or_exit()
    status = serving.run(
        "czrm.app:create_app",
        host=host,
        port=port,
        workers=workers,
        log_level=get_settings().log_level,
        proxy_headers=True,
        # A worker importing the application on a busy machine can take longer
        # than uvicorn's 5 s to answer its first health check; it is then killed
        # and replaced, over and over, and the server never comes up.
        timeout_worker_healthcheck=60,
    )
    if status:
        raise typer.Exit(status)


@app.command()
def seed(
    people: Annotated[int, typer.Option(help="persons to create")] = 1000,
    cases: Annotated[int, typer.Option(help="cases to create")] = 2000,
    seed: Annotated[int, typer.Option("--seed", help="random seed")] = 1,
) -> None:
    """Load the synthetic council (created if absent) and a population of people and cases."""
    _settings_or_exit()
    from czrm.demo import load

    load(console, people=people, cases=cases, seed=seed, progress=_progress())


@app.command()
def demo(
    host: str = "127.0.0.1",
    port: int = 8000,
    people: int = 2000,
    cases: int = 5000,
) -> None:
    """Migrate, load the synthetic council (first run only), serve it with a worker.

    Messages to citizens are written under var/outbox/ unless CZRM_COMMS_SINK says otherwise.
    """
    import os

    import uvicorn

    from czrm.demo import load, print_demo_banner
    from czrm.jobs.worker import Worker
    from czrm.kit.db import session_factory

    if "CZRM_COMMS_SINK" not in os.environ:
        os.environ["CZRM_COMMS_SINK"] = "file"
        get_settings.cache_clear()
    _settings_or_exit()
    logging.basicConfig(level=logging.INFO)
    load(console, people=people, cases=cases, seed=1, progress=_progress(), skip_if_loaded=True)
    runner = Worker(session_factory())
    threading.Thread(target=runner.run, name="czrm-worker", daemon=True).start()
    print_demo_banner(console, host, port)
    try:
        uvicorn.run("czrm.app:create_app", factory=True, host=host, port=port, log_level="info")
    finally:
        runner.stop()


# ----- single view: source systems, import, link, export ---------------------------------
sources_app = typer.Typer(help="Departmental source systems.", no_args_is_help=True)
export_app = typer.Typer(help="Export data for checking elsewhere.", no_args_is_help=True)
app.add_typer(sources_app, name="sources")
app.add_typer(export_app, name="export")
JurisdictionOption = Annotated[str | None, typer.Option(help="slug; needed if several")]


def _jurisdiction_id(session: object, slug: str | None) -> object:
    from czrm.org.models import Jurisdiction

    stmt = select(Jurisdiction)
    if slug:
        stmt = stmt.where(Jurisdiction.slug == slug)
    found = session.scalars(stmt.limit(2)).all()  # type: ignore[attr-defined]
    if len(found) != 1:
        console.print("[red]name the jurisdiction with --jurisdiction[/red]")
        raise typer.Exit(2)
    return found[0].id


@sources_app.command("add")
def sources_add(
    code: str,
    name: str,
    mapping: Annotated[
        list[str] | None, typer.Option("--map", help="standard_field=column; repeat")
    ] = None,
    jurisdiction: JurisdictionOption = None,
) -> None:
    """Register a source system; map its columns onto czrm's standard fields."""
    from czrm.errors import CzrmError
    from czrm.identity.service import source_system_service
    from czrm.kit.db import unit_of_work

    _settings_or_exit()
    pairs = dict(item.split("=", 1) for item in mapping or [] if "=" in item)
    try:
        with unit_of_work() as session:
            source_system_service.register(
                session,
                CLI_ACTOR,
                _jurisdiction_id(session, jurisdiction),  # type: ignore[arg-type]
                code=code,
                name=name,
                field_mapping=pairs,
            )
    except CzrmError as exc:
        console.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(1) from exc
    console.print(f"source system {code} registered")


@app.command("import")
def import_records(
    system: str,
    file: Annotated[Path, typer.Argument(help=".csv, .jsonl or .parquet")],
    jurisdiction: JurisdictionOption = None,
    match: Annotated[bool, typer.Option(help="match each new record in real time")] = False,
) -> None:
    """Import a departmental extract; re-importing updates records, never duplicates them."""
    from czrm.errors import CzrmError
    from czrm.identity.intake import import_file
    from czrm.identity.readers import count_rows
    from czrm.identity.service import source_system_service
    from czrm.kit.db import unit_of_work

    _settings_or_exit()
    try:
        total = count_rows(file)
        with unit_of_work() as session, _progress() as progress:
            found = source_system_service.get(
                session,
                _jurisdiction_id(session, jurisdiction),  # type: ignore[arg-type]
                system,
            )
            bar = progress.add_task(f"importing {file.name}", total=total)

            def advance(line: int) -> None:
                progress.update(bar, completed=total if line < 0 else line)

            result = import_file(session, CLI_ACTOR, found, file, progress=advance, match=match)
    except CzrmError as exc:
        console.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(1) from exc
    console.print(
        f"inserted {result['inserted']}, updated {result['updated']}, "
        f"unchanged {result['unchanged']}, rejected {result['rejected_count']}"
    )
    for rejection in result["rejected"][:50]:
        console.print(f"  line {rejection['line']}: {rejection['reason']}")
    if result["rejected_count"] > 50:
        console.print(f"  … and {result['rejected_count'] - 50} more")


@app.command()
def link(
    jurisdiction: JurisdictionOption = None,
    retrain: Annotated[bool, typer.Option(help="train a new model version first")] = False,
) -> None:
    """Link every source record into persons (trains a model on first use)."""
    from czrm.identity.linking import link_all
    from czrm.kit.db import unit_of_work

    _settings_or_exit()
    with unit_of_work() as session, console.status("linking…"):
        report = link_all(
            session,
            CLI_ACTOR,
            _jurisdiction_id(session, jurisdiction),  # type: ignore[arg-type]
            retrain=retrain,
        )
    console.print(
        f"model v{report.model_version}: {report.records} records → {report.persons} persons "
        f"({report.persons_created} new, {report.merges} merged); "
        f"{report.auto_links} links, {report.review_pairs} pairs for review"
    )


@export_app.command("links")
def export_links(
    file: Annotated[Path, typer.Argument(help="CSV to write")],
    jurisdiction: JurisdictionOption = None,
) -> None:
    """Write (system, external_id, person_id) for every linked source record."""
    from czrm.identity.export import write_links
    from czrm.kit.db import unit_of_work

    _settings_or_exit()
    with unit_of_work() as session:
        count = write_links(
            session,
            _jurisdiction_id(session, jurisdiction),  # type: ignore[arg-type]
            file,
        )
    console.print(f"wrote {count} links to {file}")


# ----- mail: the council's mailboxes, the SMTP receiver, the IMAP poller ----------------
mail_app = typer.Typer(
    help="Inbound e-mail: mailboxes, receiver, IMAP poller.", no_args_is_help=True
)
app.add_typer(mail_app, name="mail")


@mail_app.command("add-mailbox")
def mail_add_mailbox(
    address: str,
    service: Annotated[str, typer.Option(help="code of the service new requests open as")],
    jurisdiction: JurisdictionOption = None,
) -> None:
    """Take mail for ADDRESS; messages citing no reference open a SERVICE case for triage."""
    from datetime import UTC, datetime

    from czrm.catalogue.service import catalogue_service
    from czrm.communications.models import Mailbox
    from czrm.errors import CzrmError
    from czrm.kit.db import unit_of_work

    _settings_or_exit()
    if "@" not in address:
        console.print("[red]ADDRESS must be an e-mail address[/red]")
        raise typer.Exit(2)
    try:
        with unit_of_work() as session:
            jurisdiction_id = _jurisdiction_id(session, jurisdiction)
            triage = catalogue_service.get_by_code(session, jurisdiction_id, service)  # type: ignore[arg-type]
            session.add(
                Mailbox(
                    jurisdiction_id=jurisdiction_id,
                    address=address.strip().lower(),
                    triage_service_id=triage.id,
                    created_at=datetime.now(UTC),
                )
            )
    except CzrmError as exc:
        console.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(1) from exc
    console.print(f"taking mail for {address.lower()} (new requests: {service})")


@mail_app.command("provider")
def mail_provider(
    channel: Annotated[str, typer.Argument(help="email, sms or letter")],
    provider: Annotated[str, typer.Argument(help="smtp, notify or file")],
    option: Annotated[
        list[str] | None, typer.Option("--option", help="KEY=VALUE, repeat for several")
    ] = None,
    jurisdiction: JurisdictionOption = None,
) -> None:
    """Choose who carries a channel of messages to citizens for the council.

    GOV.UK Notify: --option api_key_env=NAME_OF_VARIABLE --option template_id=UUID
    [--option base_url=URL]. The key itself stays in the environment.
    """
    from czrm.communications.providers import configure
    from czrm.kit.db import unit_of_work

    _settings_or_exit()
    options = {}
    for item in option or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            console.print(f"[red]--option {item!r}: write KEY=VALUE[/red]")
            raise typer.Exit(2)
        options[key.strip()] = value.strip()
    try:
        with unit_of_work() as session:
            configure(session, _jurisdiction_id(session, jurisdiction), channel, provider, options)
    except ValueError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    console.print(f"{channel} messages now go through {provider}")


@mail_app.command("serve")
def mail_serve(
    host: str = "127.0.0.1",
    port: Annotated[int, typer.Option(help="25 in production, behind the firewall")] = 2525,
) -> None:
    """Receive mail for the council's mailboxes over SMTP until interrupted."""
    import time

    from czrm.communications.smtpd import controller
    from czrm.kit.db import session_factory

    _settings_or_exit()
    logging.basicConfig(level=get_settings().log_level.upper())
    receiver = controller(session_factory(), host=host, port=port)
    receiver.start()
    console.print(f"receiving mail on {host}:{port}")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        receiver.stop()


@mail_app.command("poll-imap")
def mail_poll_imap(
    address: Annotated[str, typer.Option(help="the council mailbox the messages were sent to")],
    host: Annotated[str, typer.Option()],
    user: Annotated[str, typer.Option()],
    password_env: Annotated[str, typer.Option(help="environment variable holding the password")],
    port: int = 993,
    ssl: bool = True,
    folder: str = "INBOX",
    every: Annotated[int, typer.Option(help="seconds between polls; 0 polls once")] = 0,
) -> None:
    """Take in unseen messages from an existing IMAP mailbox."""
    import os
    import time

    from czrm.communications.imap import connect, poll
    from czrm.kit.db import session_factory

    _settings_or_exit()
    password = os.environ.get(password_env)
    if not password:
        console.print(f"[red]{password_env} is not set[/red]")
        raise typer.Exit(2)
    while True:
        client = connect(host, port, user, password, ssl=ssl)
        try:
            new = poll(
                session_factory(), client, address=address, name=f"{user}@{host}", folder=folder
            )
        finally:
            client.logout()
        console.print(f"{new} new message(s) from {user}@{host}/{folder}")
        if every <= 0:
            return
        time.sleep(every)


# ----- privacy: the record of processing, encryption keys ---------------------------------
privacy_app = typer.Typer(help="The register of processing.", no_args_is_help=True)
keys_app = typer.Typer(help="Encryption keys for data at rest.", no_args_is_help=True)
app.add_typer(privacy_app, name="privacy")
app.add_typer(keys_app, name="keys")


@privacy_app.command("record")
def privacy_record(
    output: Annotated[str, typer.Option("--format", help="json or csv")] = "json",
    jurisdiction: JurisdictionOption = None,
) -> None:
    """Print the Art. 30 record of processing activities (JSON or CSV)."""
    import json

    from czrm.kit.db import unit_of_work
    from czrm.privacy.service import as_csv, record_of_processing

    _settings_or_exit()
    if output not in ("json", "csv"):
        console.print("[red]--format is json or csv[/red]")
        raise typer.Exit(2)
    with unit_of_work() as session:
        body = record_of_processing(
            session,
            _jurisdiction_id(session, jurisdiction),  # type: ignore[arg-type]
        )
    typer.echo(as_csv(body) if output == "csv" else json.dumps(body, indent=2))


@keys_app.command("status")
def keys_status() -> None:
    """How many stored values each key encrypts, per column."""
    from czrm.kit import crypto
    from czrm.kit.db import unit_of_work
    from czrm.kit.registry import Base

    _settings_or_exit()
    ring = crypto.keyring()
    console.print(f"primary key: {ring.primary}; keys: {', '.join(ring.keys)}")
    with unit_of_work() as session:
        for column, counts in crypto.key_usage(session, Base.metadata).items():
            console.print(f"{column}: " + ", ".join(f"{k} {n}" for k, n in counts.items()))


@keys_app.command("rotate")
def keys_rotate(
    new_key: Annotated[bool, typer.Option(help="add a new key to the keyring file first")] = True,
) -> None:
    """Make a new key primary and re-encrypt every value with it; old keys stay
    until `czrm keys retire` (with keys from the environment: add the new key
    there first and pass --no-new-key)."""
    from czrm.kit import crypto
    from czrm.kit.db import unit_of_work
    from czrm.kit.registry import Base

    _settings_or_exit()
    try:
        if new_key:
            crypto.rotate_file_keyring()
        with unit_of_work() as session, console.status("re-encrypting…"):
            done = crypto.reencrypt(session, Base.metadata, commit=session.commit)
    except crypto.KeyringError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    console.print(f"primary key is now {crypto.keyring().primary}")
    for column, count in done.items():
        console.print(f"{column}: {count} re-encrypted")


@keys_app.command("retire")
def keys_retire() -> None:
    """Remove from the keyring file the old keys no stored value uses any more."""
    from czrm.kit import crypto
    from czrm.kit.db import unit_of_work
    from czrm.kit.registry import Base

    _settings_or_exit()
    try:
        with unit_of_work() as session:
            gone = crypto.retire_unused_keys(session, Base.metadata)
    except crypto.KeyringError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    console.print(f"retired: {', '.join(gone) or 'none'}")
