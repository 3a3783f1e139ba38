"""Real-time matching of one record against everyone already known.

No Splink job per record: candidates come from indexed lookups on the same
blocking keys the batch uses, and each candidate is scored in pure Python
with the stored model's match weights (the same comparison levels). A person
is linked automatically only when exactly one person clears every guard;
otherwise the best candidate goes to a reviewer.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from czrm.identity import modelstore, repository
from czrm.identity.comparisons import Decision, Score, decide, score
from czrm.identity.exceptions import NoModel
from czrm.identity.models import (
    IdentityLink,
    LinkMethod,
    LinkModel,
    ReviewItem,
    ReviewStatus,
    SourceRecord,
)
from czrm.identity.records import RowRejected, linkage_row, standardise_row
from czrm.people.service import NewPerson, create_persons

RANK = {"link": 2, "review": 1, "none": 0}


@dataclass(frozen=True)
class Candidate:
    record_id: int
    person_id: uuid.UUID
    score: Score
    decision: Decision


@dataclass
class MatchResult:
    decision: Decision
    person_id: uuid.UUID | None = None
    probability: float = 0.0
    best: Candidate | None = None
    candidates: list[Candidate] = field(default_factory=list)
    # The person the record was attached to (set by ``link_new_record``).
    linked_person_id: uuid.UUID | None = None


def match_row(
    session: Session,
    model: LinkModel,
    jurisdiction_id: uuid.UUID,
    row: dict[str, Any],
    *,
    exclude: int | None = None,
) -> MatchResult:
    """Score ``row`` (a linkage row) against its candidates; decide per person."""
    stmt = repository.candidate_statement(jurisdiction_id, row, exclude)
    if stmt is None:
        return MatchResult("none")
    weights = modelstore.weights(model)
    candidates = []
    for found in session.execute(stmt):
        scored = score(weights, row, linkage_row(found))
        decision = decide(
            scored.levels,
            scored.probability,
            auto=model.auto_threshold,
            review=model.review_threshold,
            distinct_first_names=scored.distinct_first_names,
        )
        candidates.append(Candidate(found.id, found.person_id, scored, decision))
    candidates.sort(key=lambda c: (-RANK[c.decision], -c.score.match_weight, c.record_id))
    if not candidates or candidates[0].decision == "none":
        return MatchResult("none", candidates=candidates)
    best = candidates[0]
    linked_persons = {c.person_id for c in candidates if c.decision == "link"}
    outcome: Decision = "link" if len(linked_persons) == 1 else "review"
    return MatchResult(
        outcome,
        person_id=best.person_id,
        probability=best.score.probability,
        best=best,
        candidates=candidates,
    )


def link_new_record(session: Session, record_id: int, *, require_model: bool = True) -> MatchResult:
    """Link a just-imported record: to a person, or to a new person plus a review item.

    Without a trained model the record gets a person of its own (or ``NoModel``
    is raised when ``require_model``); a later batch link may join it to others.
    """
    record = session.get(SourceRecord, record_id)
    if record is None:
        raise LookupError(f"no source record {record_id}")
    model = modelstore.latest(session, record.jurisdiction_id)
    if model is None and require_model:
        raise NoModel()
    result = (
        match_row(session, model, record.jurisdiction_id, linkage_row(record), exclude=record.id)
        if model is not None
        else MatchResult("none")
    )
    decided_by = f"model v{model.version} (real time)" if model else "intake (no model yet)"
    if result.decision == "link" and result.person_id is not None:
        person_id = result.person_id
        link = IdentityLink(
            source_record_id=record.id,
            person_id=person_id,
            probability=result.probability,
            method=LinkMethod.PROBABILISTIC,
            decided_by=decided_by,
        )
    else:
        (person_id,) = create_persons(
            session,
            record.jurisdiction_id,
            [NewPerson(record.first_name, record.surname, record.date_of_birth)],
        )
        link = IdentityLink(
            source_record_id=record.id,
            person_id=person_id,
            probability=1.0,
            method=LinkMethod.EXACT,
            decided_by=decided_by,
        )
    session.add(link)
    if result.decision == "review" and result.best is not None and model is not None:
        session.add(review_item_for(record.jurisdiction_id, model, record.id, result.best))
    session.flush()
    result.linked_person_id = person_id
    return result


def review_item_for(
    jurisdiction_id: uuid.UUID, model: LinkModel, record_id: int, best: Candidate
) -> ReviewItem:
    a, b = sorted((record_id, best.record_id))
    return ReviewItem(
        jurisdiction_id=jurisdiction_id,
        record_a_id=a,
        record_b_id=b,
        probability=best.score.probability,
        match_weight=best.score.match_weight,
        field_weights=best.score.field_weights,
        status=ReviewStatus.PENDING,
        model_id=model.id,
    )


def match_contact(
    session: Session,
    jurisdiction_id: uuid.UUID,
    *,
    given_name: str | None = None,
    family_name: str | None = None,
    email: str | None = None,
    phone: str | None = None,
) -> MatchResult:
    """Match the few details a service request or portal sign-up carries.

    A ``link`` names the person; ``review`` means "create a person and queue
    the pair"; with no trained model nothing is matched (``none``). Intake uses
    ``identity.intake.resolve_requester``, which also keeps the contact as a
    source record.
    """
    model = modelstore.latest(session, jurisdiction_id)
    if model is None:
        return MatchResult("none")
    try:
        standard = standardise_row(
            {
                "external_id": "contact",
                "first_name": given_name,
                "surname": family_name,
                "email": email,
                "phone": phone,
            }
        )
    except RowRejected:
        return MatchResult("none")
    return match_row(session, model, jurisdiction_id, linkage_row(standard))
