"""Every query over messages, mailboxes and inbound mail."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from czrm.auth.subject import Subject
from czrm.cases import repository as case_repository
from czrm.cases.models import Case
from czrm.communications.models import Mailbox, Message, MessageStatus


def readable_statement(subject: Subject) -> Select[Message]:
    """Messages of the subject's council; one about a case follows the case's scope."""
    stmt = select(Message).where(Message.jurisdiction_id == subject.jurisdiction_id)
    if not subject.sees_all_departments:
        visible = case_repository.readable_statement(subject).with_only_columns(Case.id)
        stmt = stmt.where(or_(Message.case_id.is_(None), Message.case_id.in_(visible)))
    return stmt


@dataclass
class MessageFilters:
    status: list[MessageStatus] | None = None
    person_id: uuid.UUID | None = None
    case_id: int | None = None


def search_statement(subject: Subject, filters: MessageFilters) -> Select[Message]:
    stmt = readable_statement(subject)
    if filters.status:
        stmt = stmt.where(Message.status.in_(filters.status))
    if filters.person_id is not None:
        stmt = stmt.where(Message.person_id == filters.person_id)
    if filters.case_id is not None:
        stmt = stmt.where(Message.case_id == filters.case_id)
    return stmt.order_by(Message.created_at.desc(), Message.id.desc())


def page(
    session: Session, stmt: Select[Message], *, offset: int, limit: int
) -> tuple[int, Sequence[Message]]:
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    return int(total), session.scalars(stmt.offset(offset).limit(limit)).all()


def for_case(session: Session, case_id: int) -> Sequence[Message]:
    stmt = select(Message).where(Message.case_id == case_id)
    return session.scalars(stmt.order_by(Message.created_at, Message.id)).all()


def by_key(session: Session, key: str) -> Message | None:
    return session.scalars(select(Message).where(Message.key == key)).first()


def digests_due(session: Session, now: datetime, limit: int = 2000) -> Sequence[Message]:
    stmt = (
        select(Message)
        .where(Message.status == MessageStatus.HELD, Message.digest_due_at <= now)
        .order_by(Message.person_id, Message.channel, Message.created_at, Message.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return session.scalars(stmt).all()


def sent_by(
    session: Session, provider: str, since: datetime, limit: int = 500
) -> Sequence[Message]:
    stmt = (
        select(Message)
        .where(
            Message.provider == provider,
            Message.status == MessageStatus.SENT,
            Message.provider_ref.is_not(None),
            Message.sent_at >= since,
        )
        .order_by(Message.sent_at)
        .limit(limit)
    )
    return session.scalars(stmt).all()


def mailbox_for(session: Session, addresses: list[str]) -> Mailbox | None:
    wanted = [a.strip().lower() for a in addresses]
    if not wanted:
        return None
    return session.scalars(select(Mailbox).where(Mailbox.address.in_(wanted))).first()


def mailbox_of(session: Session, jurisdiction_id: uuid.UUID) -> Mailbox | None:
    stmt = select(Mailbox).where(Mailbox.jurisdiction_id == jurisdiction_id)
    return session.scalars(stmt.order_by(Mailbox.created_at)).first()
