"""Migration 0005 encrypts the values already stored and fills their blind indexes;
its downgrade restores them in clear."""

from __future__ import annotations

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from czrm.auth.subject import SYSTEM
from czrm.identity.models import SourceRecord
from czrm.kit import migrate
from czrm.people import identifiers
from czrm.people.models import CommunicationNeeds, Person
from czrm.privacy.canary import CANARY_DOB, CANARY_NI, CANARY_NOTE, seed_canary
from tests.factories import create_jurisdiction


def test_existing_values_are_encrypted_in_place_and_restored_on_downgrade(
    fresh_engine: Engine,
) -> None:
    with Session(fresh_engine) as session:
        jurisdiction_id = create_jurisdiction(session).id
        person_id = seed_canary(session, SYSTEM, jurisdiction_id)
        session.commit()
    migrate.downgrade(fresh_engine, "0003")
    with fresh_engine.connect() as conn:
        assert str(conn.execute(text("SELECT date_of_birth FROM persons")).scalar_one()) == (
            CANARY_DOB.isoformat()
        )
        assert conn.execute(text("SELECT value FROM identifiers")).scalar_one() == CANARY_NI
        assert conn.execute(text("SELECT ni_number FROM source_records")).scalar_one() == CANARY_NI
        assert conn.execute(text("SELECT notes FROM communication_needs")).scalar_one() == (
            CANARY_NOTE
        )
    migrate.upgrade(fresh_engine)
    with fresh_engine.connect() as conn:
        stored = conn.execute(text("SELECT date_of_birth FROM persons")).scalar_one()
        data, ni = conn.execute(text("SELECT data, ni_number FROM source_records")).one()
        notes = conn.execute(text("SELECT notes FROM communication_needs")).scalar_one()
    assert stored.startswith("test-1$") and CANARY_DOB.isoformat() not in stored
    assert CANARY_NI not in data and CANARY_NI not in ni and "canary-note" not in notes
    with Session(fresh_engine) as session:
        person = session.get(Person, person_id)
        assert person is not None and person.date_of_birth == CANARY_DOB
        needs = session.get(CommunicationNeeds, person_id)
        assert needs is not None and needs.notes == CANARY_NOTE
        record = session.scalars(select(SourceRecord)).one()
        assert record.data["ni_number"] == CANARY_NI and record.ni_number == CANARY_NI
        assert record.ni_number_index is not None and record.date_of_birth_index is not None
        assert identifiers.find_parties(
            session, jurisdiction_id, scheme="ni_number", value=CANARY_NI
        ) == [person_id]
    migrate.check(fresh_engine)
