"""Recording what the council knows about a party: names, roles, relationships,
contact points and communication needs. Services flush; the caller commits."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy.orm import Session

from czrm.audit.service import record
from czrm.auth.subject import Actor
from czrm.errors import FieldError, ValidationFailed
from czrm.people.models import (
    CommunicationNeeds,
    ContactKind,
    ContactPoint,
    Household,
    NameKind,
    Party,
    PartyKind,
    PartyRole,
    Person,
    PersonName,
    Relationship,
    RelationshipType,
    RoleType,
)


def _dates(start: date | None, end: date | None, field: str = "valid_to") -> None:
    if start and end and end < start:
        raise ValidationFailed([FieldError(field, "must not be before valid_from")])


def _audit(session: Session, actor: Actor, party: Party, action: str, entity_id: object) -> None:
    record(
        session,
        actor,
        action=action,
        entity_type="party",
        entity_id=party.id,
        jurisdiction_id=party.jurisdiction_id,
        details={"item_id": str(entity_id)},
    )


def add_previous_name(
    session: Session,
    actor: Actor,
    person: Person,
    *,
    given_name: str | None,
    family_name: str | None,
    kind: NameKind = NameKind.PREVIOUS,
    valid_from: date | None = None,
    valid_to: date | None = None,
) -> PersonName:
    _dates(valid_from, valid_to)
    name = PersonName(
        person_id=person.id,
        kind=kind,
        given_name=given_name,
        family_name=family_name,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    session.add(name)
    session.flush()
    _audit(session, actor, person, "person_name_added", name.id)
    return name


def add_role(
    session: Session,
    actor: Actor,
    party: Party,
    role: RoleType,
    *,
    department_id: uuid.UUID | None = None,
    valid_from: date | None = None,
    valid_to: date | None = None,
    reference: str | None = None,
) -> PartyRole:
    _dates(valid_from, valid_to)
    party_role = PartyRole(
        party_id=party.id,
        role=role,
        department_id=department_id,
        valid_from=valid_from,
        valid_to=valid_to,
        reference=reference,
    )
    session.add(party_role)
    session.flush()
    _audit(session, actor, party, "party_role_added", party_role.id)
    return party_role


def relate(
    session: Session,
    actor: Actor,
    from_party: Party,
    type: RelationshipType,
    to_party: Party,
    *,
    valid_from: date | None = None,
    valid_to: date | None = None,
    scope: list[str] | None = None,
    expires_on: date | None = None,
) -> Relationship:
    """``from_party`` is ``type`` of ``to_party``; a representative needs a scope."""
    if from_party.id == to_party.id:
        raise ValidationFailed([FieldError("to_party_id", "a party cannot relate to itself")])
    if from_party.jurisdiction_id != to_party.jurisdiction_id:
        raise ValidationFailed([FieldError("to_party_id", "is in another jurisdiction")])
    if type == RelationshipType.AUTHORISED_REPRESENTATIVE_OF and not scope:
        raise ValidationFailed([FieldError("scope", "say what the representative may act on")])
    if type == RelationshipType.HOUSEHOLD_MEMBER and to_party.kind != PartyKind.HOUSEHOLD:
        raise ValidationFailed([FieldError("to_party_id", "must be a household")])
    _dates(valid_from, valid_to)
    relationship = Relationship(
        from_party_id=from_party.id,
        to_party_id=to_party.id,
        type=type,
        valid_from=valid_from,
        valid_to=valid_to,
        scope=list(scope or []),
        expires_on=expires_on,
    )
    session.add(relationship)
    session.flush()
    _audit(session, actor, from_party, "relationship_added", relationship.id)
    return relationship


def create_household(
    session: Session,
    actor: Actor,
    jurisdiction_id: uuid.UUID,
    *,
    name: str,
    address_line_1: str | None = None,
    postcode: str | None = None,
) -> Household:
    household = Household(
        jurisdiction_id=jurisdiction_id,
        display_name=name,
        address_line_1=address_line_1,
        postcode=postcode,
    )
    session.add(household)
    session.flush()
    _audit(session, actor, household, "household_created", household.id)
    return household


def add_contact(
    session: Session,
    actor: Actor,
    party: Party,
    kind: ContactKind,
    value: str,
    *,
    preferred: bool = False,
    verified_at: datetime | None = None,
    valid_from: datetime | None = None,
    label: str | None = None,
) -> ContactPoint:
    from czrm.identity import standardise as std

    cleaned: str | None = value.strip()
    if kind == ContactKind.EMAIL:
        cleaned = std.email(value)
    elif kind == ContactKind.PHONE:
        cleaned = std.phone(value)
    if not cleaned:
        raise ValidationFailed([FieldError("value", f"is not a valid {kind}")])
    contact = ContactPoint(
        party_id=party.id,
        kind=kind,
        value=cleaned,
        preferred=preferred,
        verified_at=verified_at,
        valid_from=valid_from,
        label=label,
    )
    session.add(contact)
    session.flush()
    _audit(session, actor, party, "contact_point_added", contact.id)
    return contact


def set_needs(
    session: Session,
    actor: Actor,
    party: Party,
    *,
    language: str | None = None,
    accessible_formats: list[str] | None = None,
    interpreter_language: str | None = None,
    digitally_excluded: bool = False,
    prefers_human: bool = False,
    notes: str | None = None,
) -> CommunicationNeeds:
    needs = session.get(CommunicationNeeds, party.id)
    if needs is None:
        needs = CommunicationNeeds(party_id=party.id)
        session.add(needs)
    needs.language = language
    needs.accessible_formats = list(accessible_formats or [])
    needs.interpreter_language = interpreter_language
    needs.digitally_excluded = digitally_excluded
    needs.prefers_human = prefers_human
    needs.notes = notes
    session.flush()
    _audit(session, actor, party, "communication_needs_set", party.id)
    return needs
