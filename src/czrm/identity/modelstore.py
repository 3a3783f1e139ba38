"""Trained models, stored and versioned per jurisdiction; weights cached by model id."""

from __future__ import annotations

import uuid
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer

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
    # The model's JSON is read only the first time this process meets the model
    # (real-time matching asks for the model on every new record).
    model = session.scalars(
        select(LinkModel)
        .options(defer(LinkModel.settings))
        .where(LinkModel.jurisdiction_id == jurisdiction_id)
        .order_by(LinkModel.version.desc())
        .limit(1)
    ).first()
    return model if model is not None and _known(model).fits else None


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


@dataclass(frozen=True)
class _Known:
    fits: bool
    weights: Weights | None


_KNOWN: OrderedDict[tuple[int, int, datetime], _Known] = OrderedDict()
_KNOWN_MAX = 16


def _known(model: LinkModel) -> _Known:
    """What this process worked out about a saved model, once: a model is never
    changed after it is saved (a retrained one is a new version). Keyed by when
    it was saved too, so a row id reused after a rollback is not mistaken."""
    key = (model.id, model.version, model.created_at)
    found = _KNOWN.get(key)
    if found is None:
        settings = model.settings
        ok = fits(settings)
        found = _Known(ok, Weights.from_splink(settings) if ok else None)
        _KNOWN[key] = found
        while len(_KNOWN) > _KNOWN_MAX:
            _KNOWN.popitem(last=False)
    return found


def weights(model: LinkModel) -> Weights:
    found = _known(model).weights
    return found if found is not None else Weights.from_splink(model.settings)
