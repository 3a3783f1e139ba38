"""Every query over interactions. Reads start from ``readable_statement``: an
interaction tied to a case follows the case's department scope; one that is
not is visible across the jurisdiction to those who may read interactions."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from czrm.auth.subject import Subject
from czrm.cases import repository as case_repository
from czrm.cases.models import Case, format_reference
from czrm.interactions.models import Interaction, InteractionChannel


def readable_statement(subject: Subject) -> Select[Interaction]:
    stmt = select(Interaction).where(Interaction.jurisdiction_id == subject.jurisdiction_id)
    if not subject.sees_all_departments:
        visible_cases = case_repository.readable_statement(subject).with_only_columns(Case.id)
        stmt = stmt.where(
            or_(Interaction.case_id.is_(None), Interaction.case_id.in_(visible_cases))
        )
    return stmt


@dataclass
class InteractionFilters:
    person_ids: list[uuid.UUID] | None = None
    case_id: int | None = None
    channel: InteractionChannel | None = None


def search_statement(subject: Subject, filters: InteractionFilters) -> Select[Interaction]:
    stmt = readable_statement(subject)
    if filters.person_ids is not None:
        stmt = stmt.where(
            or_(
                Interaction.person_id.in_(filters.person_ids),
                Interaction.representative_id.in_(filters.person_ids),
            )
        )
    if filters.case_id is not None:
        stmt = stmt.where(Interaction.case_id == filters.case_id)
    if filters.channel is not None:
        stmt = stmt.where(Interaction.channel == filters.channel)
    return stmt.order_by(Interaction.occurred_at.desc(), Interaction.id.desc())


def page(
    session: Session, stmt: Select[Interaction], *, offset: int, limit: int
) -> tuple[int, Sequence[Interaction]]:
    """One statement: the total rides on each row; only a page past the end counts apart."""
    rows = session.execute(stmt.add_columns(func.count().over()).offset(offset).limit(limit)).all()
    if rows:
        return int(rows[0][1]), [row[0] for row in rows]
    if offset == 0:
        return 0, []
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    return int(total), []


def for_case(session: Session, case_id: int) -> Sequence[Interaction]:
    """A case's interactions, oldest first (the caller has already read the case)."""
    stmt = select(Interaction).where(Interaction.case_id == case_id)
    return session.scalars(stmt.order_by(Interaction.occurred_at, Interaction.id)).all()


def case_references(session: Session, case_ids: set[int]) -> dict[int, str]:
    if not case_ids:
        return {}
    rows = session.execute(select(Case.id, Case.opened_at).where(Case.id.in_(case_ids)))
    return {case_id: format_reference(opened.year, case_id) for case_id, opened in rows}
