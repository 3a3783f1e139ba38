"""Encryption at rest: no plaintext canary in a dump, rotation keeps every record
readable, a tampered value fails loudly, exact lookups still work."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, type_coerce, update
from sqlalchemy.orm import Session
from sqlalchemy.types import Text

from czrm.auth.models import Role
from czrm.auth.subject import SYSTEM
from czrm.identity.models import SourceRecord
from czrm.kit import crypto
from czrm.kit.registry import Base
from czrm.people import identifiers
from czrm.people.models import CommunicationNeeds, Identifier, Person
from czrm.privacy.canary import CANARY_DOB, CANARY_NI, CANARY_NOTE, seed_canary
from tests.factories import bearer, create_jurisdiction, create_staff

SECRETS = (b"WX918273D", b"1919-09-19", b"canary-note")


def _dump(engine: Engine) -> bytes:
    """The database as an attacker with the files would see it."""
    if engine.dialect.name == "sqlite":
        path = Path(str(engine.url.database))
        engine.dispose()  # checkpoint and close, as a copied file would be
        return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    url = engine.url.set(drivername="postgresql")
    return subprocess.run(
        ["pg_dump", "--no-owner", url.render_as_string(hide_password=False)],
        capture_output=True,
        check=True,
    ).stdout


@pytest.fixture
def seeded(fresh_engine: Engine) -> Iterator[Engine]:
    with Session(fresh_engine) as session:
        jurisdiction = create_jurisdiction(session)
        seed_canary(session, SYSTEM, jurisdiction.id)
        session.commit()
    yield fresh_engine


def test_a_dump_holds_no_plaintext_canary(seeded: Engine) -> None:
    dump = _dump(seeded)
    assert b"Canary" in dump  # the scan reads real data: names are not encrypted
    for secret in SECRETS:
        assert secret not in dump, secret


def test_rotation_re_encrypts_everything_and_leaves_it_readable(seeded: Engine) -> None:
    before = crypto.keyring()
    rotated = crypto.Keyring({**before.keys, "test-2": b"\x09" * 32}, "test-2", before.index_key)
    try:
        crypto.reset_keyring(rotated)
        with Session(seeded) as session:
            done = crypto.reencrypt(session, Base.metadata, batch=1, commit=session.commit)
            session.commit()
            assert done["persons.date_of_birth"] == 1
            assert done["source_records.data"] == 1
            usage = crypto.key_usage(session, Base.metadata)
        assert all(counts[before.primary] == 0 for counts in usage.values())
        assert usage["identifiers.value"]["test-2"] == 1
        # The old key can go: everything reads with the new one alone.
        crypto.reset_keyring(crypto.Keyring({"test-2": b"\x09" * 32}, "test-2", before.index_key))
        with Session(seeded) as session:
            person = session.scalars(select(Person).where(Person.given_name == "Canary")).one()
            assert person.date_of_birth == CANARY_DOB
            ident = session.scalars(select(Identifier)).one()
            assert identifiers.reveal(ident) == CANARY_NI
            record = session.scalars(select(SourceRecord)).one()
            assert record.data["ni_number"] == CANARY_NI and record.ni_number == CANARY_NI
            assert session.get(CommunicationNeeds, person.id).notes == CANARY_NOTE
            # Blind indexes do not change with rotation: lookups still find the person.
            assert identifiers.find_parties(
                session, person.jurisdiction_id, scheme="ni_number", value="wx 91 82 73 d"
            ) == [person.id]
    finally:
        crypto.reset_keyring(before)


def test_a_one_byte_tamper_in_the_database_fails_with_a_clear_error(
    session: Session, client: TestClient
) -> None:
    jurisdiction = create_jurisdiction(session)
    person_id = seed_canary(session, SYSTEM, jurisdiction.id)
    raw = type_coerce(Person.date_of_birth, Text)
    stored = session.scalar(select(raw).where(Person.id == person_id))
    assert stored is not None and stored.startswith("test-1$")
    tampered = stored[:-3] + ("A" if stored[-3] != "A" else "B") + stored[-2:]
    session.execute(
        update(Person.__table__)
        .where(Person.__table__.c.id == person_id)
        .values({"date_of_birth": type_coerce(tampered, Text)})
    )
    session.expire_all()
    with pytest.raises(crypto.DecryptionFailed, match="persons.date_of_birth"):
        session.scalar(select(Person.date_of_birth).where(Person.id == person_id))
    dpo = create_staff(session, jurisdiction, [Role.DPO])
    response = client.get(f"/api/v1/people/{person_id}", headers=bearer(session, dpo))
    assert response.status_code == 500
    assert response.json()["code"] == "decryption_failed"
    assert "Traceback" not in response.text


def test_identity_candidates_are_found_through_the_blind_indexes(session: Session) -> None:
    from czrm.identity.repository import candidate_statement

    jurisdiction = create_jurisdiction(session)
    seed_canary(session, SYSTEM, jurisdiction.id)
    stmt = candidate_statement(
        jurisdiction.id, {"ni_number": CANARY_NI, "date_of_birth": "1919-09-19"}
    )
    assert stmt is not None
    rows = session.execute(stmt).all()
    assert len(rows) == 1 and rows[0].date_of_birth == CANARY_DOB
    none = candidate_statement(jurisdiction.id, {"ni_number": "WX000000A"})
    assert none is not None and session.execute(none).all() == []
