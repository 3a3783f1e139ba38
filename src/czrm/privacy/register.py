"""The default register of processing for a UK council, loaded into a jurisdiction
the first time it is needed (seed, demo, or the first purpose-bound read).

Department codes follow the synthetic council's (``czrm.seed``); a council
edits the register through the API to match its own structure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from czrm.privacy.categories import DataCategory as C
from czrm.privacy.models import LawfulBasis as B


@dataclass(frozen=True)
class PurposeSpec:
    code: str
    name: str
    description: str
    lawful_basis: B
    categories: tuple[C, ...]
    retention: str
    retention_days: int | None
    departments: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    special_condition: str | None = None
    legislation: str | None = None
    covert: bool = False
    disclosure_delay_days: int | None = None
    extra: dict[str, str] = field(default_factory=dict)


YEAR = 365
STAFF = ("agent", "caseworker", "manager", "admin")
DEFAULT_REGISTER: tuple[PurposeSpec, ...] = (
    PurposeSpec(
        "casework",
        "Handling service requests",
        "Receiving, routing and resolving reports and requests, and replying to the person.",
        B.PUBLIC_TASK,
        (
            C.IDENTITY,
            C.CONTACT,
            C.COMMUNICATION_NEEDS,
            C.RELATIONSHIPS,
            C.SERVICE_HISTORY,
            C.LOCATION,
        ),
        "6 years after the case closes",
        6 * YEAR,
        roles=STAFF,
        legislation="Local Government Act 1972 s.111; the service's own statute",
    ),
    PurposeSpec(
        "council_tax",
        "Council tax billing and recovery",
        "Liability, billing, discounts, exemptions and recovery of council tax.",
        B.LEGAL_OBLIGATION,
        (C.IDENTITY, C.CONTACT, C.FINANCIAL, C.HOUSING, C.SERVICE_HISTORY, C.RELATIONSHIPS),
        "6 years after the end of the financial year",
        7 * YEAR,
        departments=("REVENUES",),
        legislation="Local Government Finance Act 1992",
    ),
    PurposeSpec(
        "housing_management",
        "Housing management",
        "Tenancies, repairs, allocations and rent accounts of council homes.",
        B.PUBLIC_TASK,
        (
            C.IDENTITY,
            C.CONTACT,
            C.COMMUNICATION_NEEDS,
            C.HOUSING,
            C.FINANCIAL,
            C.RELATIONSHIPS,
            C.SERVICE_HISTORY,
            C.LOCATION,
        ),
        "6 years after the tenancy ends",
        6 * YEAR,
        departments=("HOUSING",),
        legislation="Housing Act 1985; Housing Act 1996",
    ),
    PurposeSpec(
        "adult_social_care",
        "Adult social care",
        "Assessing and meeting care and support needs, and safeguarding adults.",
        B.PUBLIC_TASK,
        (
            C.IDENTITY,
            C.CONTACT,
            C.COMMUNICATION_NEEDS,
            C.RELATIONSHIPS,
            C.HEALTH_SOCIAL_CARE,
            C.HOUSING,
            C.FINANCIAL,
            C.SERVICE_HISTORY,
        ),
        "8 years after the last contact",
        8 * YEAR,
        departments=("ADULT_SOCIAL_CARE",),
        special_condition="Art. 9(2)(h) health or social care (DPA 2018 Sch. 1 para 2)",
        legislation="Care Act 2014",
    ),
    PurposeSpec(
        "parking_enforcement",
        "Parking enforcement and permits",
        "Penalty charge notices, appeals and residents' permits.",
        B.PUBLIC_TASK,
        (C.IDENTITY, C.CONTACT, C.LOCATION, C.FINANCIAL, C.SERVICE_HISTORY),
        "6 years after the penalty or permit ends",
        6 * YEAR,
        departments=("PARKING",),
        legislation="Traffic Management Act 2004",
    ),
    PurposeSpec(
        "library_services",
        "Library services",
        "Membership, loans and accessible-format services.",
        B.PUBLIC_TASK,
        (C.IDENTITY, C.CONTACT, C.COMMUNICATION_NEEDS, C.SERVICE_HISTORY),
        "2 years after membership lapses",
        2 * YEAR,
        departments=("LIBRARIES",),
        legislation="Public Libraries and Museums Act 1964",
    ),
    PurposeSpec(
        "fraud_investigation",
        "Fraud investigation (covert)",
        "Preventing and detecting fraud against the council; the person is told after "
        "the investigation unless that would prejudice it.",
        B.LEGAL_OBLIGATION,
        (
            C.IDENTITY,
            C.CONTACT,
            C.FINANCIAL,
            C.HOUSING,
            C.RELATIONSHIPS,
            C.CRIMINAL,
            C.LOCATION,
            C.SERVICE_HISTORY,
        ),
        "6 years after the investigation closes",
        6 * YEAR,
        departments=("FRAUD", "REVENUES"),
        roles=("caseworker", "manager"),
        special_condition=(
            "Art. 10 with DPA 2018 Sch. 1 para 10 (preventing or detecting unlawful acts); "
            "Sch. 2 para 2 crime and taxation exemption from notification"
        ),
        legislation="Prevention of Social Housing Fraud Act 2013; Fraud Act 2006",
        covert=True,
        disclosure_delay_days=YEAR,
    ),
    PurposeSpec(
        "service_updates",
        "Service updates",
        "Telling the person about progress on what they asked for.",
        B.PUBLIC_TASK,
        (C.IDENTITY, C.CONTACT, C.COMMUNICATION_NEEDS),
        "as long as the case it concerns",
        6 * YEAR,
        roles=STAFF,
    ),
    PurposeSpec(
        "consultation",
        "Consultation and engagement",
        "Inviting the person to consultations they opted into.",
        B.CONSENT,
        (C.IDENTITY, C.CONTACT, C.COMMUNICATION_NEEDS),
        "until consent is withdrawn, or 2 years after the last consultation",
        2 * YEAR,
        roles=STAFF,
    ),
    PurposeSpec(
        "identity_resolution",
        "Keeping the single view accurate",
        "Matching departmental records to the right person and correcting mismatches.",
        B.PUBLIC_TASK,
        (C.IDENTITY, C.CONTACT, C.LINKAGE, C.SERVICE_HISTORY),
        "as long as the linked records",
        None,
        roles=("caseworker", "manager", "admin"),
        legislation="UK GDPR Art. 5(1)(d) accuracy",
    ),
    PurposeSpec(
        "subject_rights",
        "Answering data protection rights requests",
        "Access, rectification, erasure, restriction, objection and portability requests.",
        B.LEGAL_OBLIGATION,
        tuple(C),
        "2 years after the request is closed",
        2 * YEAR,
        roles=("dpo", "admin"),
        special_condition=(
            "Art. 9(2)(g) substantial public interest (DPA 2018 Sch. 1 para 6, statutory "
            "purposes); Art. 10 with Sch. 1 para 6"
        ),
        legislation="UK GDPR Arts. 12-22; Data Protection Act 2018",
    ),
)
