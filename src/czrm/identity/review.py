"""The clerical review queue: a person decides the pairs the model could not.

Accept ties the two records to one person (merging their persons, journalled);
reject makes the pair a cannot-link every later run respects (splitting them
apart first if they currently share a person); defer puts the pair aside.
The reviewer and the decision are recorded on the item and in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from czrm.audit.service import record
from czrm.auth.subject import Permission, Subject
from czrm.errors import NotFound
from czrm.identity.exceptions import AlreadyDecided
from czrm.identity.linking import person_of
from czrm.identity.merges import merge_service
from czrm.identity.models import ReviewItem, ReviewStatus, SourceRecord, SourceSystem
from czrm.kit.time import utc_now
from czrm.privacy.access_log import log_access
from czrm.privacy.categories import DataCategory
from czrm.privacy.models import AccessAction
from czrm.privacy.policy import grant_for

OPEN = (ReviewStatus.PENDING, ReviewStatus.DEFERRED)
SHOWN_FIELDS = (
    "first_name",
    "middle_name",
    "surname",
    "date_of_birth",
    "address_line_1",
    "postcode",
    "email",
    "phone",
    "ni_number",
)


@dataclass(frozen=True)
class ReviewPair:
    item: ReviewItem
    left: dict[str, Any]
    right: dict[str, Any]


def _side(session: Session, record_id: int) -> dict[str, Any]:
    row = session.execute(
        select(SourceRecord, SourceSystem.code)
        .join(SourceSystem, SourceSystem.id == SourceRecord.system_id)
        .where(SourceRecord.id == record_id)
    ).one()
    source, code = row
    side: dict[str, Any] = {
        "record_id": source.id,
        "system": code,
        "external_id": source.external_id,
        "person_id": person_of(session, source.id),
    }
    for name in SHOWN_FIELDS:
        value = getattr(source, name)
        side[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return side


class ReviewService:
    def queue(
        self,
        session: Session,
        subject: Subject,
        *,
        status: ReviewStatus = ReviewStatus.PENDING,
        offset: int = 0,
        limit: int = 50,
        purpose: str | None = None,
    ) -> tuple[int, list[ReviewPair]]:
        """Open pairs, most likely matches first, side by side with the field weights."""
        subject.require(Permission.CASES_UPDATE)
        where = (ReviewItem.jurisdiction_id == subject.jurisdiction_id, ReviewItem.status == status)
        total = session.scalar(select(func.count()).select_from(ReviewItem).where(*where)) or 0
        items = session.scalars(
            select(ReviewItem)
            .where(*where)
            .order_by(ReviewItem.match_weight.desc(), ReviewItem.id)
            .offset(offset)
            .limit(limit)
        ).all()
        pairs = [
            ReviewPair(i, _side(session, i.record_a_id), _side(session, i.record_b_id))
            for i in items
        ]
        # The sides show source records in clear: a read of each person they belong to.
        grant = grant_for(session, subject, purpose or "identity_resolution")
        shown = {side["person_id"] for p in pairs for side in (p.left, p.right)}
        log_access(
            session,
            grant,
            [p for p in shown if p is not None],
            action=AccessAction.REVIEWED,
            what="clerical review of record matches",
            categories=[DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.LINKAGE],
        )
        return total, pairs

    def pair(self, session: Session, item: ReviewItem) -> ReviewPair:
        """The item's two records side by side (the same shape the queue gives)."""
        return ReviewPair(item, _side(session, item.record_a_id), _side(session, item.record_b_id))

    def get(self, session: Session, subject: Subject, item_id: int) -> ReviewItem:
        subject.require(Permission.CASES_UPDATE)
        item = session.get(ReviewItem, item_id)
        if item is None or item.jurisdiction_id != subject.jurisdiction_id:
            raise NotFound("review item", item_id)
        return item

    def accept(
        self, session: Session, subject: Subject, item_id: int, *, note: str | None = None
    ) -> ReviewItem:
        item = self._open_item(session, subject, item_id)
        a, b = person_of(session, item.record_a_id), person_of(session, item.record_b_id)
        if a is not None and b is not None and a != b:
            merge_service.merge(
                session,
                subject.actor,
                subject.jurisdiction_id,
                survivor_id=a,
                absorbed_id=b,
                reason=f"review item {item.id} accepted",
            )
        return self._decide(session, subject, item, ReviewStatus.ACCEPTED, note)

    def reject(
        self, session: Session, subject: Subject, item_id: int, *, note: str | None = None
    ) -> ReviewItem:
        item = self._open_item(session, subject, item_id)
        a, b = person_of(session, item.record_a_id), person_of(session, item.record_b_id)
        if a is not None and a == b:
            merge_service.split(
                session,
                subject.actor,
                subject.jurisdiction_id,
                person_id=a,
                record_ids=[item.record_b_id],
                reason=f"review item {item.id} rejected",
            )
        return self._decide(session, subject, item, ReviewStatus.REJECTED, note)

    def defer(
        self, session: Session, subject: Subject, item_id: int, *, note: str | None = None
    ) -> ReviewItem:
        item = self._open_item(session, subject, item_id)
        return self._decide(session, subject, item, ReviewStatus.DEFERRED, note)

    def _open_item(self, session: Session, subject: Subject, item_id: int) -> ReviewItem:
        item = self.get(session, subject, item_id)
        if item.status not in OPEN:
            raise AlreadyDecided(item.id, item.status)
        return item

    def _decide(
        self,
        session: Session,
        subject: Subject,
        item: ReviewItem,
        status: ReviewStatus,
        note: str | None,
    ) -> ReviewItem:
        item.status = status
        item.decided_by_id = subject.staff_id
        item.decided_at = utc_now()
        item.note = note
        session.flush()
        record(
            session,
            subject.actor,
            action=f"review_{status}",
            entity_type="review_item",
            entity_id=item.id,
            jurisdiction_id=item.jurisdiction_id,
            details={"probability": round(item.probability, 4)},
        )
        return item


review_service = ReviewService()
