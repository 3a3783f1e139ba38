"""Satisfaction ratings: after a case is closed its requester may rate the
service once, 1 (very dissatisfied) to 5 (very satisfied), with an optional
comment. A rating never changes the case; reopening it does not remove it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from czrm.audit.service import record
from czrm.auth.subject import Actor
from czrm.cases import workflow
from czrm.cases.models import Case
from czrm.errors import Conflict, FieldError, ValidationFailed
from czrm.kit.models import Base, BigId
from czrm.kit.time import utc_now

MAX_COMMENT = 2000


class SatisfactionRating(Base):
    __tablename__ = "case_ratings"
    __table_args__ = (
        CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
        {
            "info": {
                "data_categories": {
                    "id": None,
                    "case_id": None,
                    "score": "service_history",
                    "comment": "service_history",
                    "rated_at": "service_history",
                },
                "erasure": "anonymise",
                "cleared": {"comment": None},
            }
        },
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    score: Mapped[int]
    comment: Mapped[str | None] = mapped_column(Text)
    rated_at: Mapped[datetime]


class RatingNotAllowed(Conflict):
    def __init__(self, reason: str) -> None:
        super().__init__(reason, code="rating_not_allowed")


def rating_for(session: Session, case: Case) -> SatisfactionRating | None:
    return session.scalars(
        select(SatisfactionRating).where(SatisfactionRating.case_id == case.id)
    ).first()


def can_rate(session: Session, case: Case) -> bool:
    return workflow.is_closed(case.status) and rating_for(session, case) is None


def check(score: object, comment: str | None) -> tuple[int, str | None]:
    """The score as a whole number 1-5 and the tidied comment, or field errors."""
    errors = []
    value = 0
    try:
        value = int(str(score))
    except ValueError:
        errors.append(FieldError("score", "choose a score from 1 to 5", code="required"))
    else:
        if not 1 <= value <= 5:
            errors.append(FieldError("score", "choose a score from 1 to 5", code="range"))
    text = (comment or "").strip() or None
    if text and len(text) > MAX_COMMENT:
        errors.append(FieldError("comment", f"is longer than {MAX_COMMENT} characters", "long"))
    if errors:
        raise ValidationFailed(errors)
    return value, text


def rate(
    session: Session, actor: Actor, case: Case, *, score: object, comment: str | None
) -> SatisfactionRating:
    """Store the requester's rating of a closed case (once)."""
    value, text = check(score, comment)
    if not workflow.is_closed(case.status):
        raise RatingNotAllowed("a request can be rated once it is closed")
    if rating_for(session, case) is not None:
        raise RatingNotAllowed("this request has already been rated")
    rating = SatisfactionRating(case_id=case.id, score=value, comment=text, rated_at=utc_now())
    session.add(rating)
    session.flush()
    record(
        session,
        actor,
        action="case_rated",
        entity_type="case",
        entity_id=case.id,
        jurisdiction_id=case.jurisdiction_id,
        details={"score": value, "with_comment": text is not None},
    )
    return rating
