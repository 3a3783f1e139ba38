"""Open311 fixtures: a council with services, a registered client, clean limits."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from czrm.auth.subject import Subject
from czrm.catalogue.models import ServiceType
from czrm.kit.ratelimit import limiter
from czrm.open311 import media
from czrm.open311.clients import client_service
from czrm.open311.config import get_open311_settings
from czrm.open311.models import Open311Client
from tests.factories import World, create_service

SIZE_ATTRIBUTES = [
    {
        "code": "size",
        "datatype": "singlevaluelist",
        "required": True,
        "variable": True,
        "order": 1,
        "description": "How big is it?",
        "datatype_description": None,
        "values": [{"key": "small", "name": "Small"}, {"key": "large", "name": "Large"}],
    },
    {
        "code": "hazards",
        "datatype": "multivaluelist",
        "required": False,
        "variable": True,
        "order": 2,
        "description": "Any hazards?",
        "datatype_description": None,
        "values": [{"key": "traffic", "name": "Traffic"}, {"key": "water", "name": "Water"}],
    },
    {
        "code": "depth",
        "datatype": "number",
        "required": False,
        "variable": True,
        "order": 3,
        "description": "Depth in cm",
        "datatype_description": "centimetres",
        "values": [],
    },
]


@dataclass
class Council:
    world: World
    admin: Subject
    key: str
    client: Open311Client

    @property
    def slug(self) -> str:
        return self.world.jurisdiction.slug


def build_council(session: Session) -> Council:
    world = World(session)
    world.pothole.attributes = SIZE_ATTRIBUTES
    world.pothole.keywords = ["road", "hole"]
    world.pothole.description = "A hole in the road"
    create_service(
        session, world.highways, code="BULKY", name="Bulky waste", type=ServiceType.BATCH
    )
    session.flush()
    admin = world.subject(session, world.admin)
    key, client = client_service.create(session, admin, name="Test app")
    return Council(world=world, admin=admin, key=key, client=client)


@pytest.fixture
def council(session: Session) -> Council:
    return build_council(session)


@pytest.fixture(autouse=True)
def _clean_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Generous limits and a private media folder for every test."""
    settings = get_open311_settings()
    monkeypatch.setattr(settings, "rate_per_key", 10_000)
    monkeypatch.setattr(settings, "rate_per_address", 10_000)
    monkeypatch.setattr(media, "media_dir", lambda: tmp_path / "media")
    limiter.reset()
    yield
    limiter.reset()
