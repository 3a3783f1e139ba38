"""The 360° view of one person: everything the council holds, assembled in one place,
filtered by the reader's purpose.

Every part carries its data category (``czrm.privacy.categories``); the
purpose's grant (``czrm.privacy.policy``) decides each part, and a withheld
part is marked withheld, never dropped. Each read writes an access-log row
(what categories were shown, for which purpose) and an audit entry (who
looked, never what they saw), in the reader's transaction.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from czrm.audit.service import record
from czrm.auth.subject import Subject
from czrm.cases.models import format_reference
from czrm.cases.workflow import open311_status
from czrm.errors import FieldError, NotFound, ValidationFailed
from czrm.identity import repository as identity_repository
from czrm.interactions import repository as interaction_repository
from czrm.kit.pagination import PageParams
from czrm.people import identifiers, repository
from czrm.people.models import Person
from czrm.privacy.access_log import log_access
from czrm.privacy.categories import (
    STANDARD_FIELD_CATEGORIES,
    DataCategory,
    identifier_category,
    relationship_category,
    role_category,
)
from czrm.privacy.models import AccessAction
from czrm.privacy.policy import Disclosure, Grant, grant_for, withheld

C = DataCategory
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
    purpose: str | None = None,
    cases: PageParams = CASES_PAGE,
    records: PageParams = RECORDS_PAGE,
    interactions: PageParams = INTERACTIONS_PAGE,
) -> dict[str, Any]:
    grant = grant_for(session, subject, purpose)
    person = repository.readable_person(session, subject, person_id)
    if person is None:
        raise NotFound("person", person_id)
    view = _assemble(
        session, grant, person, cases=cases, records=records, interactions=interactions
    )
    log_access(
        session,
        grant,
        [person.id],
        action=AccessAction.VIEWED,
        what="full record (360° view)",
        categories=view.shown,
    )
    record(
        session,
        subject.actor,
        action="person_viewed",
        entity_type="person",
        entity_id=person.id,
        jurisdiction_id=person.jurisdiction_id,
        details={"purpose": grant.purpose_code},
    )
    return view.result


class _View:
    def __init__(self, disclosure: Disclosure) -> None:
        self.disclosure = disclosure
        self.result: dict[str, Any] = {}

    @property
    def shown(self) -> set[DataCategory]:
        return self.disclosure.shown


def _assemble(
    session: Session,
    grant: Grant,
    person: Person,
    *,
    cases: PageParams,
    records: PageParams,
    interactions: PageParams,
) -> _View:
    d = grant.disclosure()
    view = _View(d)
    absorbed = repository.absorbed_into(session, person.id)
    ids = [person.id, *absorbed]
    needs = repository.needs(session, person.id)
    view.result = {
        "id": person.id,
        "purpose": {"code": grant.purpose_code, "name": grant.purpose_name},
        "display_name": d.value(C.IDENTITY, person.display_name),
        "given_name": d.value(C.IDENTITY, person.given_name),
        "middle_names": d.value(C.IDENTITY, person.middle_names),
        "family_name": d.value(C.IDENTITY, person.family_name),
        "date_of_birth": d.value(C.IDENTITY, lambda: _iso(person.date_of_birth)),
        "preferred_language": d.value(C.COMMUNICATION_NEEDS, person.preferred_language),
        "merged_into_id": person.merged_into_id,
        "merged_person_ids": d.value(C.LINKAGE, absorbed),
        "previous_names": d.value(
            C.IDENTITY,
            lambda: [
                {
                    "kind": n.kind,
                    "given_name": n.given_name,
                    "family_name": n.family_name,
                    "valid_from": _iso(n.valid_from),
                    "valid_to": _iso(n.valid_to),
                }
                for n in repository.names(session, person.id)
            ],
        ),
        "roles": [
            d.value(
                role_category(r.role),
                {
                    "role": r.role,
                    "department_id": r.department_id,
                    "valid_from": _iso(r.valid_from),
                    "valid_to": _iso(r.valid_to),
                    "reference": r.reference,
                },
            )
            for r in repository.roles(session, ids)
        ],
        "relationships": [
            d.value(
                relationship_category(rel.type),
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
                },
            )
            for rel, from_name, to_name in repository.relationships(session, ids)
        ],
        "contact_points": d.value(
            C.CONTACT,
            lambda: [
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
        ),
        "identifiers": [
            d.value(
                identifier_category(i.scheme),
                {
                    "scheme": i.scheme,
                    "value": identifiers.masked(i),
                    "issuer": i.issuer,
                    "verified": i.verified_at is not None,
                },
            )
            for i in repository.identifiers(session, ids)
        ],
        "communication_needs": None
        if needs is None
        else d.value(
            C.COMMUNICATION_NEEDS,
            {
                "language": needs.language,
                "accessible_formats": needs.accessible_formats,
                "interpreter_language": needs.interpreter_language,
                "digitally_excluded": needs.digitally_excluded,
                "prefers_human": needs.prefers_human,
                "notes": d.value(C.HEALTH_SOCIAL_CARE, needs.notes) if needs.notes else None,
            },
        ),
        "source_records": _records_by_system(
            d,
            *identity_repository.records_page(
                session, ids, offset=records.offset, limit=records.page_size
            ),
            records,
        ),
        "cases": d.value(C.SERVICE_HISTORY, lambda: _cases(session, grant, ids, cases)),
        "interactions": d.value(
            C.SERVICE_HISTORY, lambda: _interactions(session, grant, ids, interactions)
        ),
    }
    return view


def _cases(
    session: Session, grant: Grant, ids: list[uuid.UUID], paging: PageParams
) -> dict[str, Any]:
    total, rows = repository.cases_page(
        session, grant.subject, ids, offset=paging.offset, limit=paging.page_size
    )
    return {
        "total": total,
        "page": paging.page,
        "page_size": paging.page_size,
        "items": [
            {
                "id": c.id,
                "reference": format_reference(c.opened_at.year, c.id),
                "status": c.status,
                "open311_status": open311_status(c.status),
                "opened_at": _iso(c.opened_at),
                "department_id": c.department_id,
            }
            for c in rows
        ],
    }


def _interactions(
    session: Session, grant: Grant, ids: list[uuid.UUID], paging: PageParams
) -> dict[str, Any]:
    total, rows = interaction_repository.page(
        session,
        interaction_repository.search_statement(
            grant.subject, interaction_repository.InteractionFilters(person_ids=ids)
        ),
        offset=paging.offset,
        limit=paging.page_size,
    )
    return {
        "total": total,
        "page": paging.page,
        "page_size": paging.page_size,
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
            for i in rows
        ],
    }


def _received(d: Disclosure, data: dict[str, Any], mapping: dict[str, str], own: C) -> Any:
    """The row as received, key by key: a key mapped to a standard field takes that
    field's category, any other key the source system's own category."""
    fields = {mapping.get(f, f): f for f in STANDARD_FIELD_CATEGORIES}
    return {
        key: d.value(STANDARD_FIELD_CATEGORIES[fields[key]] if key in fields else own, value)
        for key, value in data.items()
    }


def _records_by_system(
    d: Disclosure, total: int, page: list[Any], paging: PageParams
) -> dict[str, Any]:
    systems: dict[str, list[dict[str, Any]]] = {}
    # Being on a system can itself say too much (social care): such records are
    # counted as withheld without naming the system.
    hidden: list[dict[str, Any]] = []
    for row in page:
        own = C(row.data_category)
        if not d.grant.allows(own):
            hidden.append(withheld(own))
            continue
        systems.setdefault(row.system_code, []).append(
            {
                "record_id": row.record_id,
                "external_id": d.value(C.SERVICE_HISTORY, row.external_id),
                "category": own.value,
                "received": _received(d, row.data, row.field_mapping, own),
                "link": d.value(
                    C.LINKAGE,
                    {
                        "probability": round(row.probability, 6),
                        "method": row.method,
                        "decided_by": row.decided_by,
                        "linked_at": _iso(row.linked_at),
                    },
                ),
            }
        )
    return {
        "total": total,
        "page": paging.page,
        "page_size": paging.page_size,
        "systems": systems,
        "withheld": hidden,
    }


def person_search(
    session: Session,
    subject: Subject,
    *,
    purpose: str | None,
    identifier_scheme: str | None,
    identifier: str | None,
    family_name: str | None,
    given_name: str | None,
) -> dict[str, Any]:
    """Exact identifier (through its blind index) or name prefix; every person listed
    is an access-log row, since a result list discloses who they are."""
    grant = grant_for(session, subject, purpose)
    if identifier is not None or identifier_scheme is not None:
        if not identifier or not identifier_scheme:
            field = "identifier" if not identifier else "identifier_scheme"
            raise ValidationFailed([FieldError(field, "give identifier_scheme and identifier")])
        ids = identifiers.find_parties(
            session, subject.jurisdiction_id, scheme=identifier_scheme, value=identifier
        )
        found = repository.persons_by_ids(session, subject, ids)
        what = f"search by {identifier_scheme}"
    elif family_name:
        found = repository.search_by_name(
            session, subject, family_name=family_name, given_name=given_name
        )
        what = "search by name"
    else:
        raise ValidationFailed([FieldError("family_name", "give a name or an identifier")])
    d = grant.disclosure()
    items = [
        {
            "id": p.id,
            "display_name": d.value(C.IDENTITY, p.display_name),
            "date_of_birth": d.value(C.IDENTITY, lambda p=p: _iso(p.date_of_birth)),
            "merged_into_id": p.merged_into_id,
        }
        for p in found
    ]
    log_access(
        session,
        grant,
        [p.id for p in found],
        action=AccessAction.LISTED,
        what=what,
        categories=d.shown,
    )
    record(
        session,
        subject.actor,
        action="people_searched",
        entity_type="jurisdiction",
        entity_id=subject.jurisdiction_id,
        jurisdiction_id=subject.jurisdiction_id,
        details={"purpose": grant.purpose_code, "by": what, "results": len(items)},
    )
    return {"purpose": {"code": grant.purpose_code, "name": grant.purpose_name}, "items": items}


def requester_for_case(
    session: Session,
    subject: Subject,
    requester_id: uuid.UUID | None,
    *,
    purpose: str | None,
    what: str,
) -> dict[str, Any] | None:
    """The requester block of a case read: name and contact points as the purpose
    allows, recorded in the requester's access log."""
    if requester_id is None:
        return None
    person = repository.readable_person(session, subject, requester_id)
    if person is None:  # an organisation: no personal data to bind
        return None
    grant = grant_for(session, subject, purpose)
    d = grant.disclosure()
    block = {
        "id": person.id,
        "display_name": d.value(C.IDENTITY, person.display_name),
        "preferred_language": d.value(C.COMMUNICATION_NEEDS, person.preferred_language),
        "contact_points": d.value(
            C.CONTACT,
            lambda: [
                {"kind": c.kind, "value": c.value, "preferred": c.preferred}
                for c in repository.contact_points(session, [person.id])
            ],
        ),
    }
    log_access(
        session, grant, [person.id], action=AccessAction.CASE_READ, what=what, categories=d.shown
    )
    return block
