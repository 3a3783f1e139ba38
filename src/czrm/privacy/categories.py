"""Data categories, and the one mapping of every personal field to its category.

The 360° view, the subject-access export, erasure and the documentation all
read ``TABLES``. A table another area adds that refers to a person declares
its categories with ``__table_args__ = {"info": {"data_categories": {...}}}``
(column → category, ``None`` for operational columns) or, when it holds nothing
personal, ``{"info": {"not_personal": "why"}}``; a test fails until it does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from czrm.kit.i18n import N_


class DataCategory(StrEnum):
    IDENTITY = "identity"  # names, date of birth, national and council identifiers
    CONTACT = "contact"  # email, phone, postal address
    COMMUNICATION_NEEDS = "communication_needs"  # language, formats, interpreter
    RELATIONSHIPS = "relationships"  # household, family, representatives
    FINANCIAL = "financial"  # council tax, benefits, payments, fines
    HOUSING = "housing"  # tenancy, occupancy
    HEALTH_SOCIAL_CARE = "health_social_care"  # special category (Art. 9)
    CRIMINAL = "criminal"  # offences and allegations (Art. 10)
    LOCATION = "location"  # where a report was made, places linked to the person
    SERVICE_HISTORY = "service_history"  # requests, cases, interactions, departmental records
    LINKAGE = "linkage"  # how records were matched to the person


SPECIAL = frozenset({DataCategory.HEALTH_SOCIAL_CARE, DataCategory.CRIMINAL})
ALL = frozenset(DataCategory)

DESCRIPTIONS: dict[DataCategory, str] = {
    DataCategory.IDENTITY: N_("names, date of birth, national insurance and other identifiers"),
    DataCategory.CONTACT: N_("email addresses, phone numbers, postal addresses"),
    DataCategory.COMMUNICATION_NEEDS: N_("language, accessible formats, interpreter needs"),
    DataCategory.RELATIONSHIPS: N_("household members, family, carers, representatives"),
    DataCategory.FINANCIAL: N_("council tax accounts, benefits, payments and fines"),
    DataCategory.HOUSING: N_("tenancies and occupancy"),
    DataCategory.HEALTH_SOCIAL_CARE: N_("health and social care (special category)"),
    DataCategory.CRIMINAL: N_("offences, allegations and investigations (criminal offence data)"),
    DataCategory.LOCATION: N_("locations of reports and places linked to the person"),
    DataCategory.SERVICE_HISTORY: N_("requests, cases and records from council services"),
    DataCategory.LINKAGE: N_("how departmental records were matched to the person"),
}


class Erasure(StrEnum):
    DELETE = "delete"  # the rows go
    ANONYMISE = "anonymise"  # the row stays for operations; personal columns are cleared
    DETACH = "detach"  # the row stays (a statutory record); its person reference is cleared


@dataclass(frozen=True)
class TableSpec:
    """What a table holds about a person: column → category (None: not personal)."""

    columns: dict[str, DataCategory | None]
    erasure: Erasure = Erasure.DELETE
    # For ANONYMISE/DETACH: column → the value left behind.
    cleared: dict[str, Any] = field(default_factory=dict)

    def categories(self) -> frozenset[DataCategory]:
        return frozenset(c for c in self.columns.values() if c is not None)


C = DataCategory
TABLES: dict[str, TableSpec] = {
    "parties": TableSpec(
        {
            "id": None,
            "jurisdiction_id": None,
            "kind": None,
            "display_name": C.IDENTITY,
            "preferred_language": C.COMMUNICATION_NEEDS,
            "created_at": None,
            "updated_at": None,
        }
    ),
    "persons": TableSpec(
        {
            "id": None,
            "given_name": C.IDENTITY,
            "middle_names": C.IDENTITY,
            "family_name": C.IDENTITY,
            "date_of_birth": C.IDENTITY,
            "merged_into_id": C.LINKAGE,
        }
    ),
    "person_names": TableSpec(
        {
            "id": None,
            "person_id": None,
            "kind": C.IDENTITY,
            "given_name": C.IDENTITY,
            "family_name": C.IDENTITY,
            "valid_from": C.IDENTITY,
            "valid_to": C.IDENTITY,
        }
    ),
    # A role's own category depends on the role (ROLE_CATEGORIES); these are the defaults.
    "party_roles": TableSpec(
        {
            "id": None,
            "party_id": None,
            "role": C.SERVICE_HISTORY,
            "department_id": C.SERVICE_HISTORY,
            "valid_from": C.SERVICE_HISTORY,
            "valid_to": C.SERVICE_HISTORY,
            "reference": C.SERVICE_HISTORY,
            "created_at": None,
        }
    ),
    "relationships": TableSpec(
        {
            "id": None,
            "from_party_id": C.RELATIONSHIPS,
            "to_party_id": C.RELATIONSHIPS,
            "type": C.RELATIONSHIPS,
            "valid_from": C.RELATIONSHIPS,
            "valid_to": C.RELATIONSHIPS,
            "scope": C.RELATIONSHIPS,
            "expires_on": C.RELATIONSHIPS,
            "created_at": None,
        }
    ),
    "contact_points": TableSpec(
        {
            "id": None,
            "party_id": None,
            "kind": C.CONTACT,
            "value": C.CONTACT,
            "verified_at": C.CONTACT,
            "preferred": C.CONTACT,
            "valid_from": C.CONTACT,
            "valid_to": C.CONTACT,
            "postcode": C.CONTACT,
            "label": C.CONTACT,
        }
    ),
    "identifiers": TableSpec(
        {
            "id": None,
            "party_id": None,
            "scheme": C.IDENTITY,
            "value": C.IDENTITY,
            "value_index": None,
            "issuer": C.IDENTITY,
            "verified_at": C.IDENTITY,
            "created_at": None,
        }
    ),
    "communication_needs": TableSpec(
        {
            "party_id": None,
            "language": C.COMMUNICATION_NEEDS,
            "accessible_formats": C.COMMUNICATION_NEEDS,
            "interpreter_language": C.COMMUNICATION_NEEDS,
            "digitally_excluded": C.COMMUNICATION_NEEDS,
            "prefers_human": C.COMMUNICATION_NEEDS,
            # Free text about needs often records a disability or condition.
            "notes": C.HEALTH_SOCIAL_CARE,
            "updated_at": None,
        }
    ),
    "source_records": TableSpec(
        {
            "id": None,
            "jurisdiction_id": None,
            "system_id": C.SERVICE_HISTORY,
            "external_id": C.SERVICE_HISTORY,
            # The row as received: each key takes its standard field's category, other
            # keys the source system's category (see source_record_categories).
            "data": C.SERVICE_HISTORY,
            "first_name": C.IDENTITY,
            "first_name_key": C.IDENTITY,
            "middle_name": C.IDENTITY,
            "surname": C.IDENTITY,
            "surname_key": C.IDENTITY,
            "date_of_birth": C.IDENTITY,
            "date_of_birth_index": None,
            "address_line_1": C.CONTACT,
            "postcode": C.CONTACT,
            "email": C.CONTACT,
            "phone": C.CONTACT,
            "ni_number": C.IDENTITY,
            "ni_number_index": None,
            "received_at": None,
            "updated_at": None,
        }
    ),
    "identity_links": TableSpec(
        {
            "source_record_id": None,
            "person_id": None,
            "probability": C.LINKAGE,
            "method": C.LINKAGE,
            "decided_by": C.LINKAGE,
            "run_id": None,
            "linked_at": C.LINKAGE,
        }
    ),
    "review_items": TableSpec(
        {
            "id": None,
            "jurisdiction_id": None,
            "record_a_id": C.LINKAGE,
            "record_b_id": C.LINKAGE,
            "probability": C.LINKAGE,
            "match_weight": C.LINKAGE,
            "field_weights": C.LINKAGE,
            "status": C.LINKAGE,
            "model_id": None,
            "created_at": None,
            "decided_by_id": None,
            "decided_at": C.LINKAGE,
            "note": C.LINKAGE,
        }
    ),
    "merge_journal": TableSpec(
        {
            "id": None,
            "jurisdiction_id": None,
            "kind": C.LINKAGE,
            "from_person_id": C.LINKAGE,
            "to_person_id": C.LINKAGE,
            "moved_links": C.LINKAGE,
            "actor": None,
            "reason": C.LINKAGE,
            "created_at": C.LINKAGE,
            "undone_at": C.LINKAGE,
            "undone_by": None,
        }
    ),
    # Cases keep their operational data on erasure; the requester and what they wrote go.
    "cases": TableSpec(
        {
            "id": None,
            "jurisdiction_id": None,
            "service_id": None,
            "requester_id": C.IDENTITY,
            "requester_contact": C.CONTACT,
            "channel": C.SERVICE_HISTORY,
            "description": C.SERVICE_HISTORY,
            "attributes": C.SERVICE_HISTORY,
            "media_urls": C.SERVICE_HISTORY,
            "lat": C.LOCATION,
            "long": C.LOCATION,
            "address": C.LOCATION,
            "address_id": C.LOCATION,
            "postcode": C.LOCATION,
            "status": None,
            "sub_status": None,
            "priority": None,
            "department_id": None,
            "team_id": None,
            "assignee_id": None,
            "duplicate_of_id": None,
            "opened_at": C.SERVICE_HISTORY,
            "updated_at": None,
            "closed_at": None,
            "due_at": None,
            "paused_since": None,
            "paused_minutes": None,
            "breached_at": None,
            "escalated_to_id": None,
            "open311_token": None,
            "created_by_id": None,
        },
        erasure=Erasure.ANONYMISE,
        cleared={
            "requester_id": None,
            "requester_contact": None,
            "description": "[removed on erasure]",
            "attributes": {},
            "media_urls": [],
            "address": None,
            "address_id": None,
            "postcode": None,
            "open311_token": None,
        },
    ),
    "case_events": TableSpec(
        {
            "id": None,
            "case_id": None,
            "type": None,
            "occurred_at": None,
            "actor_staff_id": None,
            "actor_label": None,
            "public": None,
            "from_status": None,
            "to_status": None,
            "body": C.SERVICE_HISTORY,
            "data": C.SERVICE_HISTORY,
        },
        erasure=Erasure.ANONYMISE,
        cleared={"body": None, "data": {}},
    ),
    "access_log": TableSpec(
        {
            "id": None,
            "jurisdiction_id": None,
            "person_id": None,
            "occurred_at": None,
            "staff_id": None,
            "reader": None,
            "departments": None,
            "purpose_code": None,
            "lawful_basis": None,
            "categories": None,
            "action": None,
            "what": None,
            "covert": None,
            "disclose_after": None,
            "covert_reason": None,
        }
    ),
    # The request itself is a statutory record kept after erasure, without the person.
    "subject_requests": TableSpec(
        {
            "id": None,
            "jurisdiction_id": None,
            "reference": None,
            "person_id": C.IDENTITY,
            "kind": None,
            "status": None,
            "received_on": None,
            "due_on": None,
            "extended_due_on": None,
            "extension_reason": None,
            "channel": None,
            "completed_at": None,
            "outcome": None,
            "created_by_id": None,
            "created_at": None,
            "updated_at": None,
        },
        erasure=Erasure.DETACH,
        cleared={"person_id": None},
    ),
}

# A role or relationship says something of its own (a tenancy, a care need).
ROLE_CATEGORIES: dict[str, DataCategory] = {
    "council_tax_payer": C.FINANCIAL,
    "tenant": C.HOUSING,
    "leaseholder": C.HOUSING,
    "carer": C.HEALTH_SOCIAL_CARE,
    "service_user": C.HEALTH_SOCIAL_CARE,
    "permit_holder": C.LOCATION,
}
RELATIONSHIP_CATEGORIES: dict[str, DataCategory] = {
    "carer_of": C.HEALTH_SOCIAL_CARE,
}
IDENTIFIER_CATEGORIES: dict[str, DataCategory] = {
    "council_tax_account": C.FINANCIAL,
    "housing_tenancy": C.HOUSING,
    "nhs_number": C.HEALTH_SOCIAL_CARE,
}
# Standard fields of a source record (czrm.identity.records) → category.
STANDARD_FIELD_CATEGORIES: dict[str, DataCategory] = {
    "external_id": C.SERVICE_HISTORY,
    "first_name": C.IDENTITY,
    "middle_name": C.IDENTITY,
    "surname": C.IDENTITY,
    "date_of_birth": C.IDENTITY,
    "ni_number": C.IDENTITY,
    "address_line_1": C.CONTACT,
    "postcode": C.CONTACT,
    "email": C.CONTACT,
    "phone": C.CONTACT,
}


def role_category(role: str) -> DataCategory:
    return ROLE_CATEGORIES.get(role, C.SERVICE_HISTORY)


def relationship_category(kind: str) -> DataCategory:
    return RELATIONSHIP_CATEGORIES.get(kind, C.RELATIONSHIPS)


def identifier_category(scheme: str) -> DataCategory:
    return IDENTIFIER_CATEGORIES.get(scheme, C.IDENTITY)


def spec_for(table: Any) -> TableSpec | None:
    """The table's spec: the mapping above, or what the table declares in its ``info``."""
    if table.name in TABLES:
        return TABLES[table.name]
    declared = table.info.get("data_categories")
    if declared is None:
        return None
    return TableSpec(
        {k: DataCategory(v) if v is not None else None for k, v in declared.items()},
        erasure=Erasure(table.info.get("erasure", Erasure.DELETE)),
        cleared=dict(table.info.get("cleared", {})),
    )


def not_personal_reason(table: Any) -> str | None:
    reason = table.info.get("not_personal")
    return str(reason) if reason else NOT_PERSONAL.get(table.name)


# Tables that refer to a person's rows but hold nothing about the person.
NOT_PERSONAL: dict[str, str] = {}
