"""People: find the person behind a request's contact details, create persons.

Here matching is exact on an e-mail or phone a person already has; the single
view's ``identity.intake.resolve_requester`` adds probabilistic matching on top.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import date
from functools import lru_cache
from typing import cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from czrm.audit.service import record
from czrm.auth.subject import Actor
from czrm.errors import FieldError, NotFound, ValidationFailed
from czrm.kit.bulk import bulk_insert
from czrm.kit.ids import uuid7s
from czrm.kit.time import utc_now
from czrm.people.models import ContactKind, ContactPoint, Party, PartyKind, Person


@dataclass(frozen=True)
class RequesterDetails:
    given_name: str | None = None
    family_name: str | None = None
    email: str | None = None
    phone: str | None = None
    language: str | None = None

    def is_empty(self) -> bool:
        return not any((self.given_name, self.family_name, self.email, self.phone))


def normalise_email(email: str) -> str:
    return email.strip().lower()


def normalise_phone(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit() or ch == "+")


def get_party(session: Session, jurisdiction_id: uuid.UUID, party_id: uuid.UUID) -> Party:
    party = session.get(Party, party_id)
    if party is None or party.jurisdiction_id != jurisdiction_id:
        raise NotFound("person", party_id)
    return party


def _find_by_contact(
    session: Session, jurisdiction_id: uuid.UUID, kind: ContactKind, value: str
) -> Person | None:
    stmt = (
        select(Person)
        .join(ContactPoint, ContactPoint.party_id == Person.id)
        .where(
            Person.jurisdiction_id == jurisdiction_id,
            ContactPoint.kind == kind,
            ContactPoint.value == value,
        )
        .order_by(Person.created_at)
        .limit(1)
    )
    return session.scalars(stmt).first()


def _checked(details: RequesterDetails) -> tuple[str | None, str | None]:
    email = normalise_email(details.email) if details.email else None
    phone = normalise_phone(details.phone) if details.phone else None
    if details.email and (not email or "@" not in email or len(email) > 254):
        raise ValidationFailed([FieldError("requester.email", "is not an email address")])
    if details.phone and (not phone or len(phone) < 6 or len(phone) > 20):
        raise ValidationFailed([FieldError("requester.phone", "is not a phone number")])
    return email, phone


def contact_to_keep(details: RequesterDetails) -> dict[str, str]:
    """The details as given, to keep with a request until they are matched to a
    person; raises on an unreadable e-mail or phone, so nothing bad is kept."""
    _checked(details)
    return {k: v for k, v in asdict(details).items() if v}


def contact_key(details: RequesterDetails) -> str:
    """The request's e-mail, else phone, normalised: what identifies the contact."""
    email, phone = _checked(details)
    return email or phone or ""


def find_requester(
    session: Session, jurisdiction_id: uuid.UUID, details: RequesterDetails
) -> Person | None:
    """The person who already has this e-mail (else phone); raises on unreadable details."""
    email, phone = _checked(details)
    for kind, value in ((ContactKind.EMAIL, email), (ContactKind.PHONE, phone)):
        if value:
            found = _find_by_contact(session, jurisdiction_id, kind, value)
            if found is not None:
                return found
    return None


def add_contacts(session: Session, person: Person, details: RequesterDetails) -> None:
    """Give ``person`` the request's e-mail and phone (unverified) unless already held."""
    email, phone = _checked(details)
    held = {
        (c.kind, c.value)
        for c in session.scalars(select(ContactPoint).where(ContactPoint.party_id == person.id))
    }
    kinds = {kind for kind, _ in held}
    for kind, value in ((ContactKind.EMAIL, email), (ContactKind.PHONE, phone)):
        if value and (kind, value) not in held:
            point = ContactPoint(party_id=person.id, kind=kind, value=value)
            point.preferred = kind not in kinds
            session.add(point)
    session.flush()


