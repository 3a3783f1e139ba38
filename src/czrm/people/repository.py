"""Every query over parties and what hangs off them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, func, or_, select
from sqlalchemy.orm import Session

from czrm.auth.subject import Subject
from czrm.cases import repository as case_repository
from czrm.cases.models import Case
from czrm.people.models import (
    CommunicationNeeds,
    ContactPoint,
    Identifier,
    Party,
    PartyRole,
    Person,
    PersonName,
    Relationship,
)


def readable_person(session: Session, subject: Subject, person_id: uuid.UUID) -> Person | None:
    """A person of the subject's jurisdiction; any other jurisdiction's is not found."""
    return session.scalars(
        select(Person).where(
            Person.id == person_id, Person.jurisdiction_id == subject.jurisdiction_id
        )
    ).first()


def absorbed_into(session: Session, person_id: uuid.UUID) -> list[uuid.UUID]:
    """Persons merged into this one, directly or through a chain of merges."""
    found: list[uuid.UUID] = []
    frontier = [person_id]
    while frontier:
        rows = session.scalars(select(Person.id).where(Person.merged_into_id.in_(frontier))).all()
        frontier = [r for r in rows if r not in found and r != person_id]
        found += frontier
    return found


def names(session: Session, person_id: uuid.UUID) -> Sequence[PersonName]:
    stmt = select(PersonName).where(PersonName.person_id == person_id)
    return session.scalars(stmt.order_by(PersonName.valid_from, PersonName.id)).all()


def roles(session: Session, party_ids: list[uuid.UUID]) -> Sequence[PartyRole]:
    stmt = select(PartyRole).where(PartyRole.party_id.in_(party_ids))
    return session.scalars(stmt.order_by(PartyRole.valid_from, PartyRole.created_at)).all()


# Built once: building the aliases per call cost more than the query.
_SOURCE = Party.__table__.alias("source")
_TARGET = Party.__table__.alias("target")


def relationships(
    session: Session, party_ids: list[uuid.UUID]
) -> Sequence[tuple[Relationship, str, str]]:
    source, target = _SOURCE, _TARGET
    stmt = (
        select(Relationship, source.c.display_name, target.c.display_name)
        .join(source, source.c.id == Relationship.from_party_id)
        .join(target, target.c.id == Relationship.to_party_id)
        .where(
            or_(Relationship.from_party_id.in_(party_ids), Relationship.to_party_id.in_(party_ids))
        )
        .order_by(Relationship.created_at)
    )
    return [(rel, a, b) for rel, a, b in session.execute(stmt)]


def contact_points(session: Session, party_ids: list[uuid.UUID]) -> Sequence[ContactPoint]:
    stmt = select(ContactPoint).where(ContactPoint.party_id.in_(party_ids))
    return session.scalars(
        stmt.order_by(ContactPoint.preferred.desc(), ContactPoint.kind, ContactPoint.value)
    ).all()


def identifiers(session: Session, party_ids: list[uuid.UUID]) -> Sequence[Identifier]:
    stmt = select(Identifier).where(Identifier.party_id.in_(party_ids))
    return session.scalars(stmt.order_by(Identifier.scheme, Identifier.created_at)).all()


def needs(session: Session, party_id: uuid.UUID) -> CommunicationNeeds | None:
    return session.get(CommunicationNeeds, party_id)


def cases_statement(subject: Subject, person_ids: list[uuid.UUID]) -> Select[Case]:
    """The person's cases the subject may read (department scope applies)."""
    return case_repository.readable_statement(subject).where(Case.requester_id.in_(person_ids))


def cases_page(
    session: Session, subject: Subject, person_ids: list[uuid.UUID], *, offset: int, limit: int
) -> tuple[int, Sequence[Row[*tuple[Any, ...]]]]:
    """A page of the person's cases, newest first, as rows of ``id``, ``opened_at``,
    ``status`` and ``department_id`` (plain rows: a busy person's page of ORM cases
    cost more than the rest of the 360° view), and how many there are in all.

    One statement: the total rides on each row of the page; only a page past
    the end needs a count of its own."""
    readable = cases_statement(subject, person_ids)
    stmt = readable.with_only_columns(
        Case.id,
        Case.opened_at,
        Case.status,
        Case.department_id,
        func.count().over().label("total"),
    )
    rows = session.execute(
        stmt.order_by(Case.opened_at.desc(), Case.id.desc()).offset(offset).limit(limit)
    ).all()
    if rows:
        return int(rows[0].total), rows
    if offset == 0:
        return 0, rows
    total = session.scalar(select(func.count()).select_from(readable.subquery())) or 0
    return total, rows


SEARCH_LIMIT = 50


def search_by_name(
    session: Session, subject: Subject, *, family_name: str, given_name: str | None
) -> Sequence[Person]:
    """Current (not merged-away) persons whose names start with the given text."""
    stmt = select(Person).where(
        Person.jurisdiction_id == subject.jurisdiction_id,
        Person.merged_into_id.is_(None),
        func.lower(Person.family_name).startswith(family_name.strip().lower(), autoescape=True),
    )
    if given_name:
        stmt = stmt.where(
            func.lower(Person.given_name).startswith(given_name.strip().lower(), autoescape=True)
        )
    return session.scalars(
        stmt.order_by(Person.family_name, Person.given_name, Person.id).limit(SEARCH_LIMIT)
    ).all()


def persons_by_ids(session: Session, subject: Subject, ids: list[uuid.UUID]) -> Sequence[Person]:
    stmt = select(Person).where(
        Person.jurisdiction_id == subject.jurisdiction_id, Person.id.in_(ids)
    )
    return session.scalars(stmt.order_by(Person.family_name, Person.id).limit(SEARCH_LIMIT)).all()


def search_persons(session: Session, subject: Subject, text: str, limit: int = 25) -> list[Person]:
    """Current (not merged-away) persons of the subject's jurisdiction whose name,
    e-mail, phone or postal address contains ``text``."""
    needle = text.strip().lower().replace("\\", "").replace("%", "").replace("_", " ")
    if len(needle) < 2:
        return []
    digits = "".join(ch for ch in needle if ch.isdigit())
    contact: ColumnElement[bool] = func.lower(ContactPoint.value).like(f"%{needle}%")
    if len(digits) >= 6:
        contact = or_(contact, ContactPoint.value.like(f"%{digits[-9:]}%"))
    stmt = (
        select(Person)
        .where(
            Person.jurisdiction_id == subject.jurisdiction_id,
            Person.merged_into_id.is_(None),
            or_(
                func.lower(Person.display_name).like(f"%{needle}%"),
                Person.id.in_(select(ContactPoint.party_id).where(contact)),
            ),
        )
        .order_by(Person.display_name, Person.id)
        .limit(limit)
    )
    return list(session.scalars(stmt))
