"""Open311 intake and updates, composed from the case, catalogue and people services.

Rules:

* A POST needs an active client key; the case is opened with that client as
  the actor (``Actor(kind="client")``), channel ``open311``, a location
  required and unknown attributes refused.
* ``Idempotency-Key`` (per client): the key row is inserted before anything
  else in the same transaction, so a concurrent retry waits for the first
  attempt and replays its response; a failed first attempt rolls its key row
  back with it and a retry runs afresh. Reusing a key for a different request
  is a 400.
* Updates from a client (mySociety's ``servicerequestupdates``) are public
  timeline entries. A client cannot close or progress a case: the council's
  staff decide that. The one status a client moves is a reopening: ``REOPEN``
  (or ``OPEN``) on a closed case reopens it; any other status is kept with the
  update as the status the client asked for.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from czrm.cases import repository as case_repository
from czrm.cases import workflow
from czrm.cases.models import Case, CaseEvent, CaseStatus, Channel
from czrm.cases.service import MAX_DESCRIPTION, CaseIntake, Location, case_service
from czrm.catalogue.attributes import parse_datetime
from czrm.catalogue.models import Service, ServiceType
from czrm.catalogue.service import catalogue_service
from czrm.errors import CzrmError
from czrm.kit.time import utc_now
from czrm.open311 import media
from czrm.open311.clients import actor_of
from czrm.open311.formats import Open311Error, bad_request, field_errors, not_found
from czrm.open311.forms import OpenForm
from czrm.open311.models import Open311Client, Open311Idempotency
from czrm.open311.statuses import FROM_EXTENDED, REOPENING
from czrm.open311.text import plain_text
from czrm.org.service import JurisdictionInfo
from czrm.people.service import RequesterDetails, contact_to_keep

MAX_IDEMPOTENCY_KEY = 200
LIMITS = {"address_string": 500, "address_id": 100, "zipcode": 16}
CONTACT_LIMIT = 200


@dataclass
class Replay:
    """A stored answer to an earlier request with the same Idempotency-Key."""

    status: int
    body: list[dict[str, Any]]


def claim_idempotency_key(
    session: Session, client: Open311Client, key: str, digest: str
) -> Open311Idempotency | Replay:
    """Insert the key row first: the winner owns it, anyone else waits for the
    winner's commit (PostgreSQL blocks on the conflicting row; SQLite's single
    writer runs one transaction at a time) and replays what it stored."""
    if not key or len(key) > MAX_IDEMPOTENCY_KEY:
        raise bad_request(f"Idempotency-Key must be 1 to {MAX_IDEMPOTENCY_KEY} characters")
    insert_fn = (
        postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    )
    stmt = (
        insert_fn(Open311Idempotency)
        .values(client_id=client.id, key=key, request_digest=digest, created_at=utc_now())
        .on_conflict_do_nothing(index_elements=["client_id", "key"])
        .returning(Open311Idempotency.id)
    )
    new_id = session.execute(stmt).scalar()
    if new_id is not None:
        row = session.get(Open311Idempotency, new_id)
        assert row is not None
        return row
    row = session.scalars(
        select(Open311Idempotency)
        .where(Open311Idempotency.client_id == client.id, Open311Idempotency.key == key)
        .with_for_update()
    ).one()
    if row.request_digest != digest:
        raise bad_request("Idempotency-Key was already used for a different request")
    if row.status_code is None or row.response is None:
        raise bad_request("a request with this Idempotency-Key is still being processed")
    return Replay(row.status_code, list(row.response))


def remember(row: Open311Idempotency, status: int, body: list[dict[str, Any]]) -> None:
    row.status_code = status
    row.response = body


# ----- reading the form ---------------------------------------------------------
def _float(form: OpenForm, name: str, low: float, high: float, errors: list[str]) -> float | None:
    raw = form.text(name)
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        errors.append(f"{name}: {raw[:40]!r} is not a number")
        return None
    if not math.isfinite(value) or not low <= value <= high:
        errors.append(f"{name}: must be between {low:g} and {high:g}")
        return None
    return value


def _location(form: OpenForm, errors: list[str]) -> Location:
    lat = _float(form, "lat", -90, 90, errors)
    long = _float(form, "long", -180, 180, errors)
    if (form.text("lat") is None) != (form.text("long") is None):
        errors.append("lat/long: give both lat and long")
    values = {name: form.text(name) for name in LIMITS}
    for name, limit in LIMITS.items():
        value = values[name]
        if value is not None and len(value) > limit:
            errors.append(f"{name}: is longer than {limit} characters")
            values[name] = None
    location = Location(
        lat=lat,
        long=long,
        address=values["address_string"],
        address_id=values["address_id"],
        postcode=values["zipcode"],
    )
    if not location.given and not any(e.startswith(("lat", "long")) for e in errors):
        errors.append("location: give lat and long, address_string or address_id")
    return location


def _description(form: OpenForm, errors: list[str]) -> str:
    raw = form.first("description") or ""
    if len(raw) > MAX_DESCRIPTION:
        errors.append(f"description: is longer than {MAX_DESCRIPTION} characters")
        return ""
    return plain_text(raw)


def _media_urls(form: OpenForm, errors: list[str]) -> list[str]:
    urls = [u.strip() for u in form.all("media_url") if u.strip()]
    for url in urls:
        if not media.is_acceptable_url(url):
            errors.append("media_url: must be an http or https URL of at most 2000 characters")
            return []
    return urls


def _uploads(form: OpenForm, errors: list[str]) -> list[tuple[str, Any]]:
    """(new name, file) for each upload whose bytes are an accepted image."""
    accepted = []
    for field_name, upload in form.uploads:
        upload.file.seek(0)
        extension = media.sniff(upload.file.read(16))
        if extension is None:
            errors.append(f"{field_name}: only JPEG, PNG, GIF or WebP images are accepted")
            continue
        accepted.append((media.new_name(extension), upload.file))
    return accepted


def _requester_contact(form: OpenForm) -> dict[str, str] | None:
    """The contact details given, checked; matched to a person after the commit."""
    details = RequesterDetails(
        given_name=form.text("first_name"),
        family_name=form.text("last_name"),
        email=form.text("email"),
        phone=form.text("phone"),
    )
    for name in ("first_name", "last_name", "email", "phone"):
        value = form.text(name)
        if value is not None and len(value) > CONTACT_LIMIT:
            raise bad_request(f"{name}: is longer than {CONTACT_LIMIT} characters")
    if details.is_empty():
        return None
    return contact_to_keep(details)


def _service(session: Session, jurisdiction: JurisdictionInfo, code: str | None) -> Service:
    if code is None:
        raise bad_request("service_code: is required")
    found = catalogue_service.for_intake(session, jurisdiction.id, code)
    if found is None or not found.active:
        raise bad_request(f"service_code: {code[:64]!r} is not a service of this jurisdiction")
    return found


# ----- POST requests --------------------------------------------------------------
def submit_request(
    session: Session,
    jurisdiction: JurisdictionInfo,
    client: Open311Client,
    form: OpenForm,
    media_base_url: str,
) -> list[dict[str, Any]]:
    """Open a case from an Open311 POST; returns the response document."""
    service = _service(session, jurisdiction, form.text("service_code"))
    errors: list[str] = []
    location = _location(form, errors)
    description = _description(form, errors)
    urls = _media_urls(form, errors)
    uploads = _uploads(form, errors)
    errors.extend(f"{key}: is not a valid attribute field" for key in form.malformed_keys())
    if errors:
        raise bad_request(*errors)
    try:
        contact = _requester_contact(form)
        intake = CaseIntake(
            service=service,
            channel=Channel.OPEN311,
            description=description,
            attributes=form.attributes(),
            location=location,
            requester_contact=contact,
            media_urls=urls + [f"{media_base_url}/{name}" for name, _file in uploads],
            require_location=True,
            allow_unknown_attributes=False,
        )
        case = case_service.open(session, actor_of(client), intake)
    except CzrmError as exc:
        if exc.status == 422 or exc.errors:
            raise bad_request(*field_errors(exc.errors)) from None
        raise
    stored: list[str] = []
    try:
        for name, file in uploads:
            media.store(file, name)
            stored.append(name)
    except OSError:
        media.discard(stored)
        raise
    batch = service.type == ServiceType.BATCH
    return [
        {
            "service_request_id": None if batch else case.reference,
            "token": case.open311_token if batch else None,
            "service_notice": None,
            "account_id": None,
        }
    ]


# ----- servicerequestupdates ------------------------------------------------------
def post_update(
    session: Session, jurisdiction: JurisdictionInfo, client: Open311Client, form: OpenForm
) -> list[dict[str, Any]]:
    """Append a client's update to a case's public timeline (see the module's rules)."""
    errors: list[str] = []
    reference = form.text("service_request_id")
    status = (form.text("status") or "").upper()
    if reference is None:
        errors.append("service_request_id: is required")
    if not status:
        errors.append("status: is required")
    elif status not in FROM_EXTENDED:
        errors.append(f"status: {status[:40]!r} is not one of {', '.join(sorted(FROM_EXTENDED))}")
    stamp = form.text("updated_datetime")
    if stamp is not None:
        try:
            parse_datetime(stamp)
        except ValueError:
            errors.append("updated_datetime: is not an ISO 8601 date-time with a time zone")
    description = _description(form, errors)
    urls = _media_urls(form, errors)
    update_id = form.text("update_id")
    if update_id is not None and len(update_id) > 100:
        errors.append("update_id: is longer than 100 characters")
    if errors:
        raise bad_request(*errors)
    assert reference is not None
    case = case_repository.get_public(session, jurisdiction.id, reference)
    if case is None:
        raise not_found(f"service request {reference[:40]} not found")
    reopen = status in REOPENING and workflow.is_closed(CaseStatus(case.status))
    if not description and not reopen:
        raise bad_request("description: is required")
    event = add_client_update(
        session,
        case,
        client,
        body=description or None,
        data={
            "client_update_id": update_id,
            "requested_status": status,
            "media_url": urls[0] if urls else None,
        },
        reopen=reopen,
    )
    return [{"update_id": str(event.id)}]


def add_client_update(
    session: Session,
    case: Case,
    client: Open311Client,
    *,
    body: str | None,
    data: dict[str, Any],
    reopen: bool,
) -> CaseEvent:
    """A public timeline entry by a client application, audited; reopens the
    case first when asked to (the transition records its own event and audit)."""
    return case_service.add_update_from_requester(
        session,
        actor_of(client),
        case,
        body=body,
        reopen=reopen,
        data=data,
        audit_details={
            "channel": str(Channel.OPEN311),
            "requested_status": data.get("requested_status"),
        },
    )


def check_client_jurisdiction(client: Open311Client, jurisdiction: JurisdictionInfo) -> None:
    if client.jurisdiction_id != jurisdiction.id:
        raise Open311Error(403, ["this api_key is not valid for this jurisdiction"])
