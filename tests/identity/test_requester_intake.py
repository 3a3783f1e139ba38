"""A service request's contact details join the single view as they arrive."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from czrm.auth.subject import SYSTEM
from czrm.identity.importer import import_rows
from czrm.identity.intake import REQUESTS_SYSTEM, resolve_requester
from czrm.identity.linking import link_all, person_of
from czrm.identity.models import IdentityLink, ReviewItem, SourceRecord, SourceSystem
from czrm.people.models import ContactKind, ContactPoint
from czrm.people.service import RequesterDetails
from tests.factories import World
from tests.identity.conftest import Loaded


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


def _request_records(session: Session) -> list[SourceRecord]:
    stmt = (
        select(SourceRecord)
        .join(SourceSystem, SourceSystem.id == SourceRecord.system_id)
        .where(SourceSystem.code == REQUESTS_SYSTEM)
    )
    return list(session.scalars(stmt.order_by(SourceRecord.id)))


def test_without_a_model_a_new_contact_is_kept_and_found_again(
    session: Session, world: World
) -> None:
    details = RequesterDetails(
        given_name="Ffion", family_name="Pryce", email="Ffion@Example.org", language="cy"
    )
    person = resolve_requester(session, SYSTEM, world.jurisdiction.id, details)
    assert (person.display_name, person.preferred_language) == ("Ffion Pryce", "cy")
    (kept,) = _request_records(session)
    assert (kept.external_id, kept.email) == ("contact:ffion@example.org", "ffion@example.org")
    assert person_of(session, kept.id) == person.id

    again = resolve_requester(
        session, SYSTEM, world.jurisdiction.id, RequesterDetails(email="ffion@example.org")
    )
    assert again.id == person.id
    assert len(_request_records(session)) == 1


def test_a_new_person_keeps_the_name_as_written(session: Session, world: World) -> None:
    details = RequesterDetails(given_name="Morgan", family_name="Walk-In", phone="01632 960 555")
    person = resolve_requester(session, SYSTEM, world.jurisdiction.id, details)
    assert (person.display_name, person.family_name) == ("Morgan Walk-In", "Walk-In")


def test_name_only_contacts_are_never_taken_for_each_other(session: Session, world: World) -> None:
    details = RequesterDetails(given_name="Sam", family_name="Jones")
    first = resolve_requester(session, SYSTEM, world.jurisdiction.id, details)
    second = resolve_requester(session, SYSTEM, world.jurisdiction.id, details)
    assert first.id != second.id
    assert len(_request_records(session)) == 2


def test_a_known_persons_contact_links_to_them_and_adds_the_phone(
    session: Session, loaded: Loaded
) -> None:
    link_all(session, SYSTEM, loaded.jurisdiction.id)
    library = session.get(SourceRecord, loaded.ids[("library", "library-1")])
    assert library is not None and library.email and library.surname
    known = person_of(session, library.id)
    details = RequesterDetails(
        given_name=(library.first_name or "").title(),
        family_name=library.surname.title(),
        email=library.email.upper(),
        phone="01632 960999",
    )
    person = resolve_requester(session, SYSTEM, loaded.jurisdiction.id, details)
    assert person.id == known
    (kept,) = _request_records(session)
    link = session.scalars(
        select(IdentityLink).where(IdentityLink.source_record_id == kept.id)
    ).one()
    assert (link.person_id, link.method) == (known, "probabilistic")
    phones = session.scalars(
        select(ContactPoint.value).where(
            ContactPoint.party_id == known, ContactPoint.kind == ContactKind.PHONE
        )
    ).all()
    assert "01632960999" in phones


def test_a_shared_household_email_gets_its_own_person_and_a_review(
    session: Session, loaded: Loaded
) -> None:
    shared = {"surname": "Morgan", "postcode": "NM1 4QT", "email": "morgans@example.org"}
    rows = [
        {**shared, "external_id": "m-1", "first_name": "Alys", "date_of_birth": "1970-01-02"},
        {**shared, "external_id": "m-2", "first_name": "Bryn", "date_of_birth": "1968-07-30"},
    ]
    import_rows(session, SYSTEM, loaded.systems["library"], enumerate(rows, 1))
    link_all(session, SYSTEM, loaded.jurisdiction.id)
    household = set(loaded.persons(session)[("library", x)] for x in ("m-1", "m-2"))
    assert len(household) == 2
    reviews_before = session.scalar(select(func.count()).select_from(ReviewItem))

    details = RequesterDetails(email="morgans@example.org")
    person = resolve_requester(session, SYSTEM, loaded.jurisdiction.id, details)

    assert person.id not in household
    (kept,) = _request_records(session)
    assert person_of(session, kept.id) == person.id
    item = session.scalars(
        select(ReviewItem).where(
            (ReviewItem.record_a_id == kept.id) | (ReviewItem.record_b_id == kept.id)
        )
    ).one()
    other = ({item.record_a_id, item.record_b_id} - {kept.id}).pop()
    assert person_of(session, other) in household
    assert session.scalar(select(func.count()).select_from(ReviewItem)) == reviews_before + 1