def create_requester(
    session: Session, jurisdiction_id: uuid.UUID, details: RequesterDetails
) -> Person:
    email, phone = _checked(details)
    name = " ".join(p for p in (details.given_name, details.family_name) if p) or (
        email or phone or "Unknown person"
    )
    person = Person(
        jurisdiction_id=jurisdiction_id,
        display_name=name[:300],
        given_name=details.given_name,
        family_name=details.family_name,
        preferred_language=details.language or "en",
    )
    session.add(person)
    session.flush()
    add_contacts(session, person, details)
    return person


def find_or_create_requester(
    session: Session, jurisdiction_id: uuid.UUID, details: RequesterDetails
) -> Person:
    found = find_requester(session, jurisdiction_id, details)
    return found if found is not None else create_requester(session, jurisdiction_id, details)


@dataclass(frozen=True)
class NewPerson:
    given_name: str | None = None
    family_name: str | None = None
    date_of_birth: date | None = None


@lru_cache(maxsize=1 << 16)  # batch linking names hundreds of thousands: names repeat
def _title(text: str | None) -> str | None:
    return " ".join(w.capitalize() for w in text.split(" ")) if text else None


def create_persons(
    session: Session, jurisdiction_id: uuid.UUID, people: list[NewPerson]
) -> list[uuid.UUID]:
    """Create many persons at once with Core inserts (batch linking makes thousands).

    Their ids are time-ordered: in the order given, a batch appends to the
    indexes of persons and parties and to the links that name them."""
    if not people:
        return []
    now = utc_now()
    ids = uuid7s(len(people))
    parties: list[dict[str, object]] = []
    persons: list[dict[str, object]] = []
    kind = PartyKind.PERSON.value
    for person_id, new in zip(ids, people, strict=True):
        given, family = _title(new.given_name), _title(new.family_name)
        name = " ".join(p for p in (given, family) if p) or "Unnamed person"
        parties.append(
            {
                "id": person_id,
                "jurisdiction_id": jurisdiction_id,
                "kind": kind,
                "display_name": name[:300],
                "preferred_language": "en",
                "created_at": now,
                "updated_at": now,
            }
        )
        persons.append(
            {
                "id": person_id,
                "given_name": given,
                "middle_names": None,
                "family_name": family,
                "date_of_birth": new.date_of_birth,
                "merged_into_id": None,
            }
        )
    # COPY (or Core executemany) on each table of the joined inheritance: no ORM bookkeeping.
    bulk_insert(session, cast(Table, Party.__table__), parties)
    bulk_insert(session, cast(Table, Person.__table__), persons)
    return ids


def any_person(session: Session) -> bool:
    """Whether any jurisdiction has a person yet (none before the first load)."""
    return session.scalar(select(Person.id).limit(1)) is not None


def person_for_verified_email(
    session: Session, jurisdiction_id: uuid.UUID, email: str
) -> tuple[Person, bool]:
    """The person behind an e-mail address its holder has just proved they control.

    The person holding it verified; else the only person holding it unverified
    (their contact point is now verified); else a new person. Merged-away
    records lead to their survivor. Returns the person and whether it is new.
    """
    value = normalise_email(email)
    rows = session.execute(
        select(Person, ContactPoint)
        .join(ContactPoint, ContactPoint.party_id == Person.id)
        .where(
            Person.jurisdiction_id == jurisdiction_id,
            ContactPoint.kind == ContactKind.EMAIL,
            ContactPoint.value == value,
        )
        .order_by(Person.created_at)
    ).all()
    verified = [(p, c) for p, c in rows if c.verified_at is not None]
    chosen = verified[0] if verified else (rows[0] if len({p.id for p, _ in rows}) == 1 else None)
    if chosen is not None:
        person, contact = chosen
        if contact.verified_at is None:
            contact.verified_at = utc_now()
        while person.merged_into_id is not None:
            survivor = session.get(Person, person.merged_into_id)
            if survivor is None:
                break
            person = survivor
        return person, False
    person = Person(
        jurisdiction_id=jurisdiction_id,
        display_name=value,
        preferred_language="en",
    )
    session.add(person)
    session.flush()
    session.add(
        ContactPoint(
            party_id=person.id,
            kind=ContactKind.EMAIL,
            value=value,
            preferred=True,
            verified_at=utc_now(),
        )
    )
    session.flush()
    return person, True


