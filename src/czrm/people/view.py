"""The 360° view of one person: everything the council holds, assembled in one place.

This is the single function the privacy work will filter by purpose, so every
part of the view is gathered here and nowhere else. Each read is recorded in
the audit log (who looked, never what they saw).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from czrm.audit.service import record
from czrm.auth.subject import Permission, Subject
from czrm.cases.workflow import open311_status
from czrm.errors import NotFound
from czrm.identity import repository as identity_repository
from czrm.interactions import repository as interaction_repository
from czrm.kit.pagination import PageParams
from czrm.people import identifiers, repository

CASES_PAGE = PageParams(1, 20)
RECORDS_PAGE = PageParams(1, 50)
INTERACTIONS_PAGE = PageParams(1, 20)


def _iso(value: Any) -> Any:
    return value.isoformat() if value is not None and hasattr(value, "isoformat") else value


def person_view(
    session: Session,
    subject: Subject,
    person_id: uuid.UUID,
    *,
    cases: PageParams = CASES_PAGE,
    records: PageParams = RECORDS_PAGE,
    interactions: PageParams = INTERACTIONS_PAGE,
) -> dict[str, Any]:
    subject.require(Permission.CASES_READ)
    person = repository.readable_person(session, subject, person_id)
    if person is None:
        raise NotFound("person", person_id)
    absorbed = repository.absorbed_into(session, person.id)
    ids = [person.id, *absorbed]
    needs = repository.needs(session, person.id)
    case_total, case_rows = repository.cases_page(
        session, subject, ids, offset=cases.offset, limit=cases.page_size
    )
    linked = identity_repository.records_by_system(session, ids)
    contact_total, contacts = interaction_repository.page(
        session,
        interaction_repository.search_statement(
            subject, interaction_repository.InteractionFilters(person_ids=ids)
        ),
        offset=interactions.offset,
        limit=interactions.page_size,
    )
    record(
        session,
        subject.actor,
        action="person_viewed",
        entity_type="person",
        entity_id=person.id,
        jurisdiction_id=person.jurisdiction_id,
        details={"purpose": "casework"},
    )
    return {
        "id": person.id,
        "display_name": person.display_name,
        "given_name": person.given_name,
        "middle_names": person.middle_names,
        "family_name": person.family_name,
        "date_of_birth": _iso(person.date_of_birth),
        "preferred_language": person.preferred_language,
        "merged_into_id": person.merged_into_id,
        "merged_person_ids": absorbed,
        "previous_names": [
            {
                "kind": n.kind,
                "given_name": n.given_name,
                "family_name": n.family_name,
                "valid_from": _iso(n.valid_from),
                "valid_to": _iso(n.valid_to),
            }
            for n in repository.names(session, person.id)
        ],
        "roles": [
            {
                "role": r.role,
                "department_id": r.department_id,
                "valid_from": _iso(r.valid_from),
                "valid_to": _iso(r.valid_to),
                "reference": r.reference,
            }
            for r in repository.roles(session, ids)
        ],
        "relationships": [
            {
                "type": rel.type,
                "direction": "outgoing" if rel.from_party_id in ids else "incoming",
                "other_party_id": rel.to_party_id
                if rel.from_party_id in ids
                else rel.from_party_id,
                "other_party_name": to_name if rel.from_party_id in ids else from_name,
                "valid_from": _iso(rel.valid_from),
                "valid_to": _iso(rel.valid_to),
                "scope": rel.scope,
                "expires_on": _iso(rel.expires_on),
            }
            for rel, from_name, to_name in repository.relationships(session, ids)
        ],
        "contact_points": [
            {
                "kind": c.kind,
                "value": c.value,
                "preferred": c.preferred,
                "verified": c.verified_at is not None,
                "valid_from": _iso(c.valid_from),
                "valid_to": _iso(c.valid_to),
            }
            for c in repository.contact_points(session, ids)
        ],
        "identifiers": [
            {
                "scheme": i.scheme,
                "value": identifiers.masked(i),
                "issuer": i.issuer,
                "verified": i.verified_at is not None,
            }
            for i in repository.identifiers(session, ids)
        ],
        "communication_needs": None
        if needs is None
        else {
            "language": needs.language,
            "accessible_formats": needs.accessible_formats,
            "interpreter_language": needs.interpreter_language,
            "digitally_excluded": needs.digitally_excluded,
            "prefers_human": needs.prefers_human,
        },
        "source_records": _records_by_system(linked, records),
        "cases": {
            "total": case_total,
            "page": cases.page,
            "page_size": cases.page_size,
            "items": [
                {
                    "id": c.id,
                    "reference": c.reference,
                    "status": c.status,
                    "open311_status": open311_status(c.status),
                    "opened_at": _iso(c.opened_at),
                    "department_id": c.department_id,
                }
                for c in case_rows
            ],
        },
        "interactions": {
            "total": contact_total,
            "page": interactions.page,
            "page_size": interactions.page_size,
            "items": [
                {
                    "id": i.id,
                    "channel": i.channel,
                    "direction": i.direction,
                    "occurred_at": _iso(i.occurred_at),
                    "subject": i.subject,
                    "outcome": i.outcome,
                    "case_id": i.case_id,
                    "on_behalf": i.representative_id is not None,
                }
                for i in contacts
            ],
        },
    }


def _records_by_system(linked: list[Any], paging: PageParams) -> dict[str, Any]:
    page = linked[paging.offset : paging.offset + paging.page_size]
    systems: dict[str, list[dict[str, Any]]] = {}
    for source, system, link in page:
        systems.setdefault(system.code, []).append(
            {
                "record_id": source.id,
                "external_id": source.external_id,
                "received": source.data,
                "link": {
                    "probability": round(link.probability, 6),
                    "method": link.method,
                    "decided_by": link.decided_by,
                    "linked_at": _iso(link.linked_at),
                },
            }
        )
    return {
        "total": len(linked),
        "page": paging.page,
        "page_size": paging.page_size,
        "systems": systems,
    }
