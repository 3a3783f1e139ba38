"""Logging contacts. A staff member logs what happened on the phone, at the
desk or in a letter; the e-mail receiver logs each message it takes in. Each
interaction is audited in the same transaction and never edited afterwards."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from czrm.audit.service import record
from czrm.auth.subject import Actor, Permission, Subject
from czrm.cases import repository as case_repository
from czrm.cases.models import Case
from czrm.errors import FieldError, NotFound, ValidationFailed
from czrm.interactions import repository
from czrm.interactions.models import Direction, Interaction, InteractionChannel
from czrm.interactions.repository import InteractionFilters
from czrm.interactions.schemas import InteractionCreate
from czrm.kit.pagination import PageParams
from czrm.kit.time import utc_now
from czrm.people import repository as people_repository
from czrm.people.models import RelationshipType


@dataclass
class NewInteraction:
    jurisdiction_id: uuid.UUID
    channel: InteractionChannel
    direction: Direction
    summary: str
    subject: str = ""
    person_id: uuid.UUID | None = None
    representative_id: uuid.UUID | None = None
    staff_id: uuid.UUID | None = None
    case: Case | None = None
    outcome: str | None = None
    duration_seconds: int | None = None
    occurred_at: datetime | None = None
    data: dict[str, Any] = field(default_factory=dict)


def _is_representative(
    session: Session, representative_id: uuid.UUID, person_id: uuid.UUID
) -> bool:
    """A current authorised-representative mandate from one party to the other."""
    today = utc_now().date()
    for rel, _, _ in people_repository.relationships(session, [representative_id]):
        if (
            rel.type == RelationshipType.AUTHORISED_REPRESENTATIVE_OF
            and rel.from_party_id == representative_id
            and rel.to_party_id == person_id
            and (rel.valid_to is None or rel.valid_to >= today)
            and (rel.expires_on is None or rel.expires_on >= today)
        ):
            return True
    return False


class InteractionService:
    def add(self, session: Session, actor: Actor, new: NewInteraction) -> Interaction:
        """Store one interaction and its audit entry (no permission check: callers decide)."""
        now = utc_now()
        interaction = Interaction(
            jurisdiction_id=new.jurisdiction_id,
            channel=new.channel,
            direction=new.direction,
            person_id=new.person_id,
            representative_id=new.representative_id,
            staff_id=new.staff_id,
            case_id=new.case.id if new.case else None,
            subject=new.subject[:300],
            summary=new.summary,
            outcome=new.outcome,
            duration_seconds=new.duration_seconds,
            occurred_at=new.occurred_at or now,
            created_at=now,
            data=new.data,
        )
        session.add(interaction)
        session.flush()
        record(
            session,
            actor,
            action="interaction_logged",
            entity_type="interaction",
            entity_id=interaction.id,
            jurisdiction_id=new.jurisdiction_id,
            details={
                "channel": str(new.channel),
                "direction": str(new.direction),
                "person_id": str(new.person_id) if new.person_id else None,
                "case_id": interaction.case_id,
            },
        )
        return interaction

    def log(self, session: Session, subject: Subject, body: InteractionCreate) -> Interaction:
        """A staff member records a contact they handled."""
        subject.require(Permission.INTERACTIONS_CREATE)
        errors: list[FieldError] = []
        for name, party_id in (
            ("person_id", body.person_id),
            ("representative_id", body.representative_id),
        ):
            if party_id and people_repository.readable_person(session, subject, party_id) is None:
                errors.append(FieldError(name, f"no person {party_id} in your council"))
        if body.representative_id and body.person_id is None:
            errors.append(FieldError("person_id", "name the person being represented"))
        case = None
        if body.case_reference:
            case = case_repository.get_readable(session, subject, body.case_reference)
            if case is None:
                errors.append(
                    FieldError("case_reference", f"{body.case_reference} is not a case you can see")
                )
        if body.occurred_at is not None:
            if body.occurred_at.tzinfo is None:
                errors.append(FieldError("occurred_at", "needs a time zone (e.g. Z or +01:00)"))
            elif body.occurred_at > utc_now():
                errors.append(FieldError("occurred_at", "is in the future"))
        if errors:
            raise ValidationFailed(errors)
        if (
            body.representative_id
            and body.person_id
            and not _is_representative(session, body.representative_id, body.person_id)
        ):
            raise ValidationFailed(
                [
                    FieldError(
                        "representative_id",
                        "holds no current authorised-representative mandate for this person",
                    )
                ]
            )
        return self.add(
            session,
            subject.actor,
            NewInteraction(
                jurisdiction_id=subject.jurisdiction_id,
                channel=body.channel,
                direction=body.direction,
                summary=body.summary.strip(),
                subject=body.subject.strip(),
                person_id=body.person_id,
                representative_id=body.representative_id,
                staff_id=subject.staff_id,
                case=case,
                outcome=body.outcome,
                duration_seconds=body.duration_seconds,
                occurred_at=body.occurred_at,
            ),
        )

    def get(self, session: Session, subject: Subject, interaction_id: int) -> Interaction:
        subject.require(Permission.INTERACTIONS_READ)
        found = session.scalars(
            repository.readable_statement(subject).where(Interaction.id == interaction_id)
        ).first()
        if found is None:
            raise NotFound("interaction", interaction_id)
        return found

    def search(
        self, session: Session, subject: Subject, filters: InteractionFilters, paging: PageParams
    ) -> tuple[int, list[Interaction]]:
        subject.require(Permission.INTERACTIONS_READ)
        total, rows = repository.page(
            session,
            repository.search_statement(subject, filters),
            offset=paging.offset,
            limit=paging.page_size,
        )
        return total, list(rows)


interaction_service = InteractionService()