def absorbed_ids(session: Session, person_id: uuid.UUID) -> list[uuid.UUID]:
    """The person and every record merged into them (their requests are theirs too)."""
    found = [person_id]
    frontier = [person_id]
    while frontier:
        children = list(
            session.scalars(select(Person.id).where(Person.merged_into_id.in_(frontier)))
        )
        found.extend(children)
        frontier = children
    return found


CHANNELS = ("email", "phone", "post")


def update_own_details(
    session: Session,
    actor: Actor,
    person: Person,
    *,
    given_name: str | None,
    family_name: str | None,
    language: str,
    channel: str,
    phone: str | None,
    address: str | None = None,
    postcode: str | None = None,
) -> None:
    """A citizen's own name, language and how they want to be contacted; the
    chosen channel's contact point becomes the preferred one."""
    errors: list[FieldError] = []
    if channel not in CHANNELS:
        errors.append(FieldError("channel", "choose how we should contact you"))
    digits = normalise_phone(phone) if phone else ""
    if phone and not 6 <= len(digits) <= 20:
        errors.append(FieldError("phone", "not a phone number"))
    if channel == "phone" and not digits:
        existing = session.scalars(
            select(ContactPoint.id).where(
                ContactPoint.party_id == person.id, ContactPoint.kind == ContactKind.PHONE
            )
        ).first()
        if existing is None:
            errors.append(FieldError("phone", "give a phone number to be called", code="required"))
    address = (address or "").strip()[:500] or None
    if channel == "post" and not address:
        existing = session.scalars(
            select(ContactPoint.id).where(
                ContactPoint.party_id == person.id, ContactPoint.kind == ContactKind.POSTAL
            )
        ).first()
        if existing is None:
            errors.append(FieldError("address", "give a postal address", code="required"))
    if errors:
        raise ValidationFailed(errors)
    person.given_name = (given_name or "").strip()[:200] or None
    person.family_name = (family_name or "").strip()[:200] or None
    name = " ".join(p for p in (person.given_name, person.family_name) if p)
    if name:
        person.display_name = name[:300]
    person.preferred_language = language
    person.updated_at = utc_now()
    contacts = list(session.scalars(select(ContactPoint).where(ContactPoint.party_id == person.id)))
    if digits and not any(c.kind == ContactKind.PHONE and c.value == digits for c in contacts):
        added = ContactPoint(party_id=person.id, kind=ContactKind.PHONE, value=digits)
        session.add(added)
        contacts.append(added)
    if address and not any(c.kind == ContactKind.POSTAL and c.value == address for c in contacts):
        posted = ContactPoint(
            party_id=person.id,
            kind=ContactKind.POSTAL,
            value=address,
            postcode=(postcode or "").strip().upper()[:16] or None,
        )
        session.add(posted)
        contacts.append(posted)
    wanted = {"email": ContactKind.EMAIL, "phone": ContactKind.PHONE, "post": ContactKind.POSTAL}
    chosen = next((c for c in contacts if c.kind == wanted.get(channel)), None)
    for contact in contacts:
        contact.preferred = contact is chosen
    session.flush()
    record(
        session,
        actor,
        action="person_updated_own_details",
        entity_type="party",
        entity_id=person.id,
        jurisdiction_id=person.jurisdiction_id,
        details={"language": language, "channel": channel},
    )


def own_contacts(session: Session, person_id: uuid.UUID) -> list[ContactPoint]:
    return list(
        session.scalars(
            select(ContactPoint)
            .where(ContactPoint.party_id == person_id)
            .order_by(ContactPoint.kind)
        )
    )
