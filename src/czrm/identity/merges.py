"""Merging and splitting persons, journalled so either can be undone exactly.

A merge moves every record of the absorbed person to the survivor and marks
the absorbed person ``merged_into`` the survivor (its row, cases and history
stay). A split moves chosen records to a new person. Both make the links of
the persons involved clerical: a human has decided, and batch runs keep it.
Undo puts every link back exactly as it was (person, probability, method,
who decided, when), provided nothing has moved those records since.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from czrm.audit.service import record
from czrm.auth.subject import Actor
from czrm.errors import FieldError, NotFound, ValidationFailed
from czrm.identity import repository
from czrm.identity.exceptions import CannotUndo
from czrm.identity.linking import link_snapshot
from czrm.identity.models import (
    IdentityLink,
    JournalKind,
    LinkMethod,
    MergeJournal,
    SourceRecord,
)
from czrm.kit.time import utc_now
from czrm.people.models import Person
from czrm.people.service import NewPerson, create_persons


def _person(session: Session, jurisdiction_id: uuid.UUID, person_id: uuid.UUID) -> Person:
    person = session.get(Person, person_id)
    if person is None or person.jurisdiction_id != jurisdiction_id:
        raise NotFound("person", person_id)
    return person


def _make_clerical(links: list[IdentityLink], person_id: uuid.UUID, who: str) -> None:
    now = utc_now()
    for link in links:
        link.person_id = person_id
        link.method = LinkMethod.CLERICAL
        link.decided_by = who
        link.probability = 1.0
        link.run_id = None
        link.linked_at = now


class MergeService:
    def merge(
        self,
        session: Session,
        actor: Actor,
        jurisdiction_id: uuid.UUID,
        *,
        survivor_id: uuid.UUID,
        absorbed_id: uuid.UUID,
        reason: str | None = None,
    ) -> MergeJournal:
        if survivor_id == absorbed_id:
            raise ValidationFailed([FieldError("absorbed_id", "a person cannot merge into itself")])
        survivor = _person(session, jurisdiction_id, survivor_id)
        absorbed = _person(session, jurisdiction_id, absorbed_id)
        if survivor.merged_into_id or absorbed.merged_into_id:
            raise ValidationFailed([FieldError("person", "that person is already merged away")])
        links = repository.links_of(session, [survivor_id, absorbed_id])
        entry = MergeJournal(
            jurisdiction_id=jurisdiction_id,
            kind=JournalKind.MERGE,
            from_person_id=absorbed_id,
            to_person_id=survivor_id,
            moved_links=[link_snapshot(k) for k in links],
            actor=actor.label or actor.kind,
            reason=reason,
        )
        _make_clerical(links, survivor_id, actor.label or actor.kind)
        absorbed.merged_into_id = survivor_id
        session.add(entry)
        session.flush()
        self._audit(session, actor, entry, "persons_merged", len(links))
        return entry

    def split(
        self,
        session: Session,
        actor: Actor,
        jurisdiction_id: uuid.UUID,
        *,
        person_id: uuid.UUID,
        record_ids: list[int],
        reason: str | None = None,
    ) -> MergeJournal:
        """Move ``record_ids`` off ``person_id`` onto a new person."""
        _person(session, jurisdiction_id, person_id)
        links = repository.links_of(session, [person_id])
        moving = [k for k in links if k.source_record_id in set(record_ids)]
        if len(moving) != len(set(record_ids)):
            raise ValidationFailed([FieldError("record_ids", "name records linked to this person")])
        if len(moving) == len(links):
            raise ValidationFailed([FieldError("record_ids", "leave at least one record behind")])
        first = min(moving, key=lambda k: k.source_record_id)
        source = session.get(SourceRecord, first.source_record_id)
        assert source is not None
        (new_id,) = create_persons(
            session,
            jurisdiction_id,
            [NewPerson(source.first_name, source.surname, source.date_of_birth)],
        )
        entry = MergeJournal(
            jurisdiction_id=jurisdiction_id,
            kind=JournalKind.SPLIT,
            from_person_id=person_id,
            to_person_id=new_id,
            moved_links=[link_snapshot(k) for k in links],
            actor=actor.label or actor.kind,
            reason=reason,
        )
        who = actor.label or actor.kind
        _make_clerical([k for k in links if k not in moving], person_id, who)
        _make_clerical(moving, new_id, who)
        session.add(entry)
        session.flush()
        self._audit(session, actor, entry, "person_split", len(moving))
        return entry

    def undo(
        self, session: Session, actor: Actor, jurisdiction_id: uuid.UUID, journal_id: uuid.UUID
    ) -> MergeJournal:
        entry = session.get(MergeJournal, journal_id)
        if entry is None or entry.jurisdiction_id != jurisdiction_id:
            raise NotFound("merge journal entry", journal_id)
        if entry.undone_at is not None:
            raise CannotUndo("this change has already been undone")
        snapshots = {s["source_record_id"]: s for s in entry.moved_links}
        current = {
            k.source_record_id: k
            for k in session.scalars(
                select(IdentityLink).where(IdentityLink.source_record_id.in_(list(snapshots)))
            )
        }
        allowed = {entry.from_person_id, entry.to_person_id}
        if set(current) != set(snapshots) or any(
            k.person_id not in allowed for k in current.values()
        ):
            raise CannotUndo("records have been relinked since; undo the later change first")
        for record_id, snapshot in snapshots.items():
            _restore(current[record_id], snapshot)
        absorbed = session.get(Person, entry.from_person_id)
        created = session.get(Person, entry.to_person_id)
        if entry.kind == JournalKind.MERGE and absorbed is not None:
            absorbed.merged_into_id = None
        elif entry.kind == JournalKind.SPLIT and created is not None:
            # The person the split made is left empty; it points back where its records went.
            created.merged_into_id = entry.from_person_id
        entry.undone_at = utc_now()
        entry.undone_by = actor.label or actor.kind
        session.flush()
        self._audit(session, actor, entry, f"{entry.kind}_undone", len(snapshots))
        return entry

    def _audit(
        self, session: Session, actor: Actor, entry: MergeJournal, action: str, n: int
    ) -> None:
        record(
            session,
            actor,
            action=action,
            entity_type="merge_journal",
            entity_id=entry.id,
            jurisdiction_id=entry.jurisdiction_id,
            details={
                "from_person_id": str(entry.from_person_id),
                "to_person_id": str(entry.to_person_id),
                "records": n,
            },
        )


def _restore(link: IdentityLink, snapshot: dict[str, Any]) -> None:
    link.person_id = uuid.UUID(snapshot["person_id"])
    link.probability = snapshot["probability"]
    link.method = LinkMethod(snapshot["method"])
    link.decided_by = snapshot["decided_by"]
    link.run_id = snapshot["run_id"]
    link.linked_at = datetime.fromisoformat(snapshot["linked_at"])


merge_service = MergeService()
