"""A known synthetic person whose sensitive values must never appear in clear in a
database dump: the demo seeds it, and the encryption tests look for it."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from czrm.auth.subject import Actor
from czrm.identity.importer import import_rows
from czrm.identity.models import IdentityLink, LinkMethod
from czrm.identity.service import source_system_service
from czrm.people import identifiers, profile
from czrm.people.models import Identifier, Person

# Synthetic, in the NI number format identity matching accepts (it standardises it).
CANARY_NI = "WX918273D"
CANARY_DOB = date(1919, 9, 19)
CANARY_NOTE = "canary-note-7f3e: needs a hoist for transfers"
CANARY_SYSTEM = "canary"


def seed_canary(session: Session, actor: Actor, jurisdiction_id: uuid.UUID) -> uuid.UUID:
    """The canary person (idempotent): an NI number, a date of birth, a needs note,
    and a departmental record holding both as received."""
    index = identifiers.index_of("ni_number", CANARY_NI)
    found = session.scalar(
        select(Identifier.party_id).where(
            Identifier.scheme == "ni_number", Identifier.value_index == index
        )
    )
    if found is not None:
        return found
    person = Person(
        jurisdiction_id=jurisdiction_id,
        display_name="Canary Test",
        given_name="Canary",
        family_name="Test",
        date_of_birth=CANARY_DOB,
    )
    session.add(person)
    session.flush()
    identifiers.add(session, person.id, scheme="ni_number", value=CANARY_NI, issuer="HMRC")
    profile.set_needs(session, actor, person, notes=CANARY_NOTE)
    system = source_system_service.register(
        session, actor, jurisdiction_id, code=CANARY_SYSTEM, name="Encryption canary (synthetic)"
    )
    row = {
        "external_id": "CANARY-1",
        "first_name": "Canary",
        "surname": "Test",
        "date_of_birth": CANARY_DOB.isoformat(),
        "ni_number": CANARY_NI,
    }
    report = import_rows(session, actor, system, [(1, row)], collect_new_ids=True)
    session.add(
        IdentityLink(
            source_record_id=report.new_record_ids[0],
            person_id=person.id,
            probability=1.0,
            method=LinkMethod.CLERICAL,
            decided_by=actor.label,
        )
    )
    session.flush()
    return person.id
