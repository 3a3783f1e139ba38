"""A council with the departments the default register names, staff in each, and a
person holding data in every category."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy.orm import Session

from czrm.auth.models import Role, StaffUser
from czrm.auth.subject import SYSTEM
from czrm.cases.models import Case
from czrm.identity.importer import import_rows
from czrm.identity.models import IdentityLink, LinkMethod
from czrm.identity.service import source_system_service
from czrm.people import identifiers, profile
from czrm.people.models import ContactKind, Person, RelationshipType, RoleType
from czrm.people.service import RequesterDetails, find_or_create_requester
from czrm.privacy.canary import CANARY_DOB, CANARY_NI, CANARY_NOTE
from tests.factories import World, create_case, create_department, create_staff

# Everything the person below holds, by category.
PRESENT = {
    "identity",
    "contact",
    "communication_needs",
    "health_social_care",
    "housing",
    "financial",
    "relationships",
    "service_history",
    "linkage",
}


@dataclass
class PrivacyWorld:
    world: World
    revenues_officer: StaffUser
    care_worker: StaffUser
    fraud_officer: StaffUser
    person: Person
    absorbed: Person
    case: Case


def build_privacy_world(session: Session) -> PrivacyWorld:
    world = World(session)
    revenues = create_department(session, world.jurisdiction, code="REVENUES")
    care = create_department(session, world.jurisdiction, code="ADULT_SOCIAL_CARE")
    fraud = create_department(session, world.jurisdiction, code="FRAUD", name="Counter Fraud")
    person = find_or_create_requester(
        session,
        world.jurisdiction.id,
        RequesterDetails(given_name="Ada", family_name="King", email="ada@example.org"),
    )
    person.date_of_birth = CANARY_DOB
    identifiers.add(session, person.id, scheme="ni_number", value=CANARY_NI, issuer="HMRC")
    profile.add_contact(session, SYSTEM, person, ContactKind.PHONE, "07700 900123")
    profile.set_needs(session, SYSTEM, person, language="cy", notes=CANARY_NOTE)
    profile.add_role(session, SYSTEM, person, RoleType.TENANT, valid_from=date(2015, 1, 1))
    profile.add_role(session, SYSTEM, person, RoleType.COUNCIL_TAX_PAYER)
    profile.add_role(session, SYSTEM, person, RoleType.SERVICE_USER)
    carer = Person(jurisdiction_id=world.jurisdiction.id, display_name="Byron King")
    session.add(carer)
    session.flush()
    profile.relate(session, SYSTEM, carer, RelationshipType.CARER_OF, person)
    household = profile.create_household(
        session, SYSTEM, world.jurisdiction.id, name="12 Mill Road", postcode="NM1 2AB"
    )
    profile.relate(session, SYSTEM, person, RelationshipType.HOUSEHOLD_MEMBER, household)
    absorbed = find_or_create_requester(
        session, world.jurisdiction.id, RequesterDetails(given_name="A", email="a.k@example.org")
    )
    absorbed.merged_into_id = person.id
    for code, category, row in (
        (
            "care",
            "health_social_care",
            {"external_id": "C1", "first_name": "Ada", "surname": "King", "need": "dementia"},
        ),
        (
            "tax",
            "financial",
            {
                "external_id": "T1",
                "first_name": "Ada",
                "surname": "King",
                "ni_number": CANARY_NI,
                "date_of_birth": CANARY_DOB.isoformat(),
                "band": "D",
            },
        ),
    ):
        system = source_system_service.register(
            session, SYSTEM, world.jurisdiction.id, code=code, name=code, data_category=category
        )
        report = import_rows(session, SYSTEM, system, [(1, row)], collect_new_ids=True)
        session.add(
            IdentityLink(
                source_record_id=report.new_record_ids[0],
                person_id=person.id,
                probability=1.0,
                method=LinkMethod.CLERICAL,
                decided_by="test",
            )
        )
    case = create_case(session, world.pothole, requester=person)
    create_case(session, world.repair, requester=absorbed)
    session.flush()
    return PrivacyWorld(
        world=world,
        revenues_officer=create_staff(session, world.jurisdiction, [Role.CASEWORKER], [revenues]),
        care_worker=create_staff(session, world.jurisdiction, [Role.CASEWORKER], [care]),
        fraud_officer=create_staff(session, world.jurisdiction, [Role.CASEWORKER], [fraud]),
        person=person,
        absorbed=absorbed,
        case=case,
    )


@pytest.fixture
def pw(session: Session) -> PrivacyWorld:
    return build_privacy_world(session)
