"""Fixtures for linkage tests: a generated population with known truth, a model
trained once per session, and a loader that imports the population."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from czrm.auth.subject import SYSTEM
from czrm.identity import modelstore, splink_model
from czrm.identity.importer import import_rows
from czrm.identity.linking import frame_of
from czrm.identity.models import IdentityLink, LinkModel, SourceRecord, SourceSystem
from czrm.identity.records import standardise_row
from czrm.identity.service import source_system_service
from czrm.org.models import Jurisdiction
from tests.factories import create_jurisdiction
from tests.identity.population import generate

HOUSEHOLDS = 60


@pytest.fixture(scope="session")
def population() -> dict[str, list[dict[str, Any]]]:
    return generate(households=HOUSEHOLDS, seed=7)


@dataclass
class _Row:
    id: int
    values: Any

    def __getattr__(self, name: str) -> Any:
        return getattr(self.values, name)


@pytest.fixture(scope="session")
def trained(population: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The model JSON trained on the population (once: training takes seconds)."""
    rows = []
    n = itertools.count(1)
    for system_rows in population.values():
        for raw in system_rows:
            rows.append(_Row(next(n), standardise_row(raw)))
    return splink_model.train(frame_of(rows))


@dataclass
class Loaded:
    jurisdiction: Jurisdiction
    systems: dict[str, SourceSystem]
    truth: dict[tuple[str, str], int]
    model: LinkModel
    ids: dict[tuple[str, str], int] = field(default_factory=dict)

    def persons(self, session: Session) -> dict[tuple[str, str], uuid.UUID]:
        rows = session.execute(
            select(SourceSystem.code, SourceRecord.external_id, IdentityLink.person_id)
            .join(SourceRecord, SourceRecord.system_id == SourceSystem.id)
            .join(IdentityLink, IdentityLink.source_record_id == SourceRecord.id)
            .where(SourceSystem.jurisdiction_id == self.jurisdiction.id)
        ).all()
        return {(c, x): p for c, x, p in rows}

    def pairwise(self, session: Session) -> tuple[float, float]:
        """Pairwise precision and recall of the current links against the truth."""
        found = self.persons(session)
        tp = fp = fn = 0
        for a, b in itertools.combinations(sorted(found), 2):
            same_truth = self.truth[a] == self.truth[b]
            same_link = found[a] == found[b]
            tp += same_truth and same_link
            fp += same_link and not same_truth
            fn += same_truth and not same_link
        return tp / (tp + fp), tp / (tp + fn)


def load(
    session: Session, population: dict[str, list[dict[str, Any]]], trained: dict[str, Any]
) -> Loaded:
    jurisdiction = create_jurisdiction(session)
    systems = {}
    truth = {}
    for code, rows in population.items():
        system = source_system_service.register(
            session, SYSTEM, jurisdiction.id, code=code, name=code
        )
        systems[code] = system
        report = import_rows(
            session, SYSTEM, system, [(i, dict(r)) for i, r in enumerate(rows, start=2)]
        )
        assert report.rejected_count == 0
        truth.update({(code, r["external_id"]): r["_truth"] for r in rows})
    model = modelstore.save(session, jurisdiction.id, trained, trained_on=len(truth))
    loaded = Loaded(jurisdiction, systems, truth, model)
    loaded.ids = {
        (c, x): i
        for c, x, i in session.execute(
            select(SourceSystem.code, SourceRecord.external_id, SourceRecord.id)
            .join(SourceSystem, SourceSystem.id == SourceRecord.system_id)
            .where(SourceSystem.jurisdiction_id == jurisdiction.id)
        )
    }
    return loaded


@pytest.fixture
def loaded(
    session: Session, population: dict[str, list[dict[str, Any]]], trained: dict[str, Any]
) -> Loaded:
    return load(session, population, trained)
