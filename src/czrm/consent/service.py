"""Recording what a person agreed to or objected to, and answering whether a
message may go. Communications ask ``may_contact`` when a message is queued
and again just before it is sent, so a withdrawal stops a queued message.
Records are appended, never overwritten; every change is audited."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from czrm.audit.service import record
from czrm.auth.subject import Actor, Permission, Subject
from czrm.consent import repository, rules
from czrm.consent.models import (
    ConsentKind,
    ConsentRecord,
    ContactChannel,
    ContactPreference,
    DigestFrequency,
)
from czrm.consent.rules import Decision
from czrm.consent.schemas import ConsentIn, PreferencesIn
from czrm.errors import FieldError, NotFound, ValidationFailed
from czrm.kit.time import utc_now
from czrm.people import repository as people_repository
from czrm.people.models import Person

ACTIONS = {
    (ConsentKind.CONSENT, True): "consent_given",
    (ConsentKind.CONSENT, False): "consent_withdrawn",
    (ConsentKind.OBJECTION, True): "objection_raised",
    (ConsentKind.OBJECTION, False): "objection_lifted",
    (ConsentKind.RESTRICTION, True): "restriction_applied",
    (ConsentKind.RESTRICTION, False): "restriction_lifted",
    (ConsentKind.OPT_OUT, True): "channel_opted_out",
    (ConsentKind.OPT_OUT, False): "channel_opted_in",
}


class ConsentService:
    def _person(self, session: Session, subject: Subject, person_id: uuid.UUID) -> Person:
        person = people_repository.readable_person(session, subject, person_id)
        if person is None:
            raise NotFound("person", person_id)
        return person

    def _ids(self, session: Session, person_id: uuid.UUID) -> list[uuid.UUID]:
        """The person and anyone merged into them: their statements still hold."""
        return [person_id, *people_repository.absorbed_into(session, person_id)]

    # ----- the decision ---------------------------------------------------------
    def may_contact(
        self, session: Session, person_id: uuid.UUID, *, purpose: str, channel: ContactChannel
    ) -> Decision:
        return rules.decide(
            repository.records(session, self._ids(session, person_id)), purpose, channel
        )

    def preferences(self, session: Session, person_id: uuid.UUID) -> ContactPreference:
        """The stored preferences, or the defaults (real time, no preferred channel)."""
        found = repository.preference(session, person_id)
        if found is not None:
            return found
        return ContactPreference(
            person_id=person_id, preferred_channel=None, digest=DigestFrequency.REALTIME
        )

    def standing(self, session: Session, person_id: uuid.UUID) -> list[ConsentRecord]:
        """The statements in force for the person (and anyone merged into them)."""
        return rules.in_force(repository.records(session, self._ids(session, person_id)))

    # ----- staff reads and changes ----------------------------------------------
    def history(
        self, session: Session, subject: Subject, person_id: uuid.UUID
    ) -> tuple[list[ConsentRecord], list[ConsentRecord], ContactPreference]:
        subject.require(Permission.CONSENT_READ)
        person = self._person(session, subject, person_id)
        rows = list(repository.records(session, self._ids(session, person.id)))
        return rows, rules.in_force(rows), self.preferences(session, person.id)

    def decision_for(
        self,
        session: Session,
        subject: Subject,
        person_id: uuid.UUID,
        *,
        purpose: str,
        channel: ContactChannel,
    ) -> Decision:
        subject.require(Permission.CONSENT_READ)
        person = self._person(session, subject, person_id)
        return self.may_contact(session, person.id, purpose=purpose, channel=channel)

    def record(
        self, session: Session, subject: Subject, person_id: uuid.UUID, body: ConsentIn
    ) -> ConsentRecord:
        subject.require(Permission.CONSENT_MANAGE)
        person = self._person(session, subject, person_id)
        return self.append(session, subject.actor, person, body, recorded_by=subject.staff_id)

    def append(
        self,
        session: Session,
        actor: Actor,
        person: Person,
        body: ConsentIn,
        *,
        recorded_by: uuid.UUID | None = None,
    ) -> ConsentRecord:
        """Append one statement (the portal and staff both come here)."""
        errors = []
        if body.kind in (ConsentKind.CONSENT, ConsentKind.OBJECTION, ConsentKind.RESTRICTION):
            if body.purpose is None:
                errors.append(FieldError("purpose", f"a {body.kind} names its purpose"))
        if body.kind == ConsentKind.CONSENT and body.active and not (body.evidence or "").strip():
            errors.append(
                FieldError("evidence", "say how consent was given (form, call, signed letter)")
            )
        if errors:
            raise ValidationFailed(errors)
        rec = ConsentRecord(
            jurisdiction_id=person.jurisdiction_id,
            person_id=person.id,
            kind=body.kind,
            purpose=body.purpose,
            channel=body.channel,
            active=body.active,
            source=body.source,
            evidence=(body.evidence or "").strip() or None,
            recorded_at=utc_now(),
            recorded_by_id=recorded_by,
        )
        session.add(rec)
        session.flush()
        record(
            session,
            actor,
            action=ACTIONS[(body.kind, body.active)],
            entity_type="person",
            entity_id=person.id,
            jurisdiction_id=person.jurisdiction_id,
            details={
                "consent_record_id": rec.id,
                "purpose": body.purpose,
                "channel": str(body.channel) if body.channel else None,
                "source": body.source,
            },
        )
        return rec

    def set_preferences(
        self, session: Session, subject: Subject, person_id: uuid.UUID, body: PreferencesIn
    ) -> ContactPreference:
        subject.require(Permission.CONSENT_MANAGE)
        person = self._person(session, subject, person_id)
        return self.save_preferences(session, subject.actor, person, body)

    def save_preferences(
        self, session: Session, actor: Actor, person: Person, body: PreferencesIn
    ) -> ContactPreference:
        """Store the preferred channel and digest (the portal and staff both come here)."""
        current = repository.preference(session, person.id)
        before = (
            {"preferred_channel": current.preferred_channel, "digest": current.digest}
            if current
            else None
        )
        if current is None:
            current = ContactPreference(person_id=person.id)
            session.add(current)
        current.preferred_channel = body.preferred_channel
        current.digest = body.digest
        current.updated_at = utc_now()
        session.flush()
        record(
            session,
            actor,
            action="contact_preferences_changed",
            entity_type="person",
            entity_id=person.id,
            jurisdiction_id=person.jurisdiction_id,
            details={
                "before": {k: str(v) if v else None for k, v in before.items()} if before else None,
                "after": {
                    "preferred_channel": str(body.preferred_channel)
                    if body.preferred_channel
                    else None,
                    "digest": str(body.digest),
                },
            },
        )
        return current


consent_service = ConsentService()
