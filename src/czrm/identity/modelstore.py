"""Trained models, stored and versioned per jurisdiction; weights cached by model id."""

from __future__ import annotations

import uuid
from functools import lru_cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from czrm.identity.comparisons import Weights, fits
from czrm.identity.models import LinkModel

AUTO_THRESHOLD = 0.99
REVIEW_THRESHOLD = 0.80


def latest(session: Session, jurisdiction_id: uuid.UUID) -> LinkModel | None:
    """The newest model, if it was trained on the comparisons this code defines.

    A model saved before a comparison gained or changed a level would put
    pairs in the wrong levels; it counts as no model, so the next batch link
    trains a new version (and real-time matching waits for it).
    """
    model = session.scalars(
        select(LinkModel)
        .where(LinkModel.jurisdiction_id == jurisdiction_id)
        .order_by(LinkModel.version.desc())
        .limit(1)
    ).first()
    return model if model is not None and fits(model.settings) else None


def save(
    session: Session,
    jurisdiction_id: uuid.UUID,
    settings: dict[str, Any],
    *,
    trained_on: int,
    auto: float = AUTO_THRESHOLD,
    review: float = REVIEW_THRESHOLD,
) -> LinkModel:
    current = session.scalar(
        select(func.max(LinkModel.version)).where(LinkModel.jurisdiction_id == jurisdiction_id)
    )
    model = LinkModel(
        jurisdiction_id=jurisdiction_id,
        version=(current or 0) + 1,
        settings=settings,
        auto_threshold=auto,
        review_threshold=review,
        trained_on=trained_on,
    )
    session.add(model)
    session.flush()
    return model


@lru_cache(maxsize=16)
def _weights(model_id: int, _version: int, settings_json: str) -> Weights:
    import json

    return Weights.from_splink(json.loads(settings_json))


def weights(model: LinkModel) -> Weights:
    import json

    return _weights(model.id, model.version, json.dumps(model.settings, sort_keys=True))
