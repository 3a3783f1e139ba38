"""Intake flows shared by the CLI, the bulk API and the worker."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from czrm.audit.service import record
from czrm.auth.subject import SYSTEM, Actor
from czrm.cases.models import Case
from czrm.cases.service import case_service
from czrm.communications.service import communication_service
from czrm.identity import modelstore, repository
from czrm.identity.importer import ImportReport, import_rows
from czrm.identity.matching import link_new_record
from czrm.identity.models import SourceSystem
from czrm.identity.readers import Row, read_rows
from czrm.identity.service import source_system_service
from czrm.people import service as people
from czrm.people.models import Person

REQUESTS_SYSTEM = "service-requests"


def import_and_match(
    session: Session,
    actor: Actor,
    system: SourceSystem,
    rows: Iterable[tuple[int, Row]],
    *,
    progress: Callable[[int], None] | None = None,
    match: bool = True,
) -> dict[str, Any]:
    """Import rows; when a model exists (and ``match``), link each new record at once."""
    model = modelstore.latest(session, system.jurisdiction_id) if match else None
    report: ImportReport = import_rows(
        session, actor, system, rows, progress=progress, collect_new_ids=model is not None
    )
    outcome = asdict(report)
    outcome.update(linked=0, queued_for_review=0, new_persons=0)
    for record_id in report.new_record_ids:
        result = link_new_record(session, record_id)
        if result.decision == "link":
            outcome["linked"] += 1
        else:
            outcome["new_persons"] += 1
            outcome["queued_for_review"] += result.decision == "review"
    outcome.pop("new_record_ids")
    return outcome


def import_file(
    session: Session,
    actor: Actor,
    system: SourceSystem,
    path: Path,
    *,
    progress: Callable[[int], None] | None = None,
    match: bool = False,
) -> dict[str, Any]:
    return import_and_match(session, actor, system, read_rows(path), progress=progress, match=match)


def resolve_requester(
    session: Session, actor: Actor, jurisdiction_id: uuid.UUID, details: people.RequesterDetails
) -> Person:
    """The person behind a service request's contact details.

    Someone who already has the e-mail (else phone) is that person. Otherwise
    the contact is kept as a record of the council's service-request system
    and matched in real time like any departmental record: attached to the one
    person it clearly is, or given a new person — with the pair queued for a
    reviewer when it might be someone already known. A request never merges
    two people on its own.
    """
    found = people.find_requester(session, jurisdiction_id, details)
    if found is not None:
        return found
    system = _requests_system(session, actor, jurisdiction_id)
    # A contact with only a name cannot be told from the next one of that name.
    external_id = f"contact:{people.contact_key(details) or uuid.uuid4()}"
    row = {
        "external_id": external_id,
        "first_name": details.given_name,
        "surname": details.family_name,
        "email": details.email,
        "phone": details.phone,
    }
    try:
        with session.begin_nested():
            new_ids = import_rows(
                session, actor, system, [(1, row)], collect_new_ids=True
            ).new_record_ids
    except IntegrityError:  # the same new contact, kept a moment ago by a concurrent request
        new_ids = []
    if new_ids:
        result = link_new_record(session, new_ids[0], require_model=False)
        person_id, decision = result.linked_person_id, result.decision
    else:
        # Kept before under this contact, whose person no longer holds it (corrected):
        # the request still belongs to whoever that record is linked to.
        person_id = repository.person_of_record(session, system.id, external_id)
        decision = "link"
    person = session.get(Person, person_id) if person_id else None
    if person is None:
        return people.create_requester(session, jurisdiction_id, details)
    if decision != "link":
        # A new person: named as the requester wrote it, not as matching compares it.
        person.given_name = details.given_name or person.given_name
        person.family_name = details.family_name or person.family_name
        written = " ".join(p for p in (details.given_name, details.family_name) if p)
        person.display_name = (written or person.display_name)[:300]
        if details.language:
            person.preferred_language = details.language
    people.add_contacts(session, person, details)
    return person


def attach_requester(session: Session, case_id: int) -> str:
    """The worker's half of an intake: the person behind the contact details kept
    on a case becomes its requester, and is told the request arrived.

    Runs once per case; a retry after the commit finds nothing left to do.
    """
    case = session.get(Case, case_id, with_for_update=True)
    if case is None or case.requester_contact is None:
        return "nothing to attach"
    details = people.RequesterDetails(**case.requester_contact)
    person = resolve_requester(session, SYSTEM, case.jurisdiction_id, details)
    case.requester_id = person.id
    case.requester_contact = None
    record(
        session,
        SYSTEM,
        action="case_requester_attached",
        entity_type="case",
        entity_id=case.id,
        jurisdiction_id=case.jurisdiction_id,
        details={"person_id": str(person.id)},
    )
    communication_service.case_event(session, case, "request_received")
    case_service.tell_requester_so_far(session, case)
    return "attached"


def _requests_system(session: Session, actor: Actor, jurisdiction_id: uuid.UUID) -> SourceSystem:
    system = source_system_service.find(session, jurisdiction_id, REQUESTS_SYSTEM)
    if system is not None:
        return system
    try:
        with session.begin_nested():
            return source_system_service.register(
                session, actor, jurisdiction_id, code=REQUESTS_SYSTEM, name="Service requests"
            )
    except IntegrityError:  # registered by a concurrent request
        return source_system_service.get(session, jurisdiction_id, REQUESTS_SYSTEM)
